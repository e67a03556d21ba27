"""The form that adds a Slack or Teams channel."""

from wtforms import RadioField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length

from cxroadmap.chat.messages import SLACK, TEAMS
from cxroadmap.fields import Form
from cxroadmap.i18n import _l
from cxroadmap.notifications.events import events


class ChannelForm(Form):
    kind = RadioField(_l("Where"), choices=[(SLACK, "Slack"), (TEAMS, "Microsoft Teams")], default=SLACK,
                      validators=[InputRequired(_l("Choose Slack or Microsoft Teams."))])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)],
                       render_kw={"placeholder": "#cx-steering", "maxlength": 100})
    url = StringField(_l("Webhook address"), validators=[InputRequired(), Length(max=500)],
                      render_kw={"inputmode": "url", "autocomplete": "off"},
                      description=_l("Slack: an incoming webhook of a Slack app (https://hooks.slack.com/services/…). "
                                     "Teams: the address of the workflow \"Post to a channel when a webhook request "
                                     "is received\"."))
    events = SelectMultipleField(_l("Events"), option_widget=widgets.CheckboxInput(),
                                 widget=widgets.ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = events().form_choices()
