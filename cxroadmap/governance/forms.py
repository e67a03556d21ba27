"""Forms of the steering committee's work: meetings, decisions, actions, status updates, milestones."""

from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.fields import DayField, DecimalText, Form, OptionalSelect, VersionField
from cxroadmap.i18n import _l
from cxroadmap.initiatives.picker import InitiativePicker, Lookup, picker_help
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.timeutil import today


class MeetingForm(Form):
    held_on = DayField(_l("Date"), default=today, validators=[InputRequired(_l("Give the date."))])
    title = StringField(_l("Title"), default=_l("Steering committee"), validators=[InputRequired()],
                        render_kw={"maxlength": 200})
    attendees = SelectMultipleField(_l("Attendees"), coerce=int,
                                    description=_l("Hold Ctrl (⌘ on a Mac) to pick several."))
    agenda = InitiativePicker(_l("Initiatives to review"), multiple=True, description=picker_help(multiple=True))
    other_items = TextAreaField(_l("Other agenda items"), description=_l("One a line."), render_kw={"maxlength": 5000})
    minutes = TextAreaField(_l("Minutes"), render_kw={"maxlength": 50000})
    version = VersionField()

    def __init__(self, members, lookup: Lookup, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees.choices = [(m.id, m.name) for m in members]
        self.agenda.lookup = lookup

    def values(self) -> dict:
        return {"held_on": self.held_on.data, "title": self.title.data, "attendee_ids": self.attendees.data or [],
                "initiative_ids": self.agenda.ids, "other_items": self.other_items.data or "",
                "minutes": self.minutes.data or ""}

    def domain_problems(self):
        from cxroadmap.governance.services import check_meeting

        check_meeting(self.held_on.data, self.title.data, self.other_items.data or "", self.minutes.data or "")


class DecisionForm(Form):
    text = TextAreaField(_l("Decision"), validators=[InputRequired()], render_kw={"maxlength": 5000})
    initiatives = InitiativePicker(_l("About"), multiple=True)

    def __init__(self, lookup: Lookup, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiatives.lookup = lookup


class ActionForm(Form):
    title = StringField(_l("Action"), validators=[InputRequired()], render_kw={"maxlength": 300})
    owner = OptionalSelect(_l("Owner"), coerce=int)
    due_on = DayField(_l("Due"), validators=[Optional()])
    initiative = InitiativePicker(_l("Initiative"))

    def __init__(self, members, lookup: Lookup, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = [("", _l("— nobody yet —"))] + [(m.id, m.name) for m in members]
        self.initiative.lookup = lookup


class StatusUpdateForm(Form):
    status = SelectField(_l("Status"), choices=STATUSES.form_choices())
    health = SelectField(_l("Health"), choices=HEALTHS.form_choices())
    progress = IntegerField(_l("Progress (%)"), validators=[InputRequired(_l("Give a whole percentage."))])
    note = TextAreaField(_l("What changed, and why"), validators=[InputRequired(_l("Say in a sentence what changed."))],
                         render_kw={"maxlength": 5000})
    version = VersionField()


class MilestoneForm(Form):
    title = StringField(_l("Milestone"), validators=[InputRequired()], render_kw={"maxlength": 200})
    due_on = DayField(_l("Due"), validators=[InputRequired(_l("Give the date."))])


class MoveMilestoneForm(Form):
    due_on = DayField(_l("New due date"), validators=[InputRequired(_l("Give the date."))])


class CompleteMilestoneForm(Form):
    done_on = DayField(_l("Done on"), default=today, validators=[Optional()])


class DependencyForm(Form):
    depends_on = InitiativePicker(_l("Waits for"), required=_l("Give the reference of the initiative it waits for."))

    def __init__(self, lookup: Lookup, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.depends_on.lookup = lookup


class ActualForm(Form):
    benefit = SelectField(_l("Estimate"), coerce=int)
    month = DayField(_l("Month"), format="%Y-%m", validators=[InputRequired(_l("Give the month, e.g. 2026-09."))],
                      render_kw={"type": "month"})
    amount = DecimalText(_l("Realised amount"), validators=[InputRequired(_l("Give the amount."))])
    note = StringField(_l("Note"), render_kw={"maxlength": 2000})

    def __init__(self, estimates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.benefit.choices = [(b.id, f"{b.kind_label}: {b.description}"[:80] if b.description else b.kind_label)
                                for b in estimates]

    def domain_problems(self):
        from cxroadmap.benefits.services import check_actual

        check_actual(self.month.data, self.amount.data, self.note.data or "")
