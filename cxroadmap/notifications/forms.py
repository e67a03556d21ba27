"""Forms of the organisation's mail settings and its webhooks."""

from wtforms import IntegerField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from cxroadmap.fields import Form
from cxroadmap.i18n import _l
from cxroadmap.notifications.events import events


class SettingsForm(Form):
    meeting_pack_days = IntegerField(
        _l("Send attendees the agenda and steering pack this many days before a meeting"),
        validators=[InputRequired(), NumberRange(0, 30)], description=_l("0 sends none."))
    digest_hour = IntegerField(
        _l("Hour at which digests and packs go out"), validators=[Optional(), NumberRange(0, 23)],
        description=_l("In the organisation's time zone (its settings); weekly digests go out on Monday."))


class EndpointForm(Form):
    url = StringField(_l("Address (URL)"), validators=[InputRequired(), Length(max=500)],
                      render_kw={"placeholder": "https://example.com/hooks/cxroadmap", "inputmode": "url"})
    events = SelectMultipleField(_l("Events"), option_widget=widgets.CheckboxInput(),
                                 widget=widgets.ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = events().form_choices()  # the kinds the areas registered
