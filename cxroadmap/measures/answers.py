"""Survey answers from a CSV file: every line checked first, then one reading with its number of respondents.

The answers themselves are not kept; only when the organisation keeps survey comments are the answers that
carry a comment stored beside the reading.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from cxroadmap import uploads
from cxroadmap.errors import DomainError, tidy
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures import calc
from cxroadmap.measures.feedback import FeedbackAnswer, answer_recorded
from cxroadmap.measures.kinds import MEASURES
from cxroadmap.measures.models import Kpi, KpiReading, SurveyComment
from cxroadmap.measures.services import record_reading
from cxroadmap.organisations.models import Organisation

MAX_ANSWERS = uploads.ANSWER_ROWS


class AnswersRefused(DomainError):
    """The file cannot be read as answers; `lines` holds one message per problem, naming the CSV line."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__({"answers": "\n".join(self.lines)})


@dataclass(frozen=True)
class Answer:
    line: int
    score: int
    answered_on: date | None
    touchpoint: str
    comment: str


def _whole(text: str) -> int | None:
    text = text.strip()
    if text.startswith(("+", "-")):
        sign, digits = text[0], text[1:]
    else:
        sign, digits = "", text
    if not digits.isdigit() or len(digits) > 6:
        return None
    return int(sign + digits)


def read_answers(measure: str, content: bytes | str | BinaryIO) -> list[Answer]:
    """The answers in a CSV with a `score` column (optional answered_on, comment, touchpoint), read as a stream
    and stopped at the first line past MAX_ANSWERS; AnswersRefused else. Nothing is written."""
    low, high = calc.SCALES[measure]
    if isinstance(content, str):
        content = content.encode("utf-8")
    problems = []
    try:
        rows = uploads.csv_rows(content, uploads.sniffed, max_rows=MAX_ANSWERS, max_columns=uploads.ANSWER_COLUMNS)
        header = next(rows, None)
        if header is None:
            raise AnswersRefused([_("The file is empty.")])
        names = [tidy(name).lower() for name in header[1]]
        if "score" not in names:
            raise AnswersRefused([_("Line 1 names no “score” column; the first line names the columns "
                                    "(score, and optionally answered_on, comment, touchpoint).")])
        column = {name: names.index(name) for name in ("score", "answered_on", "comment", "touchpoint")
                  if name in names}
        answers = []
        for line, row in rows:
            answer = _answer(line, row, column, measure, low, high, problems)
            if len(problems) >= 50:
                problems.append(_("… and perhaps more; correct these first."))
                break
            if answer is not None:
                answers.append(answer)
    except uploads.NotText:
        raise AnswersRefused([_("The file is not UTF-8 text (save the spreadsheet as CSV UTF-8).")]) from None
    except uploads.TooManyRows:
        raise AnswersRefused([_("At most %(count)s answers in one file.", count=f"{MAX_ANSWERS:,}")]) from None
    except uploads.UploadRefused as refused:
        raise AnswersRefused([*problems, str(refused)]) from None
    if not answers and not problems:
        problems.append(_("The file names its columns but holds no answers."))
    if problems:
        raise AnswersRefused(problems)
    return answers


def _answer(line: int, row: list[str], column: dict, measure: str, low: int, high: int,
            problems: list[str]) -> Answer | None:
    cells = {name: (row[index] if index < len(row) else "") for name, index in column.items()}
    score = _whole(cells["score"])
    if score is None or not low <= score <= high:
        problems.append(_("Line %(line)s: the score “%(score)s” is not a whole number from %(low)s to %(high)s "
                          "(%(measure)s).", line=line, score=cells["score"].strip()[:20], low=low, high=high,
                          measure=MEASURES.label(measure)))
    answered_on = None
    if cells.get("answered_on", "").strip():
        try:
            answered_on = date.fromisoformat(cells["answered_on"].strip())
        except ValueError:
            problems.append(_("Line %(line)s: answered_on “%(value)s” is not a date like 2026-03-31.",
                              line=line, value=cells["answered_on"].strip()[:20]))
    if score is None:
        return None
    return Answer(line, score, answered_on, tidy(cells.get("touchpoint"))[:200], tidy(cells.get("comment")))


def answers_for(kpi: Kpi, content: bytes | str | BinaryIO) -> list[Answer]:
    """The answers in the file, read for this KPI's measure; refuses a KPI that is not NPS, CSAT or CES, and any
    file with a problem. Nothing is written: the views read the file before their request takes the write lock."""
    if kpi.measure not in calc.SCALES:
        raise AnswersRefused([_("%(code)s is not measured by a survey (NPS, CSAT or CES); enter its readings "
                                "directly.", code=kpi.code)])
    return read_answers(kpi.measure, content)


def import_answers(organisation: Organisation, kpi: Kpi, content: list[Answer] | bytes | str | BinaryIO,
                   taken_on: date, note: str = "") -> KpiReading:
    """The KPI's reading on `taken_on` computed from the answers (read already by answers_for, or in the file),
    with their number as respondents. Refuses what answers_for refuses, writing nothing.
    """
    answers = content if isinstance(content, list) else answers_for(kpi, content)
    score = calc.survey_score(kpi.measure, [answer.score for answer in answers])
    note = tidy(note) or _("Computed from %(count)s answers.", count=score.respondents)
    reading = record_reading(kpi, taken_on, score.value, score.respondents, note)
    db.session.query(SurveyComment).filter(SurveyComment.reading_id == reading.id).delete()
    if organisation.keep_survey_comments:
        db.session.add_all(SurveyComment(reading_id=reading.id, score=a.score, answered_on=a.answered_on,
                                         touchpoint=a.touchpoint, comment=a.comment[:5000])
                           for a in answers if a.comment)
    db.session.flush()
    _tell_of_answers(organisation, kpi, answers, taken_on)
    return reading


def _tell_of_answers(organisation: Organisation, kpi: Kpi, answers: list[Answer], taken_on: date) -> None:
    """Send `answer_recorded` for each imported answer, with its touchpoint when the CSV names one by key or name
    (the areas that act on answers decide which are recent enough to act on)."""
    if not answer_recorded.receivers:
        return
    touchpoints: dict[str, int] = {}
    query = select(Touchpoint.id, Touchpoint.key, Touchpoint.name).where(Touchpoint.organisation_id == organisation.id)
    for touchpoint_id, key, name in db.session.execute(query):
        touchpoints.setdefault(name.casefold(), touchpoint_id)
        touchpoints[key.casefold()] = touchpoint_id
    app = current_app._get_current_object()
    for answer in answers:
        answered_at = datetime.combine(answer.answered_on or taken_on, time(12), tzinfo=UTC)
        answer_recorded.send(app, answer=FeedbackAnswer(
            organisation_id=organisation.id, source="import", answered_at=answered_at, survey_title=kpi.name,
            measure=kpi.measure, score=answer.score, touchpoint_id=touchpoints.get(answer.touchpoint.casefold()),
            comment=answer.comment, language=organisation.locale if organisation.locale in ("en", "nl") else "en"))
