"""The demo organisation's KPIs: O-data and X-data with a year of readings, some on track and some not, and
the initiatives meant to move them."""

from decimal import ROUND_HALF_UP, Decimal

from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.links import link_kpi
from cxroadmap.measures.services import create_kpi, record_reading

# code, name, kind, measure, unit, direction, owner, touchpoint key,
# (baseline, days from today), (target, days from today), readings [(days ago, value, respondents)]
KPIS = [
    ("NPS-REL", "Relationship NPS of fleet and repair-shop customers", "x_data", "nps", "", "up", "sanne.jansen",
     None, ("12", -365), ("30", 365),
     [(360, "11.2", 398), (270, "13.9", 405), (180, "15.1", 412), (90, "16.4", 431), (20, "17.0", 442)]),
    ("CES-SVC", "Customer effort after a service contact", "x_data", "ces", "", "up", "fatima.elamrani",
     "order-desk", ("4.6", -300), ("5.8", 180),
     [(days, str(Decimal("4.6") + Decimal(i) * Decimal("0.04")), 180 + 7 * i)
      for i, days in enumerate(range(295, 0, -30))]),
    ("CSAT-DEL", "Satisfaction with delivery (4 or 5 of 5)", "x_data", "csat", "%", "up", "omer.yilmaz",
     "on-site-before-10", ("71", -365), ("85", 180),
     [(days, str(Decimal(71) + Decimal(i) * Decimal("0.9")), 240 + 5 * i)
      for i, days in enumerate(range(355, 0, -30))]),
    ("OTD-10", "Parts on site before 10:00", "o_data", "percentage", "%", "up", "omer.yilmaz",
     "on-site-before-10", ("78", -365), ("95", 365),
     [(days, str(Decimal(78) + Decimal(i) * Decimal("0.5")), None) for i, days in enumerate(range(360, 0, -30))]),
    ("FCR", "First-contact resolution at the order desk", "o_data", "percentage", "%", "up", "fatima.elamrani",
     "order-desk", ("62", -300), ("80", 60),
     [(days, str(Decimal(62) + Decimal(i) * Decimal("0.4")), None) for i, days in enumerate(range(290, 0, -30))]),
    ("DISPUTES", "Invoice disputes a month", "o_data", "count", "disputes", "down", "lotte.visser", "invoice",
     ("140", -365), ("60", 180),
     [(days, str(140 - 2 * i + (3 if i % 3 == 1 else 0)), None) for i, days in enumerate(range(350, 0, -30))]),
    ("LEAD", "Order-to-delivery lead time", "o_data", "days", "days", "down", "daan.mulder", None,
     ("2.4", -365), ("1.2", 365),
     [(days, str(Decimal("2.4") - Decimal(i) * Decimal("0.07")), None) for i, days in enumerate(range(355, 0, -30))]),
]

# initiative number → [(KPI code, expected change)]
MOVES = {
    2: [("NPS-REL", "8")], 3: [("CES-SVC", "0.8")], 4: [("FCR", "8")],
    7: [("OTD-10", "12"), ("LEAD", "-0.8"), ("CSAT-DEL", "10")], 8: [("CSAT-DEL", "4"), ("FCR", "5")],
    12: [("DISPUTES", "-70")], 17: [("OTD-10", "4")],
}


def seed_measures(organisation, members: dict, initiatives: dict, day) -> None:
    """Seven KPIs with a year of readings, tied to the touchpoints they measure and the initiatives moving them."""
    touchpoints = {t.key: t for t in db.session.scalars(Touchpoint.scoped_to(organisation))}
    kpis = {}
    for code, name, kind, measure, unit, direction, owner, key, baseline, target, readings in KPIS:
        kpi = kpis[code] = create_kpi(
            organisation, code=code, name=name, kind=kind, measure=measure, unit=unit, direction=direction,
            baseline_value=Decimal(baseline[0]), baseline_on=day(baseline[1]), target_value=Decimal(target[0]),
            target_on=day(target[1]), owner=members[owner], touchpoint=touchpoints.get(key) if key else None)
        for days_ago, value, respondents in readings:
            value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            note = "Relationship survey" if measure == "nps" else ("Transactional survey" if respondents else "")
            record_reading(kpi, day(-days_ago), value, respondents, note)
    for number, moves in MOVES.items():
        for code, change in moves:
            link_kpi(initiatives[number], kpis[code], Decimal(change))
