"""The optional KPI keys of a cxroadmap/1 document: `kpis` with their readings, and `initiatives[].kpis`.

Read with their JSON paths and written after the journey, so a KPI can name the touchpoint it measures by key.
"""

from sqlalchemy.orm import joinedload

from cxroadmap.decimals import decimal_text
from cxroadmap.exchangekit.parts import ExchangePart, SheetScope, WorkbookSheet
from cxroadmap.exchangekit.reading import read_fields, read_items, read_object, report_checks, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.exchange.touchpoints import initiatives_by_ref
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.links import kpi_links_of, link_kpi
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.measures.services import (
    _kpi_values,
    all_kpis,
    check_kpi,
    check_reading,
    kpi_board,
    readings_by_kpi,
    record_reading,
)
from cxroadmap.validation import Problems

KPI = {"code": ("text", True), "name": ("text", True), "kind": ("text", True), "measure": ("text", True),
       "unit": ("text", False), "direction": ("text", True), "touchpoint": ("text", False)}
POINT = {"value": ("decimal", True), "on": ("date", True)}
READING = {"on": ("date", True), "value": ("decimal", True), "respondents": ("integer", False),
           "note": ("text", False)}
LINK = {"code": ("text", True), "expected_change": ("decimal", False)}


def _day(value):
    return value.isoformat() if value else None


def export_kpis(organisation) -> list[dict]:
    """Every KPI with its baseline, target and readings, by code (two queries)."""
    kpis = sorted(all_kpis(organisation), key=lambda kpi: kpi.code)
    readings = readings_by_kpi([kpi.id for kpi in kpis])
    return [{
        "code": kpi.code, "name": kpi.name, "kind": kpi.kind, "measure": kpi.measure, "unit": kpi.unit,
        "direction": kpi.direction, "touchpoint": kpi.touchpoint.key if kpi.touchpoint else None,
        "baseline": {"value": decimal_text(kpi.baseline_value), "on": _day(kpi.baseline_on)},
        "target": {"value": decimal_text(kpi.target_value), "on": _day(kpi.target_on)},
        "readings": [{"on": _day(r.taken_on), "value": decimal_text(r.value), "respondents": r.respondents,
                      "note": r.note} for r in readings[kpi.id]],
    } for kpi in kpis]


def initiative_kpis(_organisation, initiatives) -> dict[int, dict]:
    """Each initiative's `kpis` key: the KPIs it should move, by code (one query)."""
    links = kpi_links_of([initiative.id for initiative in initiatives])
    return {initiative.id: {"kpis": [{"code": link.kpi.code, "expected_change": decimal_text(link.expected_change)}
                                     for link in links[initiative.id]]} for initiative in initiatives}


class _Stand:
    """What check_reading needs of a KPI."""

    def __init__(self, measure):
        self.measure = measure


def check_kpis(reader, document, known: dict) -> dict:
    """The KPI keys checked, every problem noted with its path; what they hold, ready to write."""
    plan = {"kpis": [], "links": {}}
    if "kpis" not in document and not any(isinstance(i, dict) and "kpis" in i
                                          for i in document.get("initiatives") or []):
        return plan
    keys = known["touchpoints"]
    codes = set()
    for index, item in enumerate(reader.items(document, "kpis", "")):
        checked = _check_kpi(reader, item, f"kpis[{index}]", keys, codes)
        if checked is not None:
            plan["kpis"].append(checked)
    for index, item in enumerate(document.get("initiatives") or []):
        if isinstance(item, dict) and "kpis" in item:
            plan["links"][index] = _check_links(reader, item, f"initiatives[{index}]", codes)
    return plan


def _check_kpi(reader, item, path: str, keys: set[str], codes: set[str]) -> tuple | None:
    """One KPI: (values, touchpoint key, readings), or None when it is not there to check."""
    if reader.obj(item, path) is None:
        return None
    values = read_fields(reader, item, path, KPI)
    points = {}
    for name in ("baseline", "target"):
        points[name] = read_object(reader, item.get(name), f"{path}.{name}", POINT)
    if values is None or points["baseline"] is None or points["target"] is None:
        return None
    values = with_defaults(values)
    key = values.pop("touchpoint")
    if key is not None and key not in keys:
        reader.note(f"{path}.touchpoint", _("%(key)s is not a touchpoint in this document's journey", key=key))
    values = _kpi_values({**values, "baseline_value": points["baseline"]["value"],
                          "baseline_on": points["baseline"]["on"], "target_value": points["target"]["value"],
                          "target_on": points["target"]["on"], "owner": None, "touchpoint": None})
    report_checks(reader, path, check_kpi(values), {
        "baseline_value": "baseline.value", "baseline_on": "baseline.on", "target_value": "target.value",
        "target_on": "target.on"})
    if values["code"] in codes:
        reader.note(f"{path}.code", _("another KPI has this code"))
    codes.add(values["code"])
    return values, key, _check_readings(reader, item, path, values["measure"])


def _check_readings(reader, item, path: str, measure: str) -> list[dict]:
    readings, days = [], set()
    for where, _raw, reading in read_items(reader, item, "readings", path, READING):
        reading = with_defaults(reading)
        reading["note"] = reading["note"] or ""
        problems = Problems()
        check_reading(problems, _Stand(measure), reading["on"], reading["value"], reading["respondents"],
                      reading["note"])
        report_checks(reader, where, problems, {"taken_on": "on"})
        if reading["on"] in days:
            reader.note(f"{where}.on", _("another reading of this KPI has this date"))
        days.add(reading["on"])
        readings.append(reading)
    return readings


