"""Forms for coalition members, teams and role statements."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cxroadmap.coalition.roles import COALITION_ROLES
from cxroadmap.coalition.services import parse_touchpoints
from cxroadmap.fields import DayField, Form, VersionField, signed_in_name
from cxroadmap.i18n import _l
from cxroadmap.timeutil import today


class MemberForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired()], render_kw={"maxlength": 200})
    email = StringField(_l("Email"), validators=[InputRequired()], render_kw={"maxlength": 254})
    function = StringField(_l("Function"), description=_l("The department they come from, e.g. Logistics."),
                           render_kw={"maxlength": 100})
    title = StringField(_l("Job title"), render_kw={"maxlength": 200})
    coalition_role = SelectField(_l("Role in the coalition"), choices=COALITION_ROLES.form_choices(),
                                 default="member")
    active = BooleanField(_l("Active member"), default=True)
    version = VersionField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "email", "function", "title", "coalition_role", "active")}


class TeamForm(Form):
    name = StringField(_l("Team name"), validators=[InputRequired()], render_kw={"maxlength": 200})
    function = StringField(_l("Function"), description=_l("The department the team belongs to."),
                           render_kw={"maxlength": 100})
    version = VersionField()

    def values(self) -> dict:
        return {"name": self.name.data, "function": self.function.data}


class RoleStatementForm(Form):
    statement = TextAreaField(_l("Our role in delivering the brand promise"), validators=[InputRequired()],
                              render_kw={"maxlength": 5000})
    touchpoints = TextAreaField(_l("Touchpoints we own"), description=_l("One per line, or separated by commas."),
                                render_kw={"maxlength": 5000})
    logged_on = DayField(_l("Date"), default=today, validators=[InputRequired(_l("Give the date."))])
    logged_by = StringField(_l("Logged by"), default=signed_in_name, render_kw={"maxlength": 200})

    def values(self) -> dict:
        return {"statement": self.statement.data, "touchpoints": parse_touchpoints(self.touchpoints.data or ""),
                "logged_on": self.logged_on.data, "logged_by": self.logged_by.data}
