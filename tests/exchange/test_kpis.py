"""The KPI keys of cxroadmap/1: written by every export, round trip byte-identical, bad values named by path."""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import ImportRefused, import_text
from cxroadmap.extensions import db
from cxroadmap.measures import links, services
from cxroadmap.measures.models import Kpi
from cxroadmap.organisations.services import delete_organisation
from tests import factories
from tests.exchange.test_exchange import TRICKY, tricky_organisation


def with_kpis():
    organisation = tricky_organisation()
    initiative = db.session.scalar(db.select(factories.Initiative))
    nps = services.create_kpi(organisation, code="NPS-REL", name=TRICKY, kind="x_data", measure="nps", unit="",
                              direction="up", baseline_value=D("12.5"), baseline_on=date(2025, 1, 1),
                              target_value=D("30"), target_on=date(2027, 1, 1), owner=None, touchpoint=None)
    lead = services.create_kpi(organisation, code="LEAD", name="Order lead time", kind="o_data", measure="days",
                               unit="days", direction="down", baseline_value=D("3.2"), baseline_on=date(2025, 1, 1),
                               target_value=D("1"), target_on=date(2026, 6, 30), owner=None, touchpoint=None)
    services.record_reading(nps, date(2025, 6, 1), D("-4.3"), 212, TRICKY)
    services.record_reading(nps, date(2025, 12, 1), D("8"), 180)
    services.record_reading(lead, date(2025, 12, 1), D("2.75"))
    links.link_kpi(initiative, nps, D("6"))
    links.link_kpi(initiative, lead, None)
    db.session.commit()
    return organisation


def test_kpis_travel_and_the_round_trip_is_byte_identical():
    organisation = with_kpis()
    first = dumps(export_document(organisation))
    delete_organisation(organisation)
    db.session.commit()
    imported = import_text(first)
    db.session.commit()
    assert dumps(export_document(imported)) == first
    document = json.loads(first)
    assert document["kpis"][1] == {
        "code": "NPS-REL", "name": TRICKY, "kind": "x_data", "measure": "nps", "unit": "", "direction": "up",
        "touchpoint": None, "baseline": {"value": "12.5", "on": "2025-01-01"},
        "target": {"value": "30", "on": "2027-01-01"},
        "readings": [{"on": "2025-06-01", "value": "-4.3", "respondents": 212, "note": TRICKY},
                     {"on": "2025-12-01", "value": "8", "respondents": 180, "note": ""}]}
    assert document["kpis"][0]["direction"] == "down"
    assert document["initiatives"][0]["kpis"] == [{"code": "LEAD", "expected_change": None},
                                                  {"code": "NPS-REL", "expected_change": "6"}]


def test_documents_without_kpi_keys_import_with_no_kpis():
    organisation = with_kpis()
    document = json.loads(dumps(export_document(organisation)))
    delete_organisation(organisation)
    db.session.commit()
    del document["kpis"]
    for initiative in document["initiatives"]:
        del initiative["kpis"]
    imported = import_text(json.dumps(document))
    assert export_document(imported)["kpis"] == []


def refusals(document) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_text(json.dumps(document))
    db.session.rollback()
    return caught.value.problems


def test_bad_kpi_values_are_named_by_their_json_path_and_nothing_is_written():
    organisation = with_kpis()
    document = json.loads(dumps(export_document(organisation)))
    delete_organisation(organisation)
    db.session.commit()
    nps = document["kpis"][1]
    nps["kind"] = "o_data"
    nps["direction"] = "sideways"
    nps["touchpoint"] = "nowhere"
    nps["readings"][0]["value"] = "140"
    nps["readings"][1]["on"] = "2025-06-01"
    document["kpis"][0]["baseline"]["value"] = 3.2
    document["kpis"][0]["target"] = "soon"
    document["initiatives"][0]["kpis"][0] = {"code": "GHOST", "expected_change": "x"}
    problems = refusals(document)
    assert "kpis[1].kind: NPS, CSAT and CES are experience data (X-data)." in problems
    assert "kpis[1].direction: Use one of up, down." in problems
    assert "kpis[1].touchpoint: nowhere is not a touchpoint in this document's journey" in problems
    assert "kpis[1].readings[0].value: A NPS value is a number from -100 to 100." in problems
    assert "kpis[1].readings[1].on: another reading of this KPI has this date" in problems
    assert "kpis[0].baseline.value: not a decimal" in problems
    assert "kpis[0].target: not an object" in problems
    assert "initiatives[0].kpis[0].expected_change: not a decimal" in problems
    assert db.session.scalar(db.select(db.func.count()).select_from(Kpi)) == 0
    document["initiatives"][0]["kpis"][0] = {"code": "GHOST"}
    assert "initiatives[0].kpis[0].code: GHOST is not a KPI in this document" in refusals(document)


def test_a_kpi_names_its_touchpoint_by_key_and_keeps_it_through_the_round_trip():
    organisation = with_kpis()
    stage = factories.JourneyStageFactory(organisation=organisation, name="Use")
    touchpoint = factories.TouchpointFactory(stage=stage, key="delivery-before-ten", name="Part on site by 10:00")
    kpi = db.session.scalar(db.select(Kpi).where(Kpi.code == "LEAD"))
    kpi.touchpoint_id = touchpoint.id
    db.session.commit()
    first = dumps(export_document(organisation))
    assert json.loads(first)["kpis"][0]["touchpoint"] == "delivery-before-ten"
    delete_organisation(organisation)
    db.session.commit()
    imported = import_text(first)
    db.session.commit()
    assert dumps(export_document(imported)) == first
