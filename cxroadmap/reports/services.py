"""Making reports, issuing them into the archive, and reading the archive back."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from cxroadmap.accounts.people import names_for
from cxroadmap.areas import ReadablePart, contributions
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.data import changes_since, gather, snapshot
from cxroadmap.reports.models import IssuedReport
from cxroadmap.reports.progress import baseline, gather_progress
from cxroadmap.reports.roadmap import RoadmapReport
from cxroadmap.reports.summary import SummaryReport

RENDERERS = {"roadmap": RoadmapReport, "summary": SummaryReport}
KIND_LABELS = {"roadmap": _l("Roadmap and progress report"), "summary": _l("Executive summary")}


@dataclass(frozen=True)
class MadeReport:
    kind: str
    filename: str
    content: bytes
    snapshot: dict


def filename_for(organisation: Organisation, kind: str, on: date) -> str:
    return f"{organisation.slug}-{kind}-{on.isoformat()}.pdf"


def make_report(organisation: Organisation, kind: str, on: date, generated_at: datetime, horizon_years: int,
                role_max_age_days: int, for_issue: bool = False, stale_days: int = 30) -> MadeReport:
    """The PDF of the organisation as it stands, opening with what changed since the previous issued report of
    the same kind; the roadmap and progress report tells, besides, the story of each initiative that changed."""
    if kind not in RENDERERS:
        raise DomainError({"kind": _("Use roadmap or summary.")})
    data = gather(organisation, on, generated_at, horizon_years, role_max_age_days)
    current = snapshot(data)
    base = baseline(organisation, kind, on)
    changes = changes_since(base.snapshot, current) if base.report else None
    story = gather_progress(organisation, data.initiatives, on, base, stale_days) if kind == "roadmap" else None
    renderer = RENDERERS[kind](data, changes=changes, first_issue=base.report is None and for_issue,
                               previous=base, progress=story, readable_at=readable_address(organisation, kind))
    return MadeReport(kind, filename_for(organisation, kind, on), renderer.render(), current)


def readable_report(organisation: Organisation, kind: str, on: date, generated_at: datetime, horizon_years: int,
                    role_max_age_days: int):
    """The report as an HTML page holds it: the renderer over the organisation's figures, not laid out."""
    if kind not in RENDERERS:
        raise NotInOrganisation(_("No such report."))
    return RENDERERS[kind](gather(organisation, on, generated_at, horizon_years, role_max_age_days))


def readable_helpers(organisation: Organisation) -> dict:
    """What the HTML version writes figures with, as the PDF writes them, and the areas' parts of it
    (`cxroadmap.areas.ReadablePart`), which write theirs with the template values their areas give."""
    from cxroadmap.benefits.services import describe_drivers
    from cxroadmap.i18n import current_language

    language = current_language()
    return {"drivers": lambda benefit: describe_drivers(benefit, organisation.currency, language),
            "current_language": current_language,
            "readable_parts": sorted(contributions(ReadablePart), key=lambda part: part.rank)}


def readable_address(organisation: Organisation, kind: str) -> str:
    """Where the accessible HTML version of a report is read: the PDF's first page links to it."""
    from cxroadmap.mail import absolute_url

    return absolute_url("reports.readable", slug=organisation.slug, kind=kind)


def issue_report(organisation: Organisation, made: MadeReport, issued_by: str) -> IssuedReport:
    """Keep the report in the archive: who, when, its SHA-256 and its bytes."""
    report = IssuedReport(organisation_id=organisation.id, kind=made.kind, issued_by=issued_by,
                          filename=made.filename, sha256=hashlib.sha256(made.content).hexdigest(),
                          size=len(made.content), snapshot=made.snapshot, content=made.content)
    db.session.add(report)
    db.session.flush()
    return report


def issued_reports(organisation: Organisation) -> list[IssuedReport]:
    query = IssuedReport.scoped_to(organisation).order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
    return list(db.session.scalars(query))


def issuers(organisation: Organisation, reports: list[IssuedReport]) -> dict[str, str]:
    """Who issued each report, by name (reports kept an email address before names were kept)."""
    return names_for(organisation, [r.issued_by for r in reports])


def issued_report(organisation: Organisation, report_id: int) -> IssuedReport:
    report = db.session.scalar(IssuedReport.scoped_to(organisation).where(IssuedReport.id == report_id))
    if report is None:
        raise NotInOrganisation(_("No such report."))
    return report


