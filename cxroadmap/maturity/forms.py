"""The form that records a stage assessment."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.fields import DayField, Form, signed_in_name
from cxroadmap.i18n import _l
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import today


class StageAssessmentForm(Form):
    stage = RadioField(_l("Stage"), choices=STAGES.form_choices(), validators=[InputRequired(_l("Choose a stage."))])
    assessed_on = DayField(_l("Assessed on"), default=today, validators=[InputRequired(_l("Give the date."))])
    assessed_by = StringField(_l("Assessed by"), default=signed_in_name, render_kw={"maxlength": 200})
    rationale = TextAreaField(_l("Rationale"), description=_l("The evidence behind this stage: what was seen, "
                                 "measured or decided."), render_kw={"maxlength": 10000})

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("stage", "assessed_on", "assessed_by", "rationale")}
