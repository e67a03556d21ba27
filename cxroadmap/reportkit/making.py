"""What a report is made for and what making it gives: the reports area hands an area's report (`areas.ReportKind`)
the organisation, the day, the settings and the issued report it compares with, and keeps what comes back."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cxroadmap.organisations.models import Organisation

PERIOD_DAYS = 30  # what the story covers when no report of the kind was issued before


@dataclass(frozen=True)
class Baseline:
    """What the story compares with: the previous issued report of the kind, or the start of a stated period."""

    since: date
    since_at: datetime
    report: Any = None  # the reports area's IssuedReport, None for a stated period
    issuer: str = ""  # the name of who issued it
    snapshot: dict = field(default_factory=dict)

    @property
    def period_days(self) -> int | None:
        return None if self.report else PERIOD_DAYS


@dataclass(frozen=True)
class ReportOrder:
    """A report to make of the organisation as it stands on `on`, with the settings it is made with."""

    organisation: Organisation
    on: date
    generated_at: datetime
    horizon_years: int
    role_max_age_days: int
    stale_days: int = 30
    baseline: Baseline | None = None  # what an issued kind compares with; None for a download only (the deck)
    first_issue: bool = False  # it is being issued, and none of its kind was before
    readable_at: str | None = None  # the address of its accessible HTML version, linked from the first page


@dataclass(frozen=True)
class MadeReport:
    kind: str
    filename: str
    content: bytes
    snapshot: dict  # the figures it showed, kept with it when it is issued


def filename_for(organisation: Organisation, kind: str, on: date) -> str:
    return f"{organisation.slug}-{kind}-{on.isoformat()}.pdf"
