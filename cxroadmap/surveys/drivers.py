"""What drives a survey's headline score: the touchpoints its answers rated, each with its share of what the score
owes to them (Johnson's relative weights, `statistics.drivers`) and how well it performs (its mean rating), placed
in the importance–performance quadrants so a committee sees what to fix first."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal
from sqlalchemy import select

from cxroadmap.caches import Cache
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l, current_language
from cxroadmap.journey.models import Touchpoint
from cxroadmap.statistics import drivers
from cxroadmap.surveys import tally
from cxroadmap.surveys.chart import PlottedDriver, importance_performance
from cxroadmap.surveys.models import Survey, SurveyAnswer

WINDOW_DAYS = 365  # the answers of the last year: enough for the analysis, recent enough to act on
MOST_ANSWERS = 20_000  # the latest, when there are more: the weights no longer move, and they are read in a second

# The quadrants: importance above the touchpoints' average share, performance above their average rating.
FIX_FIRST, KEEP_UP, LOWER_PRIORITY, POSSIBLE_OVERKILL = "fix_first", "keep_up", "lower_priority", "possible_overkill"
QUADRANT_NAMES = {FIX_FIRST: _l("Fix first"), KEEP_UP: _l("Keep it up"), LOWER_PRIORITY: _l("Lower priority"),
                  POSSIBLE_OVERKILL: _l("Possible overkill")}


@dataclass(frozen=True)
class TouchpointDriver:
    key: str
    name: str
    share: Decimal  # % of the explained variance (R²)
    correlation: Decimal | None
    performance: Decimal | None  # the mean rating (1–7) of the answers analysed
    quadrant: str | None

    @property
    def share_text(self) -> str:
        """The share as the reader's language writes it, to one decimal: 45.1 % or 45,1 %."""
        return format_decimal(self.share, format="0.0", locale=current_language()) + " %"

    @property
    def performance_text(self) -> str:
        if self.performance is None:
            return "—"
        return format_decimal(self.performance, format="0.0", locale=current_language())


@dataclass(frozen=True)
class SurveyDrivers:
    analysis: drivers.DriverAnalysis
    rows: tuple[TouchpointDriver, ...]
    since: date
    average_share: Decimal | None = None  # where the quadrants divide: the touchpoints' average share …
    average_performance: Decimal | None = None  # … and their average mean rating

    @property
    def fix_first(self) -> tuple[TouchpointDriver, ...]:
        return tuple(row for row in self.rows if row.quadrant == FIX_FIRST)


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _quadrant(share: Decimal, performance: Decimal | None, average_share: Decimal,
              average_performance: Decimal | None) -> str | None:
    if performance is None or average_performance is None:
        return None
    important, performing = share > average_share, performance >= average_performance
    if important:
        return KEEP_UP if performing else FIX_FIRST
    return POSSIBLE_OVERKILL if performing else LOWER_PRIORITY


_cache = Cache(64)


def survey_drivers(survey: Survey, on: date) -> SurveyDrivers | None:
    """The driver analysis of the survey's answers of the last year, or None when the survey rates no touchpoints.
    The analysis may still be refused (too few complete answers, no spread): `analysis.shown` says.

    Worked out once in this process for the day, the version and the number of answers to three significant
    figures (tally.about): a million answers are read again once they change by about 1 %, not at every view."""
    if not survey.current.rated:
        return None
    since = on - timedelta(days=WINDOW_DAYS)
    rated = [int(touchpoint_id) for touchpoint_id in survey.current.rated]
    found = tuple(tuple(row) for row in db.session.execute(
        select(Touchpoint.id, Touchpoint.key, Touchpoint.name).where(
            Touchpoint.organisation_id == survey.organisation_id, Touchpoint.id.in_(rated))
        .order_by(Touchpoint.id)).all())
    # The touchpoints' keys and names are in the key: a touchpoint renamed shows its new name at once.
    key = (survey.id, on, survey.current.id, tuple(rated), found, tally.about(tally.answers_since(survey.id, since)))
    return _cache.get(key, lambda: _worked_out(survey, on, rated, found))


