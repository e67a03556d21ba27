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
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from cxroadmap import uploads
from cxroadmap.audit.services import summarised
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.answers import AnswersRefused, Imported
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.feedback import IMPORT_WINDOW_DAYS, FeedbackAnswer, answer_recorded
from cxroadmap.measures.models import Kpi
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.kinds import GAP_SCALE, MAX_RATED
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyVersion
from cxroadmap.surveys.services import create_survey, set_state, surveys_feeding
from cxroadmap.surveys.settling import refresh_reading, refresh_touchpoint
from cxroadmap.timeutil import today
from cxroadmap.validation import tidy

STANDARD = ("score", "answered_on", "comment", "touchpoint", "expectation", "perception")
CHUNK = 5000  # answers per insert statement
SQLITE_IMPORT_CACHE_KB = 64 * 1024  # SQLite's page cache while an import writes (within the 250 MB it may use)
MOST_PROBLEMS = 50
COMMENT_CHARS = 5000
SPOOL_BYTES = 8 * 1024 * 1024  # what is kept in memory of a stream that cannot be read twice (standard input)


@dataclass(frozen=True)
class Layout:
    """Where each column the import reads sits on a line: the standard ones by name, the rated touchpoints by id."""

    columns: dict[str, int]
    rated: tuple[tuple[int, int], ...]  # (touchpoint id, column index)
    width: int = 0  # the header's number of columns

    def cells(self) -> Callable[[list[str]], list[str]]:
        """fn(row) -> its cells, trimmed, in the order of STANDARD then the rated touchpoints ("" for a column
        the file does not have, or a line that stops early)."""
        missing = self.width  # a line is padded with one empty cell past the header's, for the absent columns
        indexes = [self.columns.get(name, missing) for name in STANDARD] + [index for _id, index in self.rated]
        pick = itemgetter(*indexes)
        pad = [""] * (self.width + 1)

        def cells(row: list[str]) -> list[str]:
            if len(row) <= self.width:
                row = row + pad[len(row):]
            return [cell.strip() for cell in pick(row)]
        return cells


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
    return Layout(columns, rated, len(names))


def _rating_problem(line: int, name: str, text: str) -> str | None:
    value = _whole(text) if text else None
    if text and (value is None or not GAP_SCALE[0] <= value <= GAP_SCALE[1]):
        return _("Line %(line)s: %(column)s “%(value)s” is not a whole number from 1 to 7.", line=line,
                 column=name, value=text[:20])
    return None


class _LineCheck:
    """Every problem of one line, each naming it; a line whose cells are all plainly sound (the usual case) is
    passed by set lookups alone."""

    def __init__(self, layout: Layout, measure: str, names: dict[int, str]):
        self.low, self.high = SCALES[measure]
        self.measure = measure
        self.scores = frozenset(str(value) for value in range(self.low, self.high + 1))
        self.ratings = frozenset(["", *(str(value) for value in range(GAP_SCALE[0], GAP_SCALE[1] + 1))])
        self.days: set[str] = {""}
        # An answer is given by now: a day after tomorrow is a typing error (a day's slack for the time zones).
        self.latest = today() + timedelta(days=1)
        self.rated_names = ["expectation", "perception", *(names[touchpoint_id] for touchpoint_id, _i in layout.rated)]

    def sound(self, cells: list[str]) -> bool:
        score, day, comment, _about, *rated = cells
        if score not in self.scores or len(comment) > COMMENT_CHARS or any(c not in self.ratings for c in rated):
            return False
        if day not in self.days:
            found = _day(day)
            if found is None or found > self.latest:
                return False
            self.days.add(day)
        return True

    def problems(self, line: int, cells: list[str]) -> list[str]:
        if self.sound(cells):
            return []
        score_text, day, comment, _about, *rated = cells
        problems = []
        score = _whole(score_text)
        if score is None or not self.low <= score <= self.high:
            problems.append(_("Line %(line)s: the score “%(score)s” is not a whole number from %(low)s to %(high)s "
                              "(%(measure)s).", line=line, score=score_text[:20], low=self.low, high=self.high,
                              measure=self.measure.upper()))
        found = _day(day) if day else None
        if day and found is None:
            problems.append(_("Line %(line)s: answered_on “%(value)s” is not a date like 2026-03-31.", line=line,
                              value=day[:20]))
        elif found is not None and found > self.latest:
            problems.append(_("Line %(line)s: answered_on %(value)s is in the future.", line=line, value=day))
        if len(comment) > COMMENT_CHARS:
            problems.append(_("Line %(line)s: the comment is longer than %(count)s characters.", line=line,
                              count=f"{COMMENT_CHARS:,}"))
        return problems + [p for name, text in zip(self.rated_names, rated, strict=True)
                           if (p := _rating_problem(line, name, text))]


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
        cells, check = checked.layout.cells(), _LineCheck(checked.layout, measure, names)
        for line, row in rows:
            problems += check.problems(line, cells(row))
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


