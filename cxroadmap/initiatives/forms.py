"""The initiative form and the list's filter form."""

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.fields import DayField, DecimalText, Form, OptionalSelect, VersionField
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.stages import STAGES


class InitiativeForm(Form):
    ref = StringField(_l("Reference"), description=_l("Leave empty for the next INIT-n."), render_kw={"maxlength": 32})
    title = StringField(_l("Title"), validators=[InputRequired()], render_kw={"maxlength": 200})
    description = TextAreaField(_l("Description"), render_kw={"maxlength": 20000})
    readiness_question = SelectField(_l("Readiness question it answers"), choices=QUESTIONS.form_choices())
    owner = OptionalSelect(_l("Owner"), coerce=int)
    status = SelectField(_l("Status"), choices=STATUSES.form_choices(), default="proposed")
    health = SelectField(_l("Health"), choices=HEALTHS.form_choices(), default="green")
    progress = IntegerField(_l("Progress (%)"), default=0, validators=[InputRequired(_l("Give a whole percentage."))])
    start_date = DayField(_l("Start date"), validators=[Optional()])
    due_date = DayField(_l("Due date"), validators=[Optional()])
    target_stage = OptionalSelect(_l("Helps reach stage"), choices=STAGES.form_choices(blank=_l("— none —")))
    one_off_cost = DecimalText(_l("One-off cost"))
    annual_running_cost = DecimalText(_l("Annual running cost"))
    version = VersionField()

    def __init__(self, members: list[CoalitionMember], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._members = {member.id: member for member in members}
        self.owner.choices = [("", _l("— nobody yet —"))] + [
            (member.id, member.name if member.active else _("%(name)s (inactive)", name=member.name))
            for member in members]

    def domain_problems(self):
        from cxroadmap.initiatives.services import initiative_problems

        return initiative_problems(self.values())

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (
            "ref", "title", "description", "readiness_question", "status", "health", "progress",
            "start_date", "due_date", "target_stage", "one_off_cost", "annual_running_cost")}
        values["owner"] = self._members.get(self.owner.data)
        return values

