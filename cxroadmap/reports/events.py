"""The event of reports: a report issued (kept in the archive), found in what a flush writes."""

from cxroadmap.i18n import _l
from cxroadmap.mail import absolute_url
from cxroadmap.notifications.events import Detection, EventKind, Found
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.models import IssuedReport


def _event(report: IssuedReport) -> Found:
    def data(organisation: Organisation) -> dict:
        return {"report": {"id": report.id, "kind": report.kind, "filename": report.filename,
                           "sha256": report.sha256, "issued_by": report.issued_by,
                           "url": absolute_url("reports.download", slug=organisation.slug, report_id=report.id,
                                               filename=report.filename)}}
    return Found(report.organisation_id, "report.issued", data)


ISSUED = Detection(after=lambda session, notes: [_event(obj) for obj in session.new if isinstance(obj, IssuedReport)])

EVENT_KINDS = (EventKind("report.issued", _l("A report was issued"), detect=ISSUED),)
