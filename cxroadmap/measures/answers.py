"""Survey answers from a CSV file: every line checked first, then one reading with its number of respondents.

The answers themselves are not kept; only when the organisation keeps survey comments are the answers that
carry a comment stored beside the reading.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from cxroadmap.errors import DomainError, tidy
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.measures import calc
from cxroadmap.measures.kinds import MEASURES
from cxroadmap.measures.models import Kpi, KpiReading, SurveyComment
from cxroadmap.measures.services import record_reading
from cxroadmap.organisations.models import Organisation

MAX_ANSWERS = 200_000


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


def read_answers(measure: str, content: bytes | str) -> list[Answer]:
    """The answers in a CSV with a `score` column (optional answered_on, comment, touchpoint); AnswersRefused else."""
    low, high = calc.SCALES[measure]
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AnswersRefused([_("The file is not UTF-8 text (save the spreadsheet as CSV UTF-8).")]) from None
    if not content.strip():
        raise AnswersRefused([_("The file is empty.")])
    sample = content[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    header = [tidy(name).lower() for name in next(reader)]
    if "score" not in header:
        raise AnswersRefused([_("Line 1 names no “score” column; the first line names the columns "
                                "(score, and optionally answered_on, comment, touchpoint).")])
    column = {name: header.index(name) for name in ("score", "answered_on", "comment", "touchpoint") if name in header}
    answers, problems = [], []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
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
        if len(problems) >= 50:
            problems.append(_("… and perhaps more; correct these first."))
            break
        if score is not None:
            answers.append(Answer(line, score, answered_on, tidy(cells.get("touchpoint"))[:200],
                                  tidy(cells.get("comment"))))
    if not answers and not problems:
        problems.append(_("The file names its columns but holds no answers."))
    if len(answers) > MAX_ANSWERS:
        problems.append(_("At most %(count)s answers in one file.", count=f"{MAX_ANSWERS:,}"))
    if problems:
        raise AnswersRefused(problems)
    return answers


def import_answers(organisation: Organisation, kpi: Kpi, content: bytes | str, taken_on: date,
                   note: str = "") -> KpiReading:
    """The KPI's reading on `taken_on` computed from the answers in the file, with their number as respondents.

    Refuses a KPI that is not NPS, CSAT or CES, and any file with a problem, writing nothing.
    """
    if kpi.measure not in calc.SCALES:
        raise AnswersRefused([_("%(code)s is not measured by a survey (NPS, CSAT or CES); enter its readings "
                                "directly.", code=kpi.code)])
    answers = read_answers(kpi.measure, content)
    score = calc.survey_score(kpi.measure, [answer.score for answer in answers])
    note = tidy(note) or _("Computed from %(count)s answers.", count=score.respondents)
    reading = record_reading(kpi, taken_on, score.value, score.respondents, note)
    db.session.query(SurveyComment).filter(SurveyComment.reading_id == reading.id).delete()
    if organisation.keep_survey_comments:
        db.session.add_all(SurveyComment(reading_id=reading.id, score=a.score, answered_on=a.answered_on,
                                         touchpoint=a.touchpoint, comment=a.comment[:5000])
                           for a in answers if a.comment)
    db.session.flush()
    return reading
