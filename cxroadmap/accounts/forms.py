"""Forms for signing in, the account page, two-factor set-up and organisation members."""

from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange

from cxroadmap.access import ROLES
from cxroadmap.fields import Form
from cxroadmap.i18n import LANGUAGES, _l


class LoginForm(Form):
    # The email is looked up as the sign-in limits count it: anything no account has is a wrong sign-in (401).
    checks_one_line = False
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)], render_kw={"maxlength": 254})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    next = HiddenField()


class SecondFactorForm(Form):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[InputRequired(), Length(max=32)], render_kw={"autocomplete": "one-time-code"})


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=1024)])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=1024)],
                             description=_l("At least 12 characters, and not one of the common ones."))
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", _l("The two do not match."))])


class LanguageForm(Form):
    locale = SelectField(_l("Language"), choices=[("", _l("As the organisation's, else the browser's"))]
                         + list(LANGUAGES.items()))


class EnableTwoFactorForm(Form):
    code = StringField(_l("The six-digit code your app shows now"), validators=[InputRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class DisableTwoFactorForm(Form):
    code = StringField(_l("A current code (or a recovery code)"), validators=[InputRequired(), Length(max=32)])


class AddMemberForm(Form):
    email = EmailField(_l("Email of their account"), validators=[InputRequired(), Length(max=254)],
                       render_kw={"maxlength": 254})
    role = SelectField(_l("Role"), choices=ROLES.form_choices(), default="viewer")


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=ROLES.form_choices())


class InviteForm(Form):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLES.form_choices(), default="viewer")


class AcceptInvitationForm(Form):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)],
                             description=_l("At least 12 characters, and not one of the common ones."))
    confirm = PasswordField(_l("Password again"), validators=[EqualTo("password", _l("The two do not match."))])


class JoinForm(Form):
    """Accepting an invitation with the account one has already: nothing to fill in."""


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=1024)],
                             description=_l("At least 12 characters, and not one of the common ones."))
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", _l("The two do not match."))])


class DigestForm(Form):
    digest = SelectField(_l("Your digest"), choices=[("weekly", _l("Weekly")), ("daily", _l("Daily")),
                                                    ("off", _l("Off"))])
    steering_digest = SelectField(_l("The steering committee's weekly digest"),
                                  choices=[("on", _l("On")), ("off", _l("Off"))])


class TokenForm(Form):
    name = StringField(_l("What it is for"), validators=[InputRequired(), Length(max=100)],
                       description=_l("For example: survey tool, monthly export."))
    organisation = SelectField(_l("Organisation"), choices=[])
    access = SelectField(_l("Access"), choices=[("read", _l("Read only")),
                                                 ("write", _l("Read and write (up to your role)"))])
    days = IntegerField(_l("Expires after (days)"), default=90, validators=[InputRequired(), NumberRange(1, 366)])

    def __init__(self, memberships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _l("All my organisations"))] + [
            (m.organisation.slug, m.organisation.name) for m in memberships]
