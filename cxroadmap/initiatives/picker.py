"""The initiative picker: a text field taking references (INIT-12) that the page's script helps fill in from the
organisation's initiative search, so that no page offers every initiative as an option."""

import re
from collections.abc import Callable

from flask import url_for
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.services import REF_PATTERN

MAX_PICKED = 500
_SEPARATORS = re.compile(r"[\s,;]+")

# refs -> {ref: initiative} of the organisation being worked on (initiatives.services.initiatives_by_refs)
Lookup = Callable[[list[str]], dict]


class PickerInput(TextInput):
    """A plain text input (it works without script), with an empty list of suggestions that app.js fills from
    the search endpoint as the person types."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.update({"autocomplete": "off", "spellcheck": "false", "data-picker": url_for("initiatives.search"),
                       "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
                       "aria-controls": f"{kwargs['id']}-suggestions", "maxlength": 10000})
        if field.multiple:
            kwargs["data-multiple"] = ""
        kwargs.setdefault("placeholder", _("e.g. INIT-12, INIT-40") if field.multiple else _("e.g. INIT-12"))
        suggestions = escape(f"{kwargs['id']}-suggestions")
        return Markup(f'<div class="picker">{super().__call__(field, **kwargs)}'
                      f'<ul class="picker-list list-group" id="{suggestions}" role="listbox" hidden></ul></div>')


class InitiativePicker(Field):
    """Initiatives chosen by reference. data: an Initiative or None, or with multiple=True a list of them.

    The form gives it a lookup (refs -> {ref: initiative}) scoped to the organisation; a reference the lookup does
    not know is refused beside the field.
    """

    widget = PickerInput()

    def __init__(self, label=None, validators=None, multiple: bool = False, required: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.multiple, self.required_message, self.lookup = multiple, required, None
        self.refs: list[str] = []

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = valuelist[0] if valuelist else ""
        refs = [ref.upper() for ref in _SEPARATORS.split(text) if ref]
        self.refs = list(dict.fromkeys(refs))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        chosen = self.data if self.multiple else [self.data] if self.data else []
        return ", ".join(initiative.ref for initiative in chosen or [])

    def pre_validate(self, form):
        if self.raw_data is None:  # nothing posted at all: what the page put in stands
            if self.required_message and not self.data:
                raise ValidationError(self.required_message)
            return
        if not self.refs:
            self.data = [] if self.multiple else None
            if self.required_message:
                raise ValidationError(self.required_message)
            return
        if not self.multiple and len(self.refs) > 1:
            raise ValidationError(_("Give one reference, e.g. INIT-12."))
        if len(self.refs) > MAX_PICKED:
            raise ValidationError(_("Choose at most %(count)s initiatives.", count=MAX_PICKED))
        # Only what could be a reference is looked up: the database is never asked about control characters.
        possible = [ref for ref in self.refs if REF_PATTERN.match(ref)]
        found = self.lookup(possible) if self.lookup and possible else {}
        missing = [ref for ref in self.refs if ref not in found]
        if missing:
            raise ValidationError(" ".join(_("No initiative %(ref)s in this organisation.", ref=ref)
                                           for ref in missing[:3]))
        chosen = [found[ref] for ref in self.refs]
        self.data = chosen if self.multiple else chosen[0]

    @property
    def ids(self):
        """The chosen initiatives' ids: a list when multiple, else an id or None."""
        if self.multiple:
            return [initiative.id for initiative in self.data or []]
        return self.data.id if self.data else None


def picker_help(multiple: bool = False) -> str:
    return _l("Type references separated by commas, or part of a title to look one up.") if multiple \
        else _l("Type the reference, or part of the title to look it up.")
