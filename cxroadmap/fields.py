"""Forms and form fields for what people type into this product: the base of every form, decimals, amounts,
shares, optional choices."""

import re
from datetime import UTC, date, datetime

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from cxroadmap.decimals import decimal_text, parse_decimal
from cxroadmap.i18n import _, current_language
from cxroadmap.validation import line_problem


def one_line(form, field) -> None:
    """A one-line field holds no line break or other control character, as typed (before anything tidies it)."""
    problem = line_problem(field.raw_data[0] if field.raw_data else None)
    if problem:
        raise ValidationError(problem)


def is_one_line(field) -> bool:
    """Text typed on one line: every text input but a text area, a password or a hidden value."""
    return isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField | HiddenField)


class Form(FlaskForm):
    """The base of every form of the product: each one-line field refuses control characters, line breaks among
    them, beside the field and with what was typed kept (tests/test_forms.py holds every form to it)."""

    # A form that only looks something up (signing in) may say False: what it is given is compared, never kept.
    checks_one_line = True

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if form.checks_one_line and is_one_line(field):
                field.validators = [*field.validators, one_line]
            return field

        def render_field(self, field, render_kw):
            # The hidden CSRF field is in every form, and a page holding several would repeat its id: it needs none.
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)


# '12,5' or '6,50': a comma with one or two digits after it is no thousands separator, so it was meant as a decimal
# comma; an English form reads it so, and says how it read it.
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}%?$")


class DecimalText(StringField):
    """A number typed freely ('1,234.50', '1.234,50', '12,5'; with allow_percent also '5%'); empty is None."""

    def __init__(self, label=None, validators=None, allow_percent: bool = False, **kwargs):
        kwargs["render_kw"] = {"maxlength": 32, "inputmode": "decimal", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.allow_percent = allow_percent

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        if not text.strip():
            self.data = None
            return
        self.read_as = None
        try:
            self.data = parse_decimal(text, allow_percent=self.allow_percent,
                                      decimal_comma=current_language() == "nl")
            if current_language() != "nl" and _DECIMAL_COMMA.match(text.strip()):
                self.read_as = (text.strip(), decimal_text(self.data))  # English writes a point: say so
        except ValueError as exc:
            self.data = None
            example = "0.05 / 5%" if self.allow_percent else "1234.50"
            raise ValueError(_("Enter a number, for example %(example)s.", example=example)) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return decimal_text(self.data) or ""


class OptionalSelect(SelectField):
    """A choice that may be left empty: its blank first choice ('') reads as None."""

    def __init__(self, label=None, validators=None, coerce=str, **kwargs):
        super().__init__(label, validators, coerce=lambda value: None if value in (None, "", "None") else coerce(value),
                         **kwargs)


class VersionField(HiddenField):
    """The version of the row the form was opened at; a whole number or nothing."""

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class DayField(DateField):
    """A date typed or picked; one that does not exist (30 February) is refused as such, never dropped.

    A browser's date picker sends an empty value for a date that does not exist; app.js then sends 'not-a-date'
    after it, so that the refusal reaches the person instead of the field quietly going empty. Every date field
    of every form is one of these (tests/test_forms.py holds them to it).
    """

    def process_formdata(self, valuelist):
        texts = [text.strip() for text in valuelist if text and text.strip()]
        # The picker's empty value comes first: what was typed (or the marker) is what Optional() and
        # InputRequired() must see, or an impossible date would read as no date at all and be dropped.
        self.raw_data = texts or list(valuelist[:1])
        if not texts:
            self.data = None
            return
        for format in self.strptime_format:
            try:
                self.data = datetime.strptime(texts[0], format).replace(tzinfo=UTC).date()
                return
            except ValueError:
                continue
        self.data = None
        example = date(2027, 2, 28).strftime(self.strptime_format[0])
        raise ValueError(_("%(text)s is not a real date: give one that exists, for example %(example)s.",
                           text=texts[0] if texts[0] != "not-a-date" else _("That"), example=example))

    def _value(self):
        if self.raw_data:
            return " ".join(text for text in self.raw_data if text != "not-a-date")
        return self.data.strftime(self.strptime_format[0]) if self.data else ""


def signed_in_name() -> str:
    """The signed-in person's name: what "Assessed by", "Logged by" and the like start as."""
    from flask_login import current_user

    return (getattr(current_user, "name", "") or "") if current_user else ""
