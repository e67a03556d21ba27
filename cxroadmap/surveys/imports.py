"""Answers gathered elsewhere, from a CSV file, stored as a survey's answers the way the answer page stores them:
the KPI's reading and the touchpoint's scores of every period they fall in are then worked out from the stored
answers, and the driver analysis reads the touchpoints they rate.

The file is read twice as a stream, never whole: once to check every line (nothing written, no lock held; one
message per problem, naming its line), then, only when no line has a problem, once more to store the answers in
chunks with the database's bulk insert (one statement per chunk, no ORM object per answer). A file past the limit
of answers is refused at the first line past it.

Comments are stored only when the organisation keeps survey comments (its settings): answers gathered elsewhere
come without the answer page's word on who asks and why.

Columns (named on the first line, in any order and case; other columns are left alone, as a survey tool's export
carries many): score (required), answered_on, comment, touchpoint (its key or name: who the answer is about, for the
follow-up cases), expectation and perception (1–7), and one column per touchpoint rated (1–7), named by the
touchpoint's key.
"""

import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import insert, select

from cxroadmap import uploads
from cxroadmap.audit.services import summarised
from cxroadmap.errors import tidy
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.answers import AnswersRefused, Imported
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.feedback import IMPORT_WINDOW_DAYS, FeedbackAnswer, answer_recorded
from cxroadmap.measures.models import Kpi
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.surveys import calc
from cxroadmap.surveys.answering import refresh_reading, refresh_touchpoint
from cxroadmap.surveys.kinds import GAP_SCALE, MAX_RATED
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyVersion
from cxroadmap.surveys.services import create_survey, set_state, surveys_feeding
from cxroadmap.timeutil import today

STANDARD = ("score", "answered_on", "comment", "touchpoint", "expectation", "perception")
CHUNK = 5000  # answers per insert statement
MOST_PROBLEMS = 50
COMMENT_CHARS = 5000
SPOOL_BYTES = 8 * 1024 * 1024  # what is kept in memory of a stream that cannot be read twice (standard input)


@dataclass(frozen=True)
class Layout:
    """Where each column the import reads sits on a line: the standard ones by name, the rated touchpoints by id."""

    columns: dict[str, int]
    rated: tuple[tuple[int, int], ...]  # (touchpoint id, column index)


@dataclass
class Checked:
    """What the first reading found: the layout and the number of answers (every line sound)."""

    layout: Layout
    count: int = 0
    problems: list[str] = field(default_factory=list)


def _whole(text: str) -> int | None:
    text = text.strip()
    digits = text[1:] if text.startswith(("+", "-")) else text
    if not digits.isdigit() or len(digits) > 6:
        return None
    return int(text)


