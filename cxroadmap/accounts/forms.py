"""Forms for signing in, the account page, two-factor set-up and organisation members."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from cxroadmap.access import ROLES
from cxroadmap.i18n import LANGUAGES, _l


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[InputRequired(), Length(max=32)], render_kw={"autocomplete": "one-time-code"})


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=1024)])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=1024)],
                             description=_l("At least 12 characters, and not one of the common ones."))
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", _l("The two do not match."))])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("", _l("As the organisation's, else the browser's"))]
                         + list(LANGUAGES.items()))


class EnableTwoFactorForm(FlaskForm):
    code = StringField(_l("The six-digit code your app shows now"), validators=[InputRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class DisableTwoFactorForm(FlaskForm):
    code = StringField(_l("A current code (or a recovery code)"), validators=[InputRequired(), Length(max=32)])


class AddMemberForm(FlaskForm):
    email = EmailField(_l("Email of their account"), validators=[InputRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLES.form_choices(), default="viewer")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLES.form_choices())
