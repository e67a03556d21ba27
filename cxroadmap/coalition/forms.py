"""Forms for coalition members, teams and role statements."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.coalition.roles import COALITION_ROLES
from cxroadmap.coalition.services import parse_touchpoints
from cxroadmap.fields import VersionField
from cxroadmap.timeutil import today


class MemberForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired()])
    email = StringField("Email", validators=[InputRequired()])
    function = StringField("Function", description="The department they come from, e.g. Logistics.")
    title = StringField("Job title")
    coalition_role = SelectField("Role in the coalition", choices=COALITION_ROLES.form_choices(),
                                 default="member")
    active = BooleanField("Active member", default=True)
    version = VersionField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "email", "function", "title", "coalition_role", "active")}


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[InputRequired()])
    function = StringField("Function", description="The department the team belongs to.")
    version = VersionField()

    def values(self) -> dict:
        return {"name": self.name.data, "function": self.function.data}


class RoleStatementForm(FlaskForm):
    statement = TextAreaField("Our role in delivering the brand promise", validators=[InputRequired()])
    touchpoints = TextAreaField("Touchpoints we own", description="One per line, or separated by commas.")
    logged_on = DateField("Date", default=today, validators=[InputRequired("Give the date.")])
    logged_by = StringField("Logged by")

    def values(self) -> dict:
        return {"statement": self.statement.data, "touchpoints": parse_touchpoints(self.touchpoints.data or ""),
                "logged_on": self.logged_on.data, "logged_by": self.logged_by.data}