def _rows(stream: BinaryIO, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    return uploads.csv_rows(stream, uploads.sniffed, max_rows=max_rows, max_columns=uploads.ANSWER_COLUMNS)


def _layout(header: list[str], keys: dict[str, int]) -> Layout:
    names = [tidy(name).lower() for name in header]
    if "score" not in names:
        raise AnswersRefused([_("Line 1 names no “score” column; the first line names the columns (score, and "
                                "optionally answered_on, comment, touchpoint, expectation, perception, and the key "
                                "of each touchpoint rated).")])
    columns = {name: names.index(name) for name in STANDARD if name in names}
    rated = tuple((keys[name], index) for index, name in enumerate(names) if name in keys and name not in STANDARD)
    if len(rated) > MAX_RATED:
        raise AnswersRefused([_("Line 1 names %(count)s touchpoints rated; a survey rates at most %(most)s.",
                                count=len(rated), most=MAX_RATED)])
    return Layout(columns, rated)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _rating_problem(line: int, name: str, text: str) -> str | None:
    value = _whole(text) if text else None
    if text and (value is None or not GAP_SCALE[0] <= value <= GAP_SCALE[1]):
        return _("Line %(line)s: %(column)s “%(value)s” is not a whole number from 1 to 7.", line=line,
                 column=name, value=text[:20])
    return None


def _line_problems(line: int, row: list[str], layout: Layout, measure: str, names: dict[int, str]) -> list[str]:
    """Every problem of one line, each naming it."""
    low, high = SCALES[measure]
    problems = []
    score = _whole(_cell(row, layout.columns["score"]))
    if score is None or not low <= score <= high:
        problems.append(_("Line %(line)s: the score “%(score)s” is not a whole number from %(low)s to %(high)s "
                          "(%(measure)s).", line=line, score=_cell(row, layout.columns["score"])[:20], low=low,
                          high=high, measure=measure.upper()))
    day = _cell(row, layout.columns.get("answered_on"))
    if day and _day(day) is None:
        problems.append(_("Line %(line)s: answered_on “%(value)s” is not a date like 2026-03-31.", line=line,
                          value=day[:20]))
    if len(_cell(row, layout.columns.get("comment"))) > COMMENT_CHARS:
        problems.append(_("Line %(line)s: the comment is longer than %(count)s characters.", line=line,
                          count=f"{COMMENT_CHARS:,}"))
    cells = [(name, _cell(row, layout.columns.get(name))) for name in ("expectation", "perception")]
    cells += [(names[touchpoint_id], _cell(row, index)) for touchpoint_id, index in layout.rated]
    problems += [p for name, text in cells if (p := _rating_problem(line, name, text))]
    return problems


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_answers(organisation: Organisation, measure: str, stream: BinaryIO, max_rows: int) -> Checked:
    """The first reading: every line checked, nothing written. AnswersRefused with one message per problem (at most
    MOST_PROBLEMS), at the first line past max_rows, or for a file that is not UTF-8 text."""
    keys = touchpoint_keys(organisation)
    names = {touchpoint_id: key for key, touchpoint_id in keys.items()}
    problems: list[str] = []
    try:
        rows = _rows(stream, max_rows)
        header = next(rows, None)
        if header is None:
            raise AnswersRefused([_("The file is empty.")])
        checked = Checked(_layout(header[1], keys), problems=problems)
        for line, row in rows:
            problems += _line_problems(line, row, checked.layout, measure, names)
            checked.count += 1
            if len(problems) >= MOST_PROBLEMS:
                problems.append(_("… and perhaps more; correct these first."))
                break
    except uploads.NotText:
        raise AnswersRefused([_("The file is not UTF-8 text (save the spreadsheet as CSV UTF-8).")]) from None
    except uploads.TooManyRows:
        raise AnswersRefused([*problems, _("At most %(count)s answers in one file.",
                                           count=f"{max_rows:,}")]) from None
    except uploads.UploadRefused as refused:
        raise AnswersRefused([*problems, str(refused)]) from None
    if not checked.count and not problems:
        problems.append(_("The file names its columns but holds no answers."))
    if problems:
        raise AnswersRefused(problems)
    return checked


def touchpoint_keys(organisation: Organisation) -> dict[str, int]:
    """{touchpoint key (lower case): id} of the organisation's journey."""
    query = select(Touchpoint.key, Touchpoint.id).where(Touchpoint.organisation_id == organisation.id)
    return {key.lower(): touchpoint_id for key, touchpoint_id in db.session.execute(query)}


class _Kept(io.RawIOBase):
    """A stream that cannot be read twice (standard input), read through: what the first reading takes of it is
    kept in a temporary file (in memory up to SPOOL_BYTES) for the second. The first reading stops at the limit of
    answers, so no more than that is ever kept."""

    def __init__(self, source: BinaryIO):
        self.source = source
        self.copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - given on by again()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.source.read(len(buffer))
        buffer[:len(chunk)] = chunk
        self.copy.write(chunk)
        return len(chunk)

    def again(self) -> BinaryIO:
        """What was read so far, from its start."""
        self.copy.seek(0)
        return self.copy


# -- storing ---------------------------------------------------------------------------------------------

def _version_rating(survey: Survey, rated: list[int]) -> SurveyVersion:
    """The version the imported answers keep: the current one when it asks about every touchpoint the file rates,
    else one that also asks about them (a new version once the current one has answers)."""
    from cxroadmap.surveys.services import version_has_answers

    current = survey.current
    missing = [touchpoint_id for touchpoint_id in rated if touchpoint_id not in current.rated]
    if not missing:
        return current
    wanted = [*current.rated, *missing]
    if len(wanted) > MAX_RATED:
        raise AnswersRefused([_("%(title)s rates %(count)s touchpoints already; with the file's it would rate more "
                                "than %(most)s.", title=survey.title, count=len(current.rated), most=MAX_RATED)])
    if version_has_answers(current):
        version = SurveyVersion(survey=survey, number=current.number + 1, texts=current.texts,
                                asks_gap=current.asks_gap, rated=wanted, asks_contact=current.asks_contact)
        db.session.add(version)
    else:
        version = current
        version.rated = wanted
    db.session.flush()
    db.session.expire(survey, ["versions"])
    return version


@dataclass
class _Storing:
    """What the second reading carries from chunk to chunk: the constant part of each row, the days touched."""

    survey: Survey
    version: SurveyVersion
    layout: Layout
    default_day: date
    language: str
    touchpoints: dict[str, int]
    recent_from: date
    keep_comments: bool
    days: set[date] = field(default_factory=set)
    stored: int = 0

    def row(self, row: list[str]) -> dict:
        columns = self.layout.columns
        day_text = _cell(row, columns.get("answered_on"))
        answered_on = date.fromisoformat(day_text) if day_text else self.default_day
        self.days.add(answered_on)
        expectation = _cell(row, columns.get("expectation"))
        perception = _cell(row, columns.get("perception"))
        about = tidy(_cell(row, columns.get("touchpoint")))[:80]
        return {"organisation_id": self.survey.organisation_id, "survey_id": self.survey.id,
                "version_id": self.version.id, "answered_at": datetime.combine(answered_on, time(12), tzinfo=UTC),
                "answered_on": answered_on, "score": int(_cell(row, columns["score"])),
                "expectation": int(expectation) if expectation else None,
                "perception": int(perception) if perception else None,
                "ratings": {str(t): int(v) for t, i in self.layout.rated if (v := _cell(row, i))},
                "comment": tidy(_cell(row, columns.get("comment"))), "language": self.language,
                "hidden": {"touchpoint": about} if about else {}}

    def tell(self, rows: list[dict], comments: list[str]) -> None:
        """Send `answer_recorded` for the recent answers of a chunk (older ones are history: nobody acts on them),
        each with its comment (a follow-up case needs it, whether or not the answer keeps it)."""
        if not answer_recorded.receivers:
            return
        app = current_app._get_current_object()
        for row, comment in zip(rows, comments, strict=True):
            if row["answered_on"] < self.recent_from:
                continue
            about = row["hidden"].get("touchpoint", "").casefold()
            answer_recorded.send(app, answer=FeedbackAnswer(
                organisation_id=row["organisation_id"], source="import", answered_at=row["answered_at"],
                survey_title=self.survey.title, measure=self.survey.measure, score=row["score"],
                touchpoint_id=self.touchpoints.get(about, self.survey.touchpoint_id) if about
                else self.survey.touchpoint_id,
                expectation=row["expectation"], perception=row["perception"], comment=comment,
                language=row["language"]))


def _touchpoints_named(organisation_id: int) -> dict[str, int]:
    found: dict[str, int] = {}
    query = select(Touchpoint.id, Touchpoint.key, Touchpoint.name).where(Touchpoint.organisation_id == organisation_id)
    for touchpoint_id, key, name in db.session.execute(query):
        found.setdefault(name.casefold(), touchpoint_id)
        found[key.casefold()] = touchpoint_id
    return found


def store_answers(survey: Survey, stream: BinaryIO, checked: Checked, default_day: date, max_rows: int) -> Imported:
    """The second reading: the checked file's answers stored in chunks, then the readings and touchpoint scores
    of every period they fall in worked out again from all stored answers. The caller commits."""
    version = _version_rating(survey, [touchpoint_id for touchpoint_id, _index in checked.layout.rated])
    organisation = db.session.get(Organisation, survey.organisation_id)
    storing = _Storing(survey, version, checked.layout, default_day,
                       organisation.locale if organisation.locale in ("en", "nl") else "en",
                       _touchpoints_named(survey.organisation_id),
                       today() - timedelta(days=IMPORT_WINDOW_DAYS), organisation.keep_survey_comments)
    statement = insert(SurveyAnswer.__table__)
    rows = _rows(stream, max_rows)
    next(rows)
    chunk: list[dict] = []
    for _line, row in rows:
        chunk.append(storing.row(row))
        if len(chunk) == CHUNK:
            _insert(statement, chunk, storing)
            chunk = []
    if chunk:
        _insert(statement, chunk, storing)
    periods = sorted({calc.period_bounds(survey.period, day) for day in storing.days})
    with summarised():
        refresh_periods(survey, periods)
    return Imported(storing.stored, survey.title, len(periods), survey.id)


def _insert(statement, chunk: list[dict], storing: _Storing) -> None:
    comments = [row["comment"] for row in chunk]
    if not storing.keep_comments:
        for row in chunk:
            row["comment"] = ""
    db.session.execute(statement, chunk)
    storing.stored += len(chunk)
    storing.tell(chunk, comments)


def refresh_periods(survey: Survey, periods: list[tuple[date, date]]) -> None:
    """The KPI reading and the touchpoint's scores of each period, from every answer stored for it."""
    if survey.kpi_id is not None and periods:
        hold_row(survey.kpi)
        for start, end in periods:
            refresh_reading(survey, start, end)
    if survey.touchpoint_id is not None and periods:
        hold_row(survey.touchpoint)
        for start, end in periods:
            refresh_touchpoint(survey, start, end)


def survey_for(organisation: Organisation, kpi: Kpi) -> Survey:
    """The survey feeding the KPI that imported answers join (a live one first); without one, a closed survey made
    for them, so its public link takes no answers."""
    feeding = surveys_feeding(organisation, kpi)
    if feeding:
        return feeding[0]
    survey = create_survey(organisation, title=_("Imported answers: %(name)s", name=kpi.name)[:200],
                           touchpoint=kpi.touchpoint, measure=kpi.measure, kpi=kpi, period="month", rated=[],
                           asks_gap=kpi.touchpoint is not None)
    set_state(survey, "live")
    set_state(survey, "closed")
    return survey


def import_answers(organisation: Organisation, into: Survey | Kpi, content: bytes | str | BinaryIO,
                   default_day: date, *, max_rows: int = uploads.ANSWER_ROWS,
                   before_writing: Callable[[], None] = lambda: None) -> Imported:
    """Check the whole file, call before_writing (a request takes its write lock there), then store the answers in
    the survey (or in the survey feeding the KPI, made when there is none). Nothing is written when refused."""
    measure = into.measure
    if measure not in SCALES:
        raise AnswersRefused([_("%(code)s is not measured by a survey (NPS, CSAT or CES); enter its readings "
                                "directly.", code=getattr(into, "code", into.id))])
    if isinstance(content, str):
        content = content.encode("utf-8")
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    if stream.seekable():
        start = stream.tell()
        checked = check_answers(organisation, measure, stream, max_rows)
        stream.seek(start)
    else:
        kept = _Kept(stream)
        checked = check_answers(organisation, measure, io.BufferedReader(kept), max_rows)
        stream = kept.again()
    before_writing()
    survey = survey_for(organisation, into) if isinstance(into, Kpi) else into
    return store_answers(survey, stream, checked, default_day, max_rows)


def import_for_kpi(organisation: Organisation, kpi: Kpi, stream: BinaryIO, default_day: date, max_rows: int,
                   before_writing: Callable[[], None]) -> Imported:
    """The `measures.answers.AnswerImport` this area contributes: the KPI's answers stored in its survey."""
    return import_answers(organisation, kpi, stream, default_day, max_rows=max_rows, before_writing=before_writing)
