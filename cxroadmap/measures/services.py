"""KPIs: defining them, recording readings, and the figures each one shows (latest, status, achievement, trend)."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cxroadmap.audit.services import current_actor
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import JourneyStage, Touchpoint
from cxroadmap.measures import calc, scores
from cxroadmap.measures.kinds import DIRECTIONS, KPI_KINDS, KPI_STATUSES, MEASURES, SURVEY_MEASURES, TRENDS
from cxroadmap.measures.models import Kpi, KpiReading, SurveyComment
from cxroadmap.organisations.models import Organisation
from cxroadmap.statistics.intervals import Tally
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
MAX_VALUE = Decimal("999999999999")
MAX_RESPONDENTS = 1_000_000_000
KPI_FIELDS = ("code", "name", "kind", "measure", "unit", "direction", "baseline_value",
              "baseline_on", "target_value", "target_on", "owner", "touchpoint")

# The values a measure can take; the others take any number within MAX_VALUE (counts and days not below 0).
RANGES = {
    "nps": (Decimal(-100), Decimal(100)), "csat": (Decimal(0), Decimal(100)), "ces": (Decimal(1), Decimal(7)),
    "percentage": (Decimal(0), Decimal(100)), "count": (Decimal(0), MAX_VALUE), "days": (Decimal(0), MAX_VALUE),
    "amount": (-MAX_VALUE, MAX_VALUE), "score": (-MAX_VALUE, MAX_VALUE),
}


def range_message(measure: str) -> str:
    low, high = RANGES.get(measure, (-MAX_VALUE, MAX_VALUE))
    return _("A %(measure)s value is a number from %(low)s to %(high)s.", measure=MEASURES.label(measure),
             low=f"{low:,}", high=f"{high:,}")


def check_value(problems: Problems, field: str, measure: str, value) -> None:
    """Record a problem when value is missing or outside what the measure can take."""
    if not problems.require(isinstance(value, Decimal), field, _("Enter a number.")):
        return
    low, high = RANGES.get(measure, (-MAX_VALUE, MAX_VALUE))
    problems.require(low <= value <= high, field, range_message(measure))


def check_kpi(values: dict) -> Problems:
    """The problems with a KPI's values, apart from those that need the database."""
    problems = Problems()
    problems.require(bool(CODE_PATTERN.match(values["code"] or "")), "code",
                     _("A code is up to 32 letters, digits, dots, dashes or underscores, e.g. NPS-REL."))
    check_line(problems, "name", values["name"], 200, required=True)
    check_line(problems, "unit", values["unit"], 30)
    problems.require(values["kind"] in KPI_KINDS, "kind", KPI_KINDS.describe())
    measure = values["measure"]
    if problems.require(measure in MEASURES, "measure", MEASURES.describe()):
        problems.require(measure not in SURVEY_MEASURES or values["kind"] == "x_data", "kind",
                         _("NPS, CSAT and CES are experience data (X-data)."))
    problems.require(values["direction"] in DIRECTIONS, "direction", DIRECTIONS.describe())
    if measure in MEASURES:
        check_value(problems, "baseline_value", measure, values["baseline_value"])
        check_value(problems, "target_value", measure, values["target_value"])
    check_date(problems, "baseline_on", values["baseline_on"], required=True)
    check_date(problems, "target_on", values["target_on"], required=True)
    if "baseline_on" not in problems and "target_on" not in problems:
        problems.require(values["target_on"] > values["baseline_on"], "target_on",
                         _("The target date must come after the baseline date."))
    if "baseline_value" not in problems and "target_value" not in problems and values["direction"] in DIRECTIONS:
        better = values["target_value"] - values["baseline_value"]
        problems.require(better > 0 if values["direction"] == "up" else better < 0, "target_value",
                         _("The target must be better than the baseline: higher when higher is better, lower "
                           "when lower is better."))
    return problems


def _kpi_values(fields: dict) -> dict:
    values = {name: fields.get(name) for name in KPI_FIELDS}
    values["code"] = tidy(values["code"]).upper()
    for name in ("name", "unit"):
        values[name] = tidy(values[name])
    values["direction"] = values["direction"] or "up"
    return values


