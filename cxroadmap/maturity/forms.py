"""The form that records a stage assessment."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.i18n import _l
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import today


class StageAssessmentForm(FlaskForm):
    stage = RadioField(_l("Stage"), choices=STAGES.form_choices(), validators=[InputRequired(_l("Choose a stage."))])
    assessed_on = DateField(_l("Assessed on"), default=today, validators=[InputRequired(_l("Give the date."))])
    assessed_by = StringField(_l("Assessed by"))
    rationale = TextAreaField(_l("Rationale"), description=_l("The evidence behind this stage: what was seen, "
                                 "measured or decided."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("stage", "assessed_on", "assessed_by", "rationale")}
