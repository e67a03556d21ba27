"""Forms of KPIs: the KPI itself, a reading, survey answers from a file, and a KPI an initiative should move."""

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.fields import DayField, DecimalText, Form, OptionalSelect, VersionField
from cxroadmap.i18n import _, _l
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.kinds import DIRECTIONS, KPI_KINDS, MEASURES
from cxroadmap.measures.models import Kpi


class SignedDecimal(DecimalText):
    """A decimal that may carry its sign either way: '+5', '−0.5' (a typographic minus) or '-0.5'."""

    def process_formdata(self, valuelist):
        if valuelist:
            text = valuelist[0].strip().replace("\u2212", "-")
            valuelist = [text[1:] if text.startswith("+") else text]
        super().process_formdata(valuelist)


class KpiForm(Form):
    code = StringField(_l("Code"), validators=[InputRequired()], description=_l("Short and unique, e.g. NPS-REL."))
    name = StringField(_l("Name"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of data"), choices=KPI_KINDS.form_choices(), default="x_data")
    measure = SelectField(_l("Measure"), choices=MEASURES.form_choices(), default="nps")
    unit = StringField(_l("Unit"), description=_l("%, days, complaints a month … (may stay empty)."))
    direction = SelectField(_l("Direction"), choices=DIRECTIONS.form_choices(), default="up")
    baseline_value = SignedDecimal(_l("Baseline value"), validators=[InputRequired()])
    baseline_on = DayField(_l("Baseline date"), validators=[InputRequired(_l("Give a date."))])
    target_value = SignedDecimal(_l("Target value"), validators=[InputRequired()])
    target_on = DayField(_l("Target date"), validators=[InputRequired(_l("Give a date."))])
    owner = OptionalSelect(_l("Owner"), coerce=int)
    touchpoint = OptionalSelect(_l("Touchpoint it measures"), coerce=int)
    version = VersionField()

    def __init__(self, members: list[CoalitionMember], touchpoints: list[Touchpoint], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._members = {member.id: member for member in members}
        self._touchpoints = {touchpoint.id: touchpoint for touchpoint in touchpoints}
        self.owner.choices = [("", _l("— nobody yet —"))] + [(m.id, m.name) for m in members]
        self.touchpoint.choices = [("", _l("— none —"))] + [
            (t.id, f"{t.stage.name} · {t.name}") for t in touchpoints]

    def domain_problems(self):
        from cxroadmap.measures.services import kpi_problems

        return kpi_problems(self.values())

    def fill_from(self, kpi: Kpi) -> None:
        self.owner.data = kpi.owner_id
        self.touchpoint.data = kpi.touchpoint_id

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (
            "code", "name", "kind", "measure", "unit", "direction", "baseline_value",
            "baseline_on", "target_value", "target_on")}
        values["owner"] = self._members.get(self.owner.data)
        values["touchpoint"] = self._touchpoints.get(self.touchpoint.data)
        return values


class ReadingForm(Form):
    taken_on = DayField(_l("Date"), validators=[InputRequired(_l("Give a date."))])
    value = SignedDecimal(_l("Value"), validators=[InputRequired()])
    respondents = IntegerField(_l("Respondents"), validators=[Optional(), NumberRange(min=0)],
                               description=_l("For a survey: how many answered."))
    note = StringField(_l("Note"))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("taken_on", "value", "respondents", "note")}


class AnswersForm(Form):
    answers = FileField(_l("Survey answers (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))],
                        description=_l("One answer a line, a “score” column; optionally answered_on, comment, "
                                       "touchpoint, expectation, perception, and one column per touchpoint rated "
                                       "(1–7), named by its key."))
    # An id of its own: the reading form beside it on the KPI page has a date too.
    taken_on = DayField(_l("Day of answers without a date"), validators=[InputRequired(_l("Give a date."))],
                        id="answers-taken_on")


class InitiativeKpiForm(Form):
    kpi = SelectField(_l("KPI"), coerce=str)
    expected_change = SignedDecimal(_l("Expected change"),
                                  description=_l("In the KPI's unit, signed: +5 NPS points, −0.5 days."))

    def __init__(self, kpis: list[Kpi], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi.choices = [(kpi.code, f"{kpi.code} · {kpi.name}") for kpi in kpis] or [("", _("No KPIs yet"))]
