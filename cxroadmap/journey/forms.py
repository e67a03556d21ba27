"""Forms for the journey: stages, touchpoints and scores."""

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Optional

from cxroadmap.fields import DayField, DecimalText, Form, OptionalSelect, VersionField
from cxroadmap.i18n import _l
from cxroadmap.timeutil import today


class StageForm(Form):
    name = StringField(_l("Stage name"), validators=[InputRequired()])
    version = VersionField()


class TouchpointForm(Form):
    name = StringField(_l("Touchpoint"), validators=[InputRequired()],
                       description=_l("What happens, as the customer says it: “the part is on site before 10:00”."))
    stage_id = OptionalSelect(_l("Stage"), coerce=int, validators=[InputRequired(_l("Choose the stage."))])
    channel = StringField(_l("Channel"), description=_l("Choose one of the usual channels or type your own."))
    team_id = OptionalSelect(_l("Owning team"), coerce=int)
    moment_of_truth = BooleanField(_l("Moment of truth: this touchpoint decides whether the customer stays"))
    key = StringField(_l("Key"), validators=[Optional()],
                      description=_l("A short, stable name other parts and exports use; made from the name when left "
                                     "empty. It cannot be changed later."))
    version = VersionField()

    def __init__(self, stages, teams, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_id.choices = [("", _l("— choose a stage —"))] + [(stage.id, stage.name) for stage in stages]
        self.team_id.choices = [("", _l("No team yet"))] + [(team.id, team.name) for team in teams]

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "stage_id", "name", "channel", "team_id", "moment_of_truth")}


class ScoreForm(Form):
    scored_on = DayField(_l("Date"), default=today, validators=[InputRequired(_l("Give the date."))])
    expectation = DecimalText(_l("Expectation (1–7)"), description=_l("How good customers expect it to be."))
    perception = DecimalText(_l("Perception (1–7)"), description=_l("How good they found it."))
    respondents = IntegerField(_l("Respondents"), validators=[Optional()],
                               description=_l("How many customers answered."))
    source = StringField(_l("Source"), description=_l("Where the scores come from, e.g. “Q3 service survey”."))

    def domain_problems(self):
        from cxroadmap.journey.services import check_score

        return check_score({**self.values(), "source": self.source.data or ""})

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "scored_on", "expectation", "perception", "respondents", "source")}
