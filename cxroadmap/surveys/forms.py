"""Forms of surveys: the survey with its questions in each language, its state, privacy and a person's answers;
and what a customer's answer page sends, read into a `Given`."""

from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from cxroadmap.fields import Form, OptionalSelect, VersionField
from cxroadmap.i18n import _l
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.models import Kpi
from cxroadmap.surveys.answering import Given
from cxroadmap.surveys.kinds import HEADLINE_MEASURES, LANGUAGES, PERIODS, QUESTION_KEYS
from cxroadmap.surveys.models import Survey
from cxroadmap.surveys.themes import keyword_list, theme_problems

QUESTION_LABELS = {
    "score": _l("The headline question"), "expectation": _l("Expectation of the touchpoint"),
    "perception": _l("Perception of the touchpoint"), "ratings": _l("Introduction to the other touchpoints"),
    "comment": _l("The open question"), "contact": _l("Permission to contact"),
}


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SurveyForm(Form):
    title = StringField(_l("Title in English"), validators=[InputRequired()],
                        render_kw={"maxlength": 200, "lang": "en"},
                        description=_l("What the committee calls it; customers see it too."))
    title_nl = StringField(_l("Title in Dutch"), render_kw={"maxlength": 200, "lang": "nl"},
                           description=_l("What customers who answer in Dutch see; empty: they see the English title."))
    touchpoint = OptionalSelect(_l("About"), coerce=int)
    measure = SelectField(_l("Headline score"), choices=HEADLINE_MEASURES.form_choices(), default="nps")
    kpi = OptionalSelect(_l("Feeds the KPI"), coerce=int)
    period = SelectField(_l("One reading per"), choices=PERIODS.form_choices(), default="month",
                         description=_l("The KPI's reading and the touchpoint's scores cover this period."))
    asks_gap = BooleanField(_l("Ask what the customer expected of the touchpoint and how they found it (1–7)"))
    rated = CheckboxList(_l("Also ask for a rating (1–7) of these touchpoints (at most 8)"), coerce=int)
    asks_contact = BooleanField(_l("Ask whether we may contact the customer about the answer"), default=True)
    version = VersionField()

    def __init__(self, touchpoints: list[Touchpoint], kpis: list[Kpi], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._touchpoints = {t.id: t for t in touchpoints}
        self._kpis = {k.id: k for k in kpis}
        self.touchpoint.choices = [("", _l("— the relationship as a whole —"))] + [
            (t.id, f"{t.stage.name} · {t.name}") for t in touchpoints]
        self.kpi.choices = [("", _l("— make a new KPI —"))] + [
            (k.id, f"{k.code} · {k.name} ({k.measure_label})") for k in kpis]
        self.rated.choices = [(t.id, f"{t.stage.name} · {t.name}") for t in touchpoints]

    def text_fields(self):
        """(key, label, [(language, field)]) for each question, in the order asked."""
        return [(key, QUESTION_LABELS[key], [(language, self[f"{key}_{language}"]) for language in LANGUAGES])
                for key in QUESTION_KEYS]

    def fill_from(self, survey: Survey) -> None:
        current = survey.current
        self.touchpoint.data = survey.touchpoint_id
        self.kpi.data = survey.kpi_id
        self.rated.data = list(current.rated)
        self.asks_gap.data = current.asks_gap
        self.asks_contact.data = current.asks_contact
        for key in QUESTION_KEYS:
            for language in LANGUAGES:
                self[f"{key}_{language}"].data = current.text(key, language)

    def values(self) -> dict:
        return {
            "title": self.title.data, "title_nl": self.title_nl.data or "", "measure": self.measure.data,
            "period": self.period.data,
            "touchpoint": self._touchpoints.get(self.touchpoint.data), "kpi": self._kpis.get(self.kpi.data),
            "asks_gap": self.asks_gap.data, "asks_contact": self.asks_contact.data,
            "rated": [self._touchpoints[i] for i in (self.rated.data or []) if i in self._touchpoints],
            "texts": {key: {language: self[f"{key}_{language}"].data or "" for language in LANGUAGES}
                      for key in QUESTION_KEYS},
        }


for _key in QUESTION_KEYS:
    for _language in LANGUAGES:
        setattr(SurveyForm, f"{_key}_{_language}", StringField(
            f"{_key} ({_language.upper()})", render_kw={"maxlength": 300, "lang": _language}))


class OriginsForm(Form):
    """The sites whose pages may show the survey through its snippet."""

    origins = TextAreaField(_l("Sites that may show this survey"), render_kw={"rows": 3, "spellcheck": "false"},
                            description=_l("One a line, as scheme and host (and a port if it has one), such as "
                                           "https://shop.example.com. Leave empty to allow no other site."))
    version = VersionField()


class PrivacyForm(Form):
    retention_months = IntegerField(_l("Keep answers for (months)"),
                                    validators=[InputRequired(), NumberRange(min=1, max=120)])
    quiet_days = IntegerField(_l("Quiet period (days)"), validators=[Optional(), NumberRange(min=0, max=365)],
                              description=_l("No contact is invited more than once within it, across all surveys."))


class PersonForm(Form):
    email = EmailField(_l("Email address of the customer"), validators=[InputRequired()])


def _whole(text) -> int | None | str:
    """A whole number as sent, None when nothing was chosen, 'bad' for anything else."""
    if text is None or str(text).strip() == "":
        return None
    text = str(text).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else "bad"


def given_from(data, rated_ids: list[int]) -> tuple[Given, set[str]]:
    """What an answer page sent, and the fields that held something other than a choice offered."""
    bad = set()

    def number(name):
        value = _whole(data.get(name))
        if value == "bad":
            bad.add(name)
            return None
        return value

    ratings = {}
    for touchpoint_id in rated_ids:
        value = number(f"rating_{touchpoint_id}")
        if value is not None:
            ratings[touchpoint_id] = value
    given = Given(score=number("score"), expectation=number("expectation"), perception=number("perception"),
                  ratings=ratings, comment=str(data.get("comment", ""))[:6000],
                  consent=data.get("consent") in ("y", "on", "1", "true"),
                  contact_name=str(data.get("contact_name", ""))[:300], contact=str(data.get("contact", ""))[:300])
    return given, bad


class ThemeForm(Form):
    """A comment theme: its names and keywords in English and in Dutch."""

    name_en = StringField(_l("Name in English"), render_kw={"maxlength": 80})
    name_nl = StringField(_l("Name in Dutch"), render_kw={"maxlength": 80})
    keywords_en = TextAreaField(_l("English keywords"), render_kw={"rows": 3, "maxlength": 2000},
                                description=_l("Separated by commas or new lines; a word ending in * matches every "
                                               "word it begins (deliver*)."))
    keywords_nl = TextAreaField(_l("Dutch keywords"), render_kw={"rows": 3, "maxlength": 2000},
                                description=_l("Looked for in the comments written in Dutch (lever*, factuur)."))

    def __init__(self, organisation, theme=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.theme = organisation, theme
        if theme is not None and not self.is_submitted():
            self.name_en.data, self.name_nl.data = theme.name_en, theme.name_nl
            self.keywords_en.data = ", ".join(theme.keywords_en)
            self.keywords_nl.data = ", ".join(theme.keywords_nl)

    def values(self) -> dict:
        return {"name_en": (self.name_en.data or "").strip(), "name_nl": (self.name_nl.data or "").strip(),
                "keywords_en": keyword_list(self.keywords_en.data), "keywords_nl": keyword_list(self.keywords_nl.data)}

    def domain_problems(self) -> dict[str, str]:
        return theme_problems(self.organisation, theme=self.theme, **self.values())

    def validate(self, extra_validators=None) -> bool:
        """Valid when the fields parse and the theme service would take the values: every problem at once."""
        valid = super().validate(extra_validators)
        for field_name, problem in self.domain_problems().items():
            getattr(self, field_name).errors = [*getattr(self, field_name).errors, problem]
            valid = False
        return valid

