"""Making reports, issuing them into the archive, and reading the archive back. The reports themselves are the
areas' (`cxroadmap.areas.ReportKind`), found here by their slug."""

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from cxroadmap.accounts.people import names_for
from cxroadmap.areas import ReadablePart, ReportKind, contributions
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.reportkit.making import PERIOD_DAYS, Baseline, MadeReport, ReportOrder
from cxroadmap.reports.models import IssuedReport


def report_kinds(issued: bool = False) -> dict[str, ReportKind]:
    """The reports the areas offer, by slug, in the order the areas added them; with issued, only those issued
    into the archive (the PDFs)."""
    return {kind.slug: kind for kind in contributions(ReportKind) if kind.issued or not issued}


def report_kind(slug: str) -> ReportKind:
    kind = report_kinds().get(slug)
    if kind is None:
        raise NotInOrganisation(_("No such report."))
    return kind


def kind_labels() -> dict[str, str]:
    """The names of the reports issued into the archive, by slug: the reports page offers each, and its archive
    names them."""
    return {slug: kind.label for slug, kind in report_kinds(issued=True).items()}


def in_background(organisation: Organisation) -> bool:
    """Whether the organisation's reports are made by a job, the page following it: one of them takes longer than
    a page should wait. Kinds that share one test of size ask it once."""
    return any(large(organisation) for large in dict.fromkeys(kind.large for kind in report_kinds().values()))


def make_report(organisation: Organisation, kind: str, on: date, generated_at: datetime, horizon_years: int,
                role_max_age_days: int, for_issue: bool = False, stale_days: int = 30) -> MadeReport:
    """The PDF of the organisation as it stands, comparing with the previous issued report of the same kind."""
    found = report_kinds(issued=True).get(kind)
    if found is None:
        raise DomainError({"kind": _("Use roadmap or summary.")})
    base = baseline(organisation, kind, on)
    return found.make(ReportOrder(organisation, on, generated_at, horizon_years, role_max_age_days, stale_days,
                                  base, first_issue=base.report is None and for_issue,
                                  readable_at=readable_address(organisation, kind)))


def make_download(organisation: Organisation, kind: str, on: date, generated_at: datetime, horizon_years: int,
                  role_max_age_days: int) -> MadeReport:
    """A report that is only downloaded, never issued (the steering deck), as it stands."""
    return report_kind(kind).make(ReportOrder(organisation, on, generated_at, horizon_years, role_max_age_days))


def readable_report(organisation: Organisation, kind: str, on: date, generated_at: datetime, horizon_years: int,
                    role_max_age_days: int) -> dict:
    """What the report's HTML page is written from: the values its area gives, what the page writes with, and the
    areas' parts of it (`cxroadmap.areas.ReadablePart`), which write theirs with the template values their areas
    give."""
    found = report_kinds(issued=True).get(kind)
    if found is None or found.readable is None:
        raise NotInOrganisation(_("No such report."))
    values = found.readable(ReportOrder(organisation, on, generated_at, horizon_years, role_max_age_days))
    return {**values, "current_language": current_language,
            "readable_parts": sorted(contributions(ReadablePart), key=lambda part: part.rank)}


def readable_address(organisation: Organisation, kind: str) -> str:
    """Where the accessible HTML version of a report is read: the PDF's first page links to it."""
    from cxroadmap.mail import absolute_url

    return absolute_url("reports.readable", slug=organisation.slug, kind=kind)


# -- the archive -----------------------------------------------------------------------------------------------

def previous_report(organisation: Organisation, kind: str) -> IssuedReport | None:
    """The latest issued report of this kind: a summary compares with a summary, a roadmap with a roadmap."""
    query = (IssuedReport.scoped_to(organisation).where(IssuedReport.kind == kind)
             .order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc()).limit(1))
    return db.session.scalar(query)


def baseline(organisation: Organisation, kind: str, on: date) -> Baseline:
    report = previous_report(organisation, kind)
    if report is None:
        since = on - timedelta(days=PERIOD_DAYS)
        return Baseline(since=since, since_at=datetime.combine(since, time(), tzinfo=UTC))
    issued_at = report.issued_at if report.issued_at.tzinfo else report.issued_at.replace(tzinfo=UTC)
    issuer = names_for(organisation, [report.issued_by])[report.issued_by]
    return Baseline(since=issued_at.date(), since_at=issued_at, report=report, issuer=issuer,
                    snapshot=report.snapshot or {})


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
    return get_in_organisation(organisation, IssuedReport, _("No such report."), id=report_id)
