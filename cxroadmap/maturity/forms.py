"""The form that records a stage assessment."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.maturity.stages import STAGES
from cxroadmap.timeutil import today


class StageAssessmentForm(FlaskForm):
    stage = RadioField("Stage", choices=STAGES.form_choices(), validators=[InputRequired("Choose a stage.")])
    assessed_on = DateField("Assessed on", default=today, validators=[InputRequired("Give the date.")])
    assessed_by = StringField("Assessed by")
    rationale = TextAreaField("Rationale", description="The evidence behind this stage: what was seen, "
                              "measured or decided.")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("stage", "assessed_on", "assessed_by", "rationale")}
