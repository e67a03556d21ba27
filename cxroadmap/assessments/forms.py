"""The forms of assessment rounds: opening one, adding a rater, answering, confirming the outcome."""

from datetime import timedelta

from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from cxroadmap.assessments.questionnaire import DIMENSIONS, DONT_KNOW, VIEW_LEVELS, VIEWS, score_options
from cxroadmap.fields import DayField, Form
from cxroadmap.i18n import _l
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import today


def _in_two_weeks():
    return today() + timedelta(days=14)


class OpenRoundForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give the round a title."))],
                        description=_l("For example: “Maturity check, spring 2027”."))
    closes_on = DayField(_l("Closes on"), default=_in_two_weeks, validators=[InputRequired(_l("Give the date."))],
                          description=_l("Raters can answer, and change their answers, until the end of this day."))
    member_ids = SelectMultipleField(_l("Raters from the coalition"), coerce=int, option_widget=CheckboxInput(),
                                     widget=ListWidget(prefix_label=False))

    def values(self) -> dict:
        return {"title": self.title.data, "closes_on": self.closes_on.data, "member_ids": self.member_ids.data}


class RaterForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Give the name."))])
    function = StringField(_l("Function"), description=_l("Their department, e.g. Sales or Logistics."))
    email = StringField(_l("Email"), validators=[InputRequired(_l("Give the email address."))])


class ActionForm(Form):
    """A button that changes something: only its CSRF token travels."""


def _answer_field(label, choices) -> RadioField:
    # The service checks the value: an unanswered item is simply absent.
    return RadioField(label, choices=[*choices, (DONT_KNOW, _l("Don't know"))], validate_choice=False)


class AnswerForm(Form):
    lang = HiddenField()
    comment = TextAreaField(_l("Anything you want to add? (optional)"),
                            description=_l("Shown to the steering committee without your name."))

    def answers(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in (*DIMENSIONS.keys, *QUESTIONS.keys, *VIEWS.keys)}


for _dimension in DIMENSIONS:
    setattr(AnswerForm, _dimension.key, _answer_field(_dimension.label, [(s.key, s.label) for s in STAGES]))
for _question in QUESTIONS:
    setattr(AnswerForm, _question.key, _answer_field(_question.label, score_options()))
for _view in VIEWS:
    setattr(AnswerForm, _view.key, _answer_field(_view.label, [(v.key, v.label) for v in VIEW_LEVELS[_view.key]]))


class ConfirmForm(Form):
    stage = SelectField(_l("Stage"), choices=STAGES.form_choices())
    reason = TextAreaField(_l("Reason for overruling"),
                           description=_l("Needed only where you differ from what the answers suggest; it is kept "
                                          "with the assessment."))

    def scores(self) -> dict[str, int | None]:
        return {q: (int(self[q].data) if self[q].data not in (None, "") else None) for q in QUESTIONS.keys}


for _question in QUESTIONS:
    setattr(ConfirmForm, _question.key, SelectField(
        _question.label, choices=[("", _l("No score from this round")), *score_options()]))
