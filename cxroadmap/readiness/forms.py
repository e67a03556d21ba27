"""The form that scores a readiness question."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS
from cxroadmap.timeutil import today


class ReadinessAssessmentForm(FlaskForm):
    question = SelectField("Question", choices=QUESTIONS.form_choices())
    score = RadioField("Score", coerce=int, choices=[(n, f"{n} – {label}") for n, label in SCORE_LABELS.items()],
                       validators=[InputRequired("Choose a score from 0 to 4.")])
    evidence = TextAreaField("Evidence", description="What shows this score: data, research, decisions.")
    assessed_on = DateField("Assessed on", default=today, validators=[InputRequired("Give the date.")])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("question", "score", "evidence", "assessed_on")}
