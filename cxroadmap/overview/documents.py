"""The organisation's reports as the reports area offers them (`areas.ReportKind`): the roadmap and progress report
and the executive summary (PDFs, issued into the archive, each with its accessible HTML version), and the steering
deck (PowerPoint, downloaded only)."""

from functools import partial

from cxroadmap.areas import ReportKind
from cxroadmap.benefits.services import describe_drivers
from cxroadmap.i18n import _l, current_language
from cxroadmap.initiatives.services import large_organisation
from cxroadmap.overview.narrative import narrative
from cxroadmap.overview.progress import gather_progress
from cxroadmap.overview.report_data import changes_since, gather, snapshot
from cxroadmap.overview.roadmap import RoadmapReport
from cxroadmap.overview.slides import MIME as DECK_MIME
from cxroadmap.overview.slides import make_deck
from cxroadmap.overview.summary import SummaryReport
from cxroadmap.reportkit.making import MadeReport, ReportOrder, filename_for

RENDERERS = {"roadmap": RoadmapReport, "summary": SummaryReport}


def make_pdf(order: ReportOrder, kind: str) -> MadeReport:
    """The PDF of the organisation as it stands, opening with what changed since the previous issued report of
    the same kind (`order.baseline`); the roadmap and progress report tells, besides, the story of each initiative
    that changed."""
    organisation, on, base = order.organisation, order.on, order.baseline
    data = gather(organisation, on, order.generated_at, order.horizon_years, order.role_max_age_days)
    current = snapshot(data)
    changes = changes_since(base.snapshot, current) if base.report else None
    story = gather_progress(organisation, data.initiatives, on, base, order.stale_days) if kind == "roadmap" else None
    renderer = RENDERERS[kind](data, changes=changes, first_issue=order.first_issue, previous=base, progress=story,
                               readable_at=order.readable_at)
    return MadeReport(kind, filename_for(organisation, kind, on), renderer.render(), current)


def readable_version(order: ReportOrder, kind: str) -> dict:
    """What the report's HTML version is written from: the renderer over the organisation's figures (not laid
    out), the story, and the estimates' drivers written as the PDF writes them."""
    report = RENDERERS[kind](gather(order.organisation, order.on, order.generated_at, order.horizon_years,
                                    order.role_max_age_days))
    currency, language = order.organisation.currency, current_language()
    return {"r": report, "d": report.data, "story": narrative(report.data.facts),
            "drivers": lambda benefit: describe_drivers(benefit, currency, language)}


REPORT_KINDS = (
    ReportKind("roadmap", _l("Roadmap and progress report"), make=partial(make_pdf, kind="roadmap"),
               large=large_organisation, readable=partial(readable_version, kind="roadmap")),
    ReportKind("summary", _l("Executive summary"), make=partial(make_pdf, kind="summary"),
               large=large_organisation, readable=partial(readable_version, kind="summary")),
    ReportKind("deck", _l("Steering deck"), make=make_deck, large=large_organisation, issued=False, mime=DECK_MIME),
)