def kpi_problems(fields: dict) -> Problems:
    """What would be refused in a KPI's fields, checked without the database (for a form to show all at once)."""
    return check_kpi(_kpi_values(fields))


def _check_in_organisation(organisation: Organisation, values: dict, besides: Kpi | None) -> Problems:
    problems = check_kpi(values)
    owner = values["owner"]
    problems.require(owner is None or (isinstance(owner, CoalitionMember) and owner.organisation_id == organisation.id),
                     "owner", _("The owner must be a member of this organisation's coalition."))
    touchpoint = values["touchpoint"]
    problems.require(touchpoint is None or (isinstance(touchpoint, Touchpoint)
                                            and touchpoint.organisation_id == organisation.id),
                     "touchpoint", _("Choose a touchpoint of this organisation's journey."))
    if "code" not in problems:
        query = select(Kpi.id).where(Kpi.organisation_id == organisation.id, Kpi.code == values["code"])
        if besides is not None:
            query = query.where(Kpi.id != besides.id)
        problems.require(db.session.scalar(query) is None, "code",
                         _("%(code)s is already the code of another KPI.", code=values["code"]))
    return problems


def create_kpi(organisation: Organisation, **fields) -> Kpi:
    """A new KPI of the organisation, from code, name, kind, measure, unit, direction, baseline and target."""
    values = _kpi_values(fields)
    _check_in_organisation(organisation, values, None).raise_if_any()
    kpi = Kpi(organisation_id=organisation.id, **values)
    db.session.add(kpi)
    db.session.flush()
    return kpi


def update_kpi(organisation: Organisation, kpi: Kpi, expected_version: int | None = None, **fields) -> Kpi:
    """Change a KPI; every value is checked before any is changed. A survey KPI keeps its measure once read."""
    kpi.check_version(expected_version, _("this KPI"))
    values = _kpi_values(fields)
    problems = _check_in_organisation(organisation, values, kpi)
    if values["measure"] != kpi.measure and (kpi.is_survey or values["measure"] in SURVEY_MEASURES):
        has_readings = db.session.scalar(select(KpiReading.id).where(KpiReading.kpi_id == kpi.id).limit(1))
        problems.require(has_readings is None, "measure",
                         _("The readings were taken on this measure's scale: it cannot change to or from a "
                           "survey measure."))
    if values["measure"] in RANGES and values["measure"] != kpi.measure:
        low, high = RANGES[values["measure"]]
        problems.require(all(low <= value <= high for value in _reading_values_of(kpi)), "measure",
                         _("A reading of this KPI lies outside that measure's range."))
    problems.raise_if_any()
    for name, value in values.items():
        setattr(kpi, name, value)
    db.session.flush()
    return kpi


def _reading_values_of(kpi: Kpi) -> list[Decimal]:
    if kpi.id is None:
        return []
    return list(db.session.scalars(select(KpiReading.value).where(KpiReading.kpi_id == kpi.id)))


def delete_kpi(kpi: Kpi) -> None:
    """Delete the KPI with its readings and its ties to initiatives."""
    db.session.delete(kpi)
    db.session.flush()


def kpi_by_code(organisation: Organisation, code: str) -> Kpi:
    query = Kpi.scoped_to(organisation).where(Kpi.code == tidy(code).upper()).options(
        joinedload(Kpi.owner), joinedload(Kpi.touchpoint).joinedload(Touchpoint.stage))
    kpi = db.session.scalar(query)
    if kpi is None:
        raise NotInOrganisation(_("No KPI %(code)s in this organisation.", code=code))
    return kpi


def all_kpis(organisation: Organisation) -> list[Kpi]:
    """Every KPI of the organisation with its owner, O-data first, then by code."""
    query = Kpi.scoped_to(organisation).options(
        joinedload(Kpi.owner), joinedload(Kpi.touchpoint).joinedload(Touchpoint.stage)).order_by(Kpi.kind, Kpi.code)
    return list(db.session.scalars(query))


# -- readings --------------------------------------------------------------------------------------------

