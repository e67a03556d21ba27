"""The organisation's settings form."""

from decimal import Decimal

from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.fields import DayField, DecimalText, Form, OptionalSelect, VersionField
from cxroadmap.i18n import LANGUAGES, _l
from cxroadmap.stages import STAGES


class OrganisationForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired()], render_kw={"maxlength": 200})
    slug = StringField(_l("Web address"), description=_l("Lower-case letters, digits and hyphens; made from the "
                          "name when left empty."), render_kw={"maxlength": 64})
    brand_promise = TextAreaField(_l("Brand promise"), description=_l("The promise the organisation makes to its "
                                     "customers; every team records its role in keeping it."),
                                  render_kw={"maxlength": 2000})
    currency = StringField(_l("Currency"), default="EUR", description=_l("ISO 4217 code, e.g. EUR, USD, GBP."),
                           render_kw={"maxlength": 3})
    discount_rate = DecimalText(_l("Discount rate"), allow_percent=True, default=Decimal("0.08"),
                                description=_l("Used for net present value: 0.08 or 8%."))
    target_stage = OptionalSelect(_l("Target stage"), choices=STAGES.form_choices(blank=_l("— not set —")))
    target_date = DayField(_l("Target date"), validators=[Optional()])
    locale = SelectField(_l("Language"), choices=list(LANGUAGES.items()), default="en",
                         description=_l("Of the pages, messages and reports, for members who have not chosen "
                                        "their own."))
    time_zone = StringField(_l("Time zone"), default="Europe/Amsterdam", render_kw={"maxlength": 64},
                            description=_l("Where the organisation keeps its hours, as Europe/Amsterdam: digests go "
                                           "out at their hour there."))
    require_two_factor = BooleanField(_l("Every member signs in with a second factor (authenticator app)"))
    keep_survey_comments = BooleanField(_l("Keep the comments of survey answers uploaded as CSV"))
    version = VersionField()

    def domain_problems(self):
        from cxroadmap.organisations.services import organisation_problems

        return organisation_problems(self.values())

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "slug", "brand_promise", "currency", "discount_rate", "target_stage", "target_date",
            "locale", "time_zone")}


class LogoForm(Form):
    """The logo's own form on the settings page: a file, checked by the service (organisations/logo.py)."""

    logo = FileField(_l("Image file"), render_kw={"accept": "image/png,image/jpeg"},
                     description=_l("PNG or JPEG, at most 1 MB and 4000 × 4000 pixels. It is shown in the navigation "
                                    "and on every report; only its pixels are kept."))