class _Values:
    """Each value of a column made ready for the database driver once (a day, a set of ratings), then reused: the
    columns' own bind processors (dates as SQLite keeps them, JSON) run once per distinct value instead of once per
    answer, and the insert hands the driver what it sends."""

    def __init__(self, dialect):
        columns = SurveyAnswer.__table__.c
        self.processors = {name: columns[name].type.dialect_impl(dialect).bind_processor(dialect)
                           for name in ("answered_at", "answered_on")}
        # JSON as the text both drivers take (and COPY writes) as it is: no wrapper to encode again for each row.
        self.processors["ratings"] = self.processors["hidden"] = json.dumps
        self.cache: dict = {}

    def ready(self, name: str, key, make: Callable[[], object]):
        found = self.cache.get((name, key), self)
        if found is self:
            value = make()
            processor = self.processors[name]
            found = self.cache[(name, key)] = processor(value) if processor else value
        return found


# The columns the bulk insert fills, in the order of each row's values.
INSERTED = ("organisation_id", "survey_id", "version_id", "answered_at", "answered_on", "score", "expectation",
            "perception", "ratings", "comment", "language", "hidden")
SCORE, EXPECTATION, PERCEPTION = 5, 6, 7


def copy_rows(connection, table_name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows into a PostgreSQL table by COPY, on the connection's own transaction (psycopg's copy)."""
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_statement(dialect) -> str:
    """The insert of one answer in the driver's own placeholders; run with executemany, a chunk at a time."""
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {SurveyAnswer.__tablename__} ({', '.join(INSERTED)}) "
            f"VALUES ({', '.join(mark for _name in INSERTED)})")


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
    values: _Values
    days: set[date] = field(default_factory=set)
    stored: int = 0
    # {(day, score): [answers, answers giving both expectation and perception, their sums]}, for the tallies.
    counted: dict = field(default_factory=dict)

    def __post_init__(self):
        self.cells = self.layout.cells()
        self.rated = [touchpoint_id for touchpoint_id, _index in self.layout.rated]
        self.numbers = {str(value): value for value in range(0, 11)}
        self.dates: dict[str, tuple] = {}
        self.same = (self.survey.organisation_id, self.survey.id, self.version.id)

    def _day(self, text: str) -> tuple:
        """(date, its answered_at and answered_on made ready for the driver), once per day written."""
        found = self.dates.get(text)
        if found is None:
            day = date.fromisoformat(text) if text else self.default_day
            self.days.add(day)
            found = self.dates[text] = (
                day, self.values.ready("answered_at", day, lambda: datetime.combine(day, time(12), tzinfo=UTC)),
                self.values.ready("answered_on", day, lambda: day))
        return found

    def _count(self, day: date, score: int, expectation: int | None, perception: int | None) -> None:
        sums = self.counted.get((day, score))
        if sums is None:
            sums = self.counted[(day, score)] = [0, 0, 0, 0]
        sums[0] += 1
        if expectation is not None and perception is not None:
            sums[1] += 1
            sums[2] += expectation
            sums[3] += perception

    def row(self, row: list[str]) -> tuple:
        score, day_text, comment, about, expectation, perception, *rated = self.cells(row)
        day, answered_at, answered_on = self._day(day_text)
        numbers, ready = self.numbers, self.values.ready
        self._count(day, int(score), numbers.get(expectation), numbers.get(perception))
        ratings = tuple((t, numbers[v]) for t, v in zip(self.rated, rated, strict=True) if v)
        return (*self.same, answered_at, answered_on, int(score),
                numbers.get(expectation), numbers.get(perception),
                ready("ratings", ratings, lambda: {str(t): v for t, v in ratings}),
                tidy(comment) if comment and self.keep_comments else "", self.language,
                ready("hidden", about, lambda: {"touchpoint": tidy(about)[:80]} if about else {})), \
            (day_text, about, comment)

    def tell(self, rows: list[tuple], told: list[tuple]) -> None:
        """Send `answer_recorded` for the recent answers of a chunk (older ones are history: nobody acts on them),
        each with its comment (a follow-up case needs it, whether or not the answer keeps it)."""
        if not answer_recorded.receivers or max(self.days, default=self.recent_from) < self.recent_from:
            return
        app = current_app._get_current_object()
        for row, (day_text, about, comment) in zip(rows, told, strict=True):
            answered_on = self.dates[day_text][0]
            if answered_on < self.recent_from:
                continue
            about = tidy(about).casefold()
            answer_recorded.send(app, answer=FeedbackAnswer(
                organisation_id=self.survey.organisation_id, source="import",
                answered_at=datetime.combine(answered_on, time(12), tzinfo=UTC), survey_title=self.survey.title,
                measure=self.survey.measure, score=row[SCORE],
                touchpoint_id=self.touchpoints.get(about, self.survey.touchpoint_id) if about
                else self.survey.touchpoint_id,
                expectation=row[EXPECTATION], perception=row[PERCEPTION], comment=tidy(comment),
                language=self.language))