def check_reading(problems: Problems, kpi: Kpi, taken_on, value, respondents, note: str) -> None:
    check_date(problems, "taken_on", taken_on, required=True, not_after=today())
    check_value(problems, "value", kpi.measure, value)
    problems.require(respondents is None or (isinstance(respondents, int) and not isinstance(respondents, bool)
                                             and 0 <= respondents <= MAX_RESPONDENTS), "respondents",
                     _("Respondents is a whole number from 0 up."))
    check_text(problems, "note", note, 2000)


def record_reading(kpi: Kpi, taken_on: date, value: Decimal, respondents: int | None = None,
                   note: str = "") -> KpiReading:
    """Record what the KPI measured on a day, replacing what was recorded for that day."""
    note = tidy(note)
    problems = Problems()
    check_reading(problems, kpi, taken_on, value, respondents, note)
    problems.raise_if_any()
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == kpi.id,
                                                         KpiReading.taken_on == taken_on))
    if reading is None:
        reading = KpiReading(kpi=kpi, taken_on=taken_on, created_by=current_actor().label[:254])
        db.session.add(reading)
    reading.value, reading.respondents, reading.note = value, respondents, note
    db.session.flush()
    return reading


def reading_of(kpi: Kpi, reading_id: int) -> KpiReading:
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == kpi.id, KpiReading.id == reading_id))
    if reading is None:
        raise NotInOrganisation(_("No such reading of %(code)s.", code=kpi.code))
    return reading


def delete_reading(reading: KpiReading) -> None:
    db.session.delete(reading)
    db.session.flush()


def readings_by_kpi(kpi_ids: list[int]) -> dict[int, list[KpiReading]]:
    """The readings of each KPI in date order (one query)."""
    grouped: dict[int, list[KpiReading]] = defaultdict(list)
    if kpi_ids:
        query = select(KpiReading).where(KpiReading.kpi_id.in_(kpi_ids)).order_by(KpiReading.taken_on)
        for reading in db.session.scalars(query):
            grouped[reading.kpi_id].append(reading)
    return grouped


def kept_comments(reading_ids: list[int], limit: int = 200) -> dict[int, list[SurveyComment]]:
    """The survey comments kept beside each reading (one query); none unless the organisation keeps them."""
    grouped: dict[int, list[SurveyComment]] = defaultdict(list)
    if reading_ids:
        query = (select(SurveyComment).where(SurveyComment.reading_id.in_(reading_ids))
                 .order_by(SurveyComment.reading_id, SurveyComment.id).limit(limit))
        for comment in db.session.scalars(query):
            grouped[comment.reading_id].append(comment)
    return grouped


# -- figures ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiFigures:
    """What a KPI shows: its readings, the latest, where the line says it should be, status, achievement, trend.

    A survey KPI (NPS, CSAT, CES) also reads each reading honestly (`honest`, one per reading: n, 95 % interval,
    the verdict on the change from the reading before); its trend then follows the verdict (`scores.honest_trend`).
    """

    kpi: Kpi
    readings: list[KpiReading]
    expected: Decimal
    status: str
    achievement: Decimal | None
    trend: str | None
    honest: list[scores.HonestReading] = field(default_factory=list)

    @property
    def latest(self) -> KpiReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def latest_honest(self) -> scores.HonestReading | None:
        return self.honest[-1] if self.honest else None

    @property
    def status_caveat(self) -> str:
        """Why the status may be chance (the latest reading's interval spans today's line), '' when it is not."""
        latest = self.latest_honest
        if latest is None or self.status == "no_data":
            return ""
        return scores.caveat_text(latest.score, self.expected, self.kpi.unit)

    @property
    def status_label(self) -> str:
        return KPI_STATUSES.label(self.status)

    @property
    def trend_label(self) -> str:
        return TRENDS.label(self.trend)

    @property
    def values(self) -> list[Decimal]:
        return [reading.value for reading in self.readings]


def figures_of(kpi: Kpi, readings: list[KpiReading], on: date, tallies: dict | None = None) -> KpiFigures:
    """A KPI's figures on `on`; `tallies` (reading id → the answers' distribution), when at hand, makes the
    intervals of those readings exact."""
    latest = readings[-1].value if readings else None
    line = kpi.line
    honest = scores.honest_readings(kpi.measure, readings, tallies)
    plain_trend = calc.trend([r.value for r in readings], kpi.direction)
    return KpiFigures(kpi=kpi, readings=readings, expected=calc.expected_now(line, on),
                      status=calc.status(line, latest, on), achievement=calc.achievement(line, latest),
                      trend=scores.honest_trend(kpi.direction, honest[-1] if honest else None, plain_trend),
                      honest=honest)