def _check_links(reader, item, path: str, codes: set[str]) -> list[dict]:
    """An initiative's `kpis`: each names a KPI of the document."""
    found = []
    for where, _raw, link in read_items(reader, item, "kpis", path, LINK):
        if link["code"].upper() not in codes:
            reader.note(f"{where}.code", _("%(code)s is not a KPI in this document", code=link["code"]))
        found.append(with_defaults(link))
    return found


def write_kpis(organisation, plan: dict, ordered) -> None:
    """Write the KPIs with their readings, then the initiatives' ties to them."""
    made = {}
    for values, key, readings in plan.get("kpis", []):
        touchpoint = (db.session.scalar(Touchpoint.scoped_to(organisation).where(Touchpoint.key == key))
                      if key is not None else None)
        kpi = Kpi(organisation_id=organisation.id, **{**values, "touchpoint": touchpoint})
        db.session.add(kpi)
        db.session.flush()
        for reading in readings:
            record_reading(kpi, reading["on"], reading["value"], reading["respondents"], reading["note"])
        made[kpi.code] = kpi
    for index, links in plan.get("links", {}).items():
        for link in links:
            link_kpi(ordered[index], made[link["code"].upper()], link["expected_change"])
    db.session.flush()


def _check(reader, document, known: dict) -> dict:
    """The KPIs name the document's touchpoints; the surveys after them name the KPIs (known["kpi_measures"]).
    The plan keeps the reference of each initiative that names KPIs, to find it once written."""
    plan = check_kpis(reader, document, known)
    known["kpi_measures"] = {values["code"]: values["measure"] for values, _key, _readings in plan["kpis"]}
    initiatives = known["initiatives"]
    plan["refs"] = {index: initiatives[index]["ref"] for index in plan["links"]
                    if index < len(initiatives) and initiatives[index]}
    return plan


def _write(organisation, plan: dict, _writing) -> dict:
    """The KPIs with their readings (a few rows each, through their services), then the initiatives' ties."""
    if not plan["kpis"] and not plan["links"]:
        return {}
    by_ref = initiatives_by_ref(organisation, set(plan["refs"].values()))
    write_kpis(organisation, plan, {index: by_ref[ref] for index, ref in plan["refs"].items()})
    return {}


# -- the workbook -----------------------------------------------------------------------------------------

def _percent(value):
    """An achievement in percent as the fraction a percent cell holds."""
    return value / 100 if value is not None else None


def kpis_sheet(organisation, scope: SheetScope) -> Sheet:
    """The KPIs as the KPI page lists them: each with its latest reading, target, status and achievement."""
    rows = []
    for figures in kpi_board(organisation, scope.on):
        kpi, latest = figures.kpi, figures.latest
        rows.append([kpi.code, kpi.name, kpi.kind_label, kpi.measure_label, kpi.unit, kpi.direction_label,
                     kpi.owner.name if kpi.owner else None, kpi.touchpoint.name if kpi.touchpoint else None,
                     kpi.baseline_value, kpi.baseline_on, kpi.target_value, kpi.target_on,
                     latest.value if latest else None, latest.taken_on if latest else None, figures.expected,
                     figures.status_label, _percent(figures.achievement),
                     figures.trend_label if figures.trend else None])
    return Sheet(_l("KPIs"), [
        Column(_l("Code")), Column(_l("Name"), width=40), Column(_l("Kind of data")), Column(_l("Measure")),
        Column(_l("Unit")), Column(_l("Direction")), Column(_l("Owner")), Column(_l("Touchpoint")),
        Column(_l("Baseline"), "number"), Column(_l("Baseline date"), "date"), Column(_l("Target"), "number"),
        Column(_l("Target date"), "date"), Column(_l("Latest"), "number"), Column(_l("Latest date"), "date"),
        Column(_l("Expected today"), "number"), Column(_l("Status")), Column(_l("Achievement"), "percent"),
        Column(_l("Trend"))], rows)


def kpi_readings_sheet(organisation, _scope: SheetScope | None = None) -> Sheet:
    """Every reading of every KPI, by KPI, the latest first."""
    query = (KpiReading.scoped_to(organisation).options(joinedload(KpiReading.kpi))
             .order_by(Kpi.kind, Kpi.code, KpiReading.taken_on.desc(), KpiReading.id.desc()))
    rows = [[r.kpi.code, r.kpi.name, r.taken_on, r.value, r.respondents, r.note, r.created_by]
            for r in db.session.scalars(query)]
    return Sheet(_l("KPI readings"), [Column(_l("Code")), Column(_l("KPI"), width=40), Column(_l("Date"), "date"),
                                      Column(_l("Value"), "number"), Column(_l("Respondents"), "whole"),
                                      Column(_l("Note"), width=50), Column(_l("Recorded by"))], rows)


# After the journey in the document (its KPIs name touchpoints); the KPI sheets after the governance ones.
PART = ExchangePart(order=20, export=lambda organisation, _answers: {"kpis": export_kpis(organisation)},
                    check=_check, write=_write, removes=(Kpi,), initiatives=initiative_kpis,
                    sheets=(WorkbookSheet(70, kpis_sheet, "kpis"),
                            WorkbookSheet(80, kpi_readings_sheet, "kpi-readings")))
