"""Forms of the steering committee's work: meetings, decisions, actions, status updates, milestones."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.fields import DecimalText, OptionalSelect, VersionField
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.timeutil import today


class MeetingForm(FlaskForm):
    held_on = DateField("Date", default=today, validators=[InputRequired("Give the date.")])
    title = StringField("Title", default="Steering committee", validators=[InputRequired()])
    attendees = SelectMultipleField("Attendees", coerce=int, description="Hold Ctrl (⌘ on a Mac) to pick several.")
    agenda = SelectMultipleField("Initiatives to review", coerce=int)
    other_items = TextAreaField("Other agenda items", description="One a line.")
    minutes = TextAreaField("Minutes")
    version = VersionField()

    def __init__(self, members, initiatives, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees.choices = [(m.id, m.name) for m in members]
        self.agenda.choices = [(i.id, f"{i.ref} {i.title}") for i in initiatives]

    def values(self) -> dict:
        return {"held_on": self.held_on.data, "title": self.title.data, "attendee_ids": self.attendees.data or [],
                "initiative_ids": self.agenda.data or [], "other_items": self.other_items.data or "",
                "minutes": self.minutes.data or ""}


class DecisionForm(FlaskForm):
    text = TextAreaField("Decision", validators=[InputRequired()])
    initiatives = SelectMultipleField("About", coerce=int)

    def __init__(self, initiatives, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiatives.choices = [(i.id, f"{i.ref} {i.title}") for i in initiatives]


class ActionForm(FlaskForm):
    title = StringField("Action", validators=[InputRequired()])
    owner = OptionalSelect("Owner", coerce=int)
    due_on = DateField("Due", validators=[Optional()])
    initiative = OptionalSelect("Initiative", coerce=int)

    def __init__(self, members, initiatives, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = [("", "— nobody yet —")] + [(m.id, m.name) for m in members]
        self.initiative.choices = [("", "— none —")] + [(i.id, f"{i.ref} {i.title}") for i in initiatives]


class StatusUpdateForm(FlaskForm):
    status = SelectField("Status", choices=STATUSES.form_choices())
    health = SelectField("Health", choices=HEALTHS.form_choices())
    progress = IntegerField("Progress (%)", validators=[InputRequired("Give a whole percentage.")])
    note = TextAreaField("What changed, and why", validators=[InputRequired("Say in a sentence what changed.")])
    version = VersionField()


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", validators=[InputRequired()])
    due_on = DateField("Due", validators=[InputRequired("Give the date.")])


class MoveMilestoneForm(FlaskForm):
    due_on = DateField("New due date", validators=[InputRequired("Give the date.")])


class CompleteMilestoneForm(FlaskForm):
    done_on = DateField("Done on", default=today, validators=[Optional()])


class DependencyForm(FlaskForm):
    depends_on = SelectField("Waits for", coerce=int)

    def __init__(self, initiatives, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.depends_on.choices = [(i.id, f"{i.ref} {i.title}") for i in initiatives]


class ActualForm(FlaskForm):
    benefit = SelectField("Estimate", coerce=int)
    month = DateField("Month", format="%Y-%m", validators=[InputRequired("Give the month, e.g. 2026-09.")],
                      render_kw={"type": "month"})
    amount = DecimalText("Realised amount", validators=[InputRequired("Give the amount.")])
    note = StringField("Note")

    def __init__(self, estimates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.benefit.choices = [(b.id, f"{b.kind_label}: {b.description}"[:80] if b.description else b.kind_label)
                                for b in estimates]