# Areas above this one that keep survey answers tell the answers' distribution behind the readings they wrote:
# fn(kpis, readings) -> {reading id: tally}, a few queries whatever the number of readings.
_tally_sources: list[Callable[[list[Kpi], list[KpiReading]], dict[int, Tally]]] = []


def reading_tallies(fn):
    """Register fn(kpis, readings) -> {reading id: the answers' tally}: those readings' intervals become exact."""
    _tally_sources.append(fn)
    return fn


def tallies_of(kpis: list[Kpi], readings: list[KpiReading]) -> dict[int, Tally]:
    """The answers' tallies the registered sources know for these readings of survey KPIs (none asked otherwise)."""
    survey_ids = {kpi.id for kpi in kpis if kpi.is_survey}
    readings = [reading for reading in readings if reading.kpi_id in survey_ids and reading.respondents]
    found: dict[int, Tally] = {}
    for source in _tally_sources if readings else ():
        found.update(source([kpi for kpi in kpis if kpi.id in survey_ids], readings))
    return found


def figures_of_many(kpis: list[Kpi], readings: dict[int, list[KpiReading]], on: date,
                    exact_last: int | None = 2) -> list[KpiFigures]:
    """The figures of each KPI; the intervals of each one's last `exact_last` readings (all with None) exact where
    the answers behind them are kept — what a board shows: the latest reading and its change from the one before."""
    asked = [reading for kpi in kpis for reading in readings[kpi.id][-exact_last if exact_last else None:]]
    tallies = tallies_of(kpis, asked)
    return [figures_of(kpi, readings[kpi.id], on, tallies) for kpi in kpis]


def kpi_board(organisation: Organisation, on: date) -> list[KpiFigures]:
    """The figures of every KPI of the organisation (two queries, and those of the tally sources)."""
    kpis = all_kpis(organisation)
    return figures_of_many(kpis, readings_by_kpi([kpi.id for kpi in kpis]), on)


def kpi_figures(kpi: Kpi, on: date) -> KpiFigures:
    """One KPI's figures, every reading's interval exact where the answers behind it are kept (its page)."""
    return figures_of_many([kpi], readings_by_kpi([kpi.id]), on, exact_last=None)[0]


def off_track(organisation: Organisation, on: date) -> list[KpiFigures]:
    """The KPIs whose latest reading is off track today, worst achievement first."""
    board = [figures for figures in kpi_board(organisation, on) if figures.status == "off_track"]
    return sorted(board, key=lambda f: (f.achievement if f.achievement is not None else Decimal(0), f.kpi.code))


def touchpoint_choices(organisation: Organisation) -> list[Touchpoint]:
    """The organisation's touchpoints in journey order, each with its stage (one query)."""
    query = (Touchpoint.scoped_to(organisation).join(JourneyStage).options(joinedload(Touchpoint.stage))
             .order_by(JourneyStage.position, JourneyStage.id, Touchpoint.position, Touchpoint.id))
    return list(db.session.scalars(query))


def touchpoint_by_key(organisation: Organisation, key: str) -> Touchpoint:
    touchpoint = db.session.scalar(Touchpoint.scoped_to(organisation).where(Touchpoint.key == key))
    if touchpoint is None:
        raise NotInOrganisation(_("No touchpoint %(key)s in this organisation.", key=key))
    return touchpoint


def kpis_of_touchpoints(organisation: Organisation, touchpoint_ids: list[int]) -> dict[int, list[Kpi]]:
    """The KPIs that measure each touchpoint (one query)."""
    grouped: dict[int, list[Kpi]] = defaultdict(list)
    if touchpoint_ids:
        query = Kpi.scoped_to(organisation).where(Kpi.touchpoint_id.in_(touchpoint_ids)).order_by(Kpi.code)
        for kpi in db.session.scalars(query):
            grouped[kpi.touchpoint_id].append(kpi)
    return grouped
