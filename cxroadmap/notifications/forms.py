"""Forms of the organisation's mail settings and its webhooks."""

from wtforms import IntegerField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length, NumberRange

from cxroadmap.fields import Form
from cxroadmap.i18n import _l
from cxroadmap.notifications.events import EVENTS


class SettingsForm(Form):
    meeting_pack_days = IntegerField(
        _l("Send attendees the agenda and steering pack this many days before a meeting"),
        validators=[InputRequired(), NumberRange(0, 30)], description=_l("0 sends none."))


class EndpointForm(Form):
    url = StringField(_l("Address (URL)"), validators=[InputRequired(), Length(max=500)],
                      render_kw={"placeholder": "https://example.com/hooks/cxroadmap", "inputmode": "url"})
    events = SelectMultipleField(_l("Events"), choices=EVENTS.form_choices(),
                                 option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))


class UnsubscribeForm(Form):
    """Confirming the unsubscribe link: one button."""
