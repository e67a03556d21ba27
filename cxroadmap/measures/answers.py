"""Survey answers from a CSV file, for a KPI measured by a survey (NPS, CSAT or CES).

The answers are stored, not only counted: the area that keeps customers' answers (surveys, above this one)
contributes an `AnswerImport` that stores them as the answers of the survey feeding the KPI, from which the KPI's
readings of every period follow as they do for answers given on the answer page. This area names the contribution
and calls it; it never imports that area. Without one loaded, answers cannot be imported, and the page says so.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from cxroadmap import uploads
from cxroadmap.areas import contributions
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _
from cxroadmap.measures import calc
from cxroadmap.measures.models import Kpi
from cxroadmap.organisations.models import Organisation

MAX_ANSWERS = uploads.ANSWER_ROWS


class AnswersRefused(DomainError):
    """The file cannot be read as answers; `lines` holds one message per problem, naming the CSV line."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__({"answers": "\n".join(self.lines)})


@dataclass(frozen=True)
class Imported:
    """What an import stored: how many answers, in which survey, and how many periods' readings it worked out."""

    count: int
    survey_title: str
    periods: int
    survey_id: int


@dataclass(frozen=True)
class AnswerImport:
    """A contribution: run(organisation, kpi, stream, default_day, max_rows, before_writing) checks every line of
    the CSV stream (AnswersRefused, nothing written), calls before_writing(), then stores the answers and works out
    the KPI's readings. `default_day` is the day of answers whose line gives none."""

    run: Callable[[Organisation, Kpi, BinaryIO, date, int, Callable[[], None]], Imported]


def import_answers(organisation: Organisation, kpi: Kpi, content: bytes | str | BinaryIO, default_day: date, *,
                   max_rows: int = MAX_ANSWERS, before_writing: Callable[[], None] = lambda: None) -> Imported:
    """Store the answers in the file for the KPI, through the area that keeps answers; the caller commits."""
    if kpi.measure not in calc.SCALES:
        raise AnswersRefused([_("%(code)s is not measured by a survey (NPS, CSAT or CES); enter its readings "
                                "directly.", code=kpi.code)])
    importers = contributions(AnswerImport)
    if not importers:
        raise AnswersRefused([_("Answers cannot be imported: no part of this installation keeps them.")])
    if isinstance(content, str):
        content = content.encode("utf-8")
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    return importers[0].run(organisation, kpi, stream, default_day, max_rows, before_writing)