def _touchpoints_named(organisation_id: int) -> dict[str, int]:
    found: dict[str, int] = {}
    query = select(Touchpoint.id, Touchpoint.key, Touchpoint.name).where(Touchpoint.organisation_id == organisation_id)
    for touchpoint_id, key, name in db.session.execute(query):
        found.setdefault(name.casefold(), touchpoint_id)
        found[key.casefold()] = touchpoint_id
    return found


def store_answers(survey: Survey, stream: BinaryIO, checked: Checked, default_day: date, max_rows: int) -> Imported:
    """The second reading: the checked file's answers stored in chunks (one insert statement each, run by the
    driver's executemany), then the readings and touchpoint scores of every period they fall in worked out again
    from all stored answers. The caller commits."""
    version = _version_rating(survey, [touchpoint_id for touchpoint_id, _index in checked.layout.rated])
    organisation = db.session.get(Organisation, survey.organisation_id)
    connection = db.session.connection()
    storing = _Storing(survey, version, checked.layout, default_day,
                       organisation.locale if organisation.locale in ("en", "nl") else "en",
                       _touchpoints_named(survey.organisation_id),
                       today() - timedelta(days=IMPORT_WINDOW_DAYS), organisation.keep_survey_comments,
                       _Values(connection.dialect))
    with _roomy_cache(connection):
        _store_rows(connection, _rows(stream, max_rows), storing)
    periods = sorted({calc.period_bounds(survey.period, day) for day in storing.days})
    tally.add_counted(survey.id, storing.counted)
    with summarised():
        refresh_periods(survey, periods)
    return Imported(storing.stored, survey.title, len(periods), survey.id)


@contextmanager
def _roomy_cache(connection):
    """On SQLite, a page cache of SQLITE_IMPORT_CACHE_KB while the answers are written: the default 2 MB cannot
    hold the pages of the table and its indexes that a large import touches, and spills them to the disk again and
    again (the import waited twice as long for the disk as it worked). Set back afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _store_rows(connection, rows, storing: "_Storing") -> None:
    statement = _insert_statement(connection.dialect)
    next(rows)
    chunk: list[tuple] = []
    told: list[tuple] = []
    for _line, row in rows:
        values, said = storing.row(row)
        chunk.append(values)
        told.append(said)
        if len(chunk) == CHUNK:
            _insert(connection, statement, chunk, told, storing)
            chunk, told = [], []
    if chunk:
        _insert(connection, statement, chunk, told, storing)


def _insert(connection, statement: str, chunk: list[tuple], told: list[tuple], storing: _Storing) -> None:
    """One chunk written: on PostgreSQL by COPY (executemany runs a statement per row there, seven times slower
    for a million answers), elsewhere by the driver's executemany of one insert."""
    if connection.dialect.name == "postgresql":
        copy_rows(connection, SurveyAnswer.__tablename__, INSERTED, chunk)
    else:
        connection.exec_driver_sql(statement, chunk)
    storing.stored += len(chunk)
    storing.tell(chunk, told)


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
