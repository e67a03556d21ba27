"""Forms of invitations: the contact list uploaded, and a survey's reminder and API delay."""

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from cxroadmap.fields import Form
from cxroadmap.i18n import _l


class ContactsForm(Form):
    contacts = FileField(_l("Contact list (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))],
                         description=_l("One contact a line: an “email” column; optionally name and language (en or "
                                        "nl); every other column is a hidden field kept with the answer."))


class InvitingForm(Form):
    reminder_days = IntegerField(_l("Remind after (days)"), validators=[InputRequired(), NumberRange(min=1, max=60)],
                                 description=_l("One reminder, only to those who have not answered."))
    delay_minutes = IntegerField(_l("API invitations wait (minutes)"),
                                 validators=[InputRequired(), NumberRange(min=0, max=20160)],
                                 description=_l("How long after another system asks the mail goes out (0: at once)."))
