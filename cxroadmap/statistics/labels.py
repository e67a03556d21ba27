"""What the statistics say, in the reader's language: verdicts of a change, "too few answers", why no drivers."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _, _l
from cxroadmap.statistics import changes, drivers

TOO_FEW_ANSWERS = _l("too few answers to conclude")

VERDICTS = Choices(
    Choice(changes.RISE, _l("Rise"), _l("Higher than in the period before, and significant at 95 %.")),
    Choice(changes.FALL, _l("Fall"), _l("Lower than in the period before, and significant at 95 %.")),
    Choice(changes.NO_CLEAR_CHANGE, _l("No clear change"),
           _l("The difference from the period before is within what chance alone gives at 95 %.")),
)


def refusal_text(analysis: drivers.DriverAnalysis) -> str:
    """Why a driver analysis is not shown, as one sentence ('' when it is shown)."""
    if analysis.refusal == drivers.TOO_FEW_ANSWERS:
        return _("Not shown: %(n)s answers rated every touchpoint, and the analysis needs %(needed)s "
                 "(%(per)s for each touchpoint rated).", n=analysis.n, needed=analysis.needed,
                 per=analysis.per_touchpoint)
    if analysis.refusal == drivers.NO_TOUCHPOINTS:
        return _("Not shown: the answers rate no touchpoints.")
    if analysis.refusal == drivers.NO_SPREAD_IN_SCORE:
        return _("Not shown: every answer gave the same score, so there is nothing to explain.")
    if analysis.refusal == drivers.NO_SPREAD_IN_TOUCHPOINTS:
        return _("Not shown: every answer rated each touchpoint the same, so none can explain the score.")
    return ""
