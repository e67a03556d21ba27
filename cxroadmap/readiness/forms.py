"""The form that scores a readiness question."""

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.fields import DayField, Form
from cxroadmap.i18n import _l
from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS
from cxroadmap.timeutil import today


class ReadinessAssessmentForm(Form):
    question = SelectField(_l("Question"), choices=QUESTIONS.form_choices())
    score = RadioField(_l("Score"), coerce=int, choices=[(n, f"{n} – {label}") for n, label in SCORE_LABELS.items()],
                       validators=[InputRequired(_l("Choose a score from 0 to 4."))])
    evidence = TextAreaField(_l("Evidence"), description=_l("What shows this score: data, research, decisions."),
                             render_kw={"maxlength": 10000})
    assessed_on = DayField(_l("Assessed on"), default=today, validators=[InputRequired(_l("Give the date."))])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("question", "score", "evidence", "assessed_on")}