def _worked_out(survey: Survey, on: date, rated: list[int], found: tuple) -> SurveyDrivers | None:
    names = {touchpoint_id: key for touchpoint_id, key, _name in found}
    titles = {key: name for _id, key, name in found}
    rated = [touchpoint_id for touchpoint_id in rated if touchpoint_id in names]
    since = on - timedelta(days=WINDOW_DAYS)
    answers = db.session.execute(select(SurveyAnswer.score, SurveyAnswer.ratings, SurveyAnswer.answered_on).where(
        SurveyAnswer.survey_id == survey.id, SurveyAnswer.answered_on > since)
        .order_by(SurveyAnswer.answered_at.desc()).limit(MOST_ANSWERS)).all()
    if len(answers) == MOST_ANSWERS:  # the page says since when: the day of the oldest answer read
        since = min(day for _score, _ratings, day in answers) - timedelta(days=1)
    scores = [score for score, _ratings, _day in answers]
    ratings = {names[t]: [(given or {}).get(str(t)) for _score, given, _day in answers] for t in rated}
    analysis = drivers.relative_weights(scores, ratings)
    if not analysis.shown:
        return SurveyDrivers(analysis, (), since)
    complete = [i for i in range(len(scores)) if all(ratings[key][i] is not None for key in ratings)]
    performance = {key: _mean([ratings[key][i] for i in complete]) for key in ratings}
    average_share = Decimal(100) / len(ratings)
    known = [value for value in performance.values() if value is not None]
    average_performance = _mean(known) if known else None
    rows = tuple(TouchpointDriver(driver.key, titles[driver.key], driver.share, driver.correlation,
                                  performance[driver.key],
                                  _quadrant(driver.share, performance[driver.key], average_share, average_performance))
                 for driver in analysis.drivers)
    return SurveyDrivers(analysis, rows, since, average_share.quantize(Decimal("0.01"), ROUND_HALF_UP),
                         average_performance)


@dataclass(frozen=True)
class FixFirst:
    """A touchpoint that one of the organisation's surveys names to fix first."""

    survey_id: int
    survey_title: str
    key: str
    name: str
    share: Decimal
    performance: Decimal | None

    @property
    def share_text(self) -> str:
        """45.1 % with a space that does not break: the figure and its sign stay on one line."""
        return format_decimal(self.share, format="0.0", locale=current_language()) + "\u00a0%"

    @property
    def performance_text(self) -> str:
        return "—" if self.performance is None else format_decimal(self.performance, format="0.0",
                                                                    locale=current_language())


def chart_of(found: SurveyDrivers, width: float, text: float = 12):
    """The importance–performance chart of a shown analysis, with its title and a description that says in words
    where each touchpoint stands (for readers who cannot see the chart)."""
    points = [PlottedDriver(row.name, row.share, row.performance, row.quadrant) for row in found.rows
              if row.quadrant is not None]
    names = {key: str(name) for key, name in QUADRANT_NAMES.items()}
    drawing = importance_performance(points, found.average_share, found.average_performance, width, names,
                                     (_("Importance: share of the explained score"),
                                      _("Performance: mean rating (1–7)")), text)
    description = " ".join(_("%(touchpoint)s: %(share)s of the explained score, mean rating %(rating)s, %(quadrant)s.",
                             touchpoint=row.name, share=row.share_text, rating=row.performance_text,
                             quadrant=names[row.quadrant].lower()) for row in found.rows if row.quadrant)
    return drawing, _("Importance against performance of the touchpoints rated"), description


def organisation_fix_first(organisation, on: date) -> list[FixFirst]:
    """The touchpoints to fix first by every live or closed survey of the organisation whose driver analysis is
    shown (drafts have no answers worth reading), the surveys in title order, each survey's most important first."""
    surveys = db.session.scalars(Survey.scoped_to(organisation).where(Survey.state != "draft")
                                 .order_by(Survey.title, Survey.id))
    found: list[FixFirst] = []
    for survey in surveys:
        analysis = survey_drivers(survey, on)
        if analysis is None:
            continue
        found += [FixFirst(survey.id, survey.title, row.key, row.name, row.share, row.performance)
                  for row in analysis.fix_first]
    return found
