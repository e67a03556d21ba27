"""The initiative form and the list's filter form."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.fields import DecimalText, OptionalSelect, VersionField
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.maturity.stages import STAGES
from cxroadmap.readiness.questions import QUESTIONS


class InitiativeForm(FlaskForm):
    ref = StringField("Reference", description="Leave empty for the next INIT-n.")
    title = StringField("Title", validators=[InputRequired()])
    description = TextAreaField("Description")
    readiness_question = SelectField("Readiness question it answers", choices=QUESTIONS.form_choices())
    owner = OptionalSelect("Owner", coerce=int)
    status = SelectField("Status", choices=STATUSES.form_choices(), default="proposed")
    health = SelectField("Health", choices=HEALTHS.form_choices(), default="green")
    progress = IntegerField("Progress (%)", default=0, validators=[InputRequired("Give a whole percentage.")])
    start_date = DateField("Start date", validators=[Optional()])
    due_date = DateField("Due date", validators=[Optional()])
    target_stage = OptionalSelect("Helps reach stage", choices=STAGES.form_choices(blank="— none —"))
    one_off_cost = DecimalText("One-off cost")
    annual_running_cost = DecimalText("Annual running cost")
    version = VersionField()

    def __init__(self, members: list[CoalitionMember], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._members = {member.id: member for member in members}
        self.owner.choices = [("", "— nobody yet —")] + [
            (member.id, member.name if member.active else f"{member.name} (inactive)") for member in members]

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (
            "ref", "title", "description", "readiness_question", "status", "health", "progress",
            "start_date", "due_date", "target_stage", "one_off_cost", "annual_running_cost")}
        values["owner"] = self._members.get(self.owner.data)
        return values

