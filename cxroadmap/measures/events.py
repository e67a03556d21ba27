"""The events of KPIs: a reading recorded (new, or the day's reading replaced), and a KPI put off track by one.

A KPI becomes off track because of a reading when its status today, from its latest reading, was not off track
before the flush and is after it.
"""

from sqlalchemy import select

from cxroadmap.i18n import _l
from cxroadmap.mail import absolute_url
from cxroadmap.measures import calc
from cxroadmap.measures.kinds import KPI_STATUSES
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.notifications.events import Detection, EventKind, Found
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import today


def _kpi_status(connection, kpi: Kpi) -> str:
    """The KPI's status today from its latest reading as the database holds it (inside a flush: no autoflush)."""
    latest = None
    if kpi.id is not None:
        latest = connection.scalar(select(KpiReading.value).where(KpiReading.kpi_id == kpi.id)
                                   .order_by(KpiReading.taken_on.desc()).limit(1))
    return calc.status(kpi.line, latest, today())


def _before(session) -> list:
    """Each reading recorded, with its KPI's status before the flush."""
    recorded = [obj for obj in session.new if isinstance(obj, KpiReading)]
    recorded += [obj for obj in session.dirty if isinstance(obj, KpiReading) and session.is_modified(obj)]
    connection = session.connection() if recorded else None
    before: dict[int, str] = {}
    noted = []
    for reading in recorded:
        kpi = reading.kpi
        if kpi is None:
            continue
        if id(kpi) not in before:
            before[id(kpi)] = _kpi_status(connection, kpi)
        noted.append((reading, kpi, before[id(kpi)]))
    return noted


def _plain(value) -> str:
    """A Decimal as plain digits, without trailing zeros or an exponent: 41.5, 100."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def kpi_data(kpi: Kpi, status: str, organisation: Organisation) -> dict:
    return {"code": kpi.code, "name": kpi.name, "unit": kpi.unit, "status": status,
            "url": absolute_url("measures.show", slug=organisation.slug, code=kpi.code)}


def _event(name: str, kpi: Kpi, reading: KpiReading, before: str, after: str) -> Found:
    def data(organisation: Organisation) -> dict:
        found = {"kpi": kpi_data(kpi, after, organisation),
                 "reading": {"value": _plain(reading.value), "on": reading.taken_on.isoformat()}}
        if name == "kpi.off_track":
            found.update({"from": before, "to": after})
        return found
    return Found(kpi.organisation_id, name, data)


def _after(session, notes: list) -> list[Found]:
    if not notes:
        return []
    connection = session.connection()
    after: dict[int, str] = {}
    found = []
    for reading, kpi, before in notes:
        first = id(kpi) not in after
        if first:
            after[id(kpi)] = _kpi_status(connection, kpi)
        found.append(_event("kpi.reading_added", kpi, reading, before, after[id(kpi)]))
        if first and after[id(kpi)] == "off_track" and before != "off_track":
            found.append(_event("kpi.off_track", kpi, reading, before, "off_track"))
    return found


READINGS = Detection(before=_before, after=_after)

EVENT_KINDS = (
    EventKind("kpi.reading_added", _l("A KPI reading was recorded"), detect=READINGS),
    EventKind("kpi.off_track", _l("A KPI went off track after a reading"), detect=READINGS,
              values=KPI_STATUSES),
)
