"""Forms of single sign-on: an identity provider, a group's role in an organisation, requiring single sign-on."""

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from cxroadmap.access import ROLES
from cxroadmap.fields import Form
from cxroadmap.i18n import _l


class ProviderForm(Form):
    issuer = StringField(_l("Issuer"), validators=[InputRequired(), Length(max=300)],
                         description=_l("Its address, as its /.well-known/openid-configuration names it, such as "
                                        "https://login.microsoftonline.com/TENANT-ID/v2.0."))
    name = StringField(_l("Name on the sign-in button"), validators=[Length(max=100)],
                       description=_l("Such as Van Dijk Onderdelen. Empty: the issuer's host name."))
    client_id = StringField(_l("Client ID"), validators=[InputRequired(), Length(max=300)])
    client_secret = PasswordField(_l("Client secret"), validators=[InputRequired(), Length(max=500)])
    domains = StringField(_l("Email domains"), validators=[InputRequired(), Length(max=1000)],
                          description=_l("Separated by spaces or commas, such as example.org example.nl. People "
                                         "who type such an address on the sign-in page go to this provider."))
    scopes = StringField(_l("Scopes"), default="openid email profile", validators=[Length(max=300)])
    groups_claim = StringField(_l("Claim with the groups"), default="groups", validators=[Length(max=100)])
    creates_accounts = BooleanField(_l("Make an account for a new person of these domains at their first sign-in"),
                                    default=True)


class OrganisationMappingForm(Form):
    provider = SelectField(_l("Identity provider"), choices=[], coerce=int)
    group = StringField(_l("Group at the provider"), validators=[InputRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLES.form_choices(), default="viewer")

    def __init__(self, providers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider.choices = [(p.id, p.name) for p in providers]


class RequireForm(Form):
    required = BooleanField(_l("Members sign in with their organisation's account only, never with a password"))
