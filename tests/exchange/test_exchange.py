"""The cxroadmap/1 format: export, import, the round trip, and what import refuses."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxroadmap.audit.models import AuditEvent
from cxroadmap.audit.services import current_actor
from cxroadmap.benefits.services import add_benefit
from cxroadmap.coalition.services import add_member, create_team, log_role
from cxroadmap.demo import seed_demo
from cxroadmap.errors import DomainError
from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import ImportRefused, import_text
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import create_initiative
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import create_organisation, delete_organisation, organisation_by_slug
from cxroadmap.surveys.models import SurveyAnswer

TRICKY = "Zürich & Łódź <b>bold</b> \"quoted\" 'single' Ελληνικά 🚚 {{ 7*7 }}"


def tricky_organisation():
    organisation = create_organisation(TRICKY, slug="tricky", brand_promise=TRICKY, currency="PLN",
                                       discount_rate=Decimal("0.0725"), target_stage="align",
                                       target_date=date(2027, 6, 30), locale="nl")
    owner = add_member(organisation, TRICKY, "O.Brien+CX@Example.com", "Sales & Service", TRICKY, "lead")
    team = create_team(organisation, TRICKY, "<i>ops</i>")
    log_role(team, TRICKY, ["Phone", TRICKY], date(2026, 1, 2), TRICKY)
    initiative = create_initiative(organisation, title=TRICKY, readiness_question="know_roles", owner=owner,
                                   description=TRICKY + "\nline two", one_off_cost=Decimal("1234.5"))
    add_benefit(initiative, kind="revenue_sales", volume=Decimal("1800.5"), rate=Decimal("0.0125"),
                unit_value=Decimal("3200"), confidence=Decimal("0.55"), ramp_months=4, starts_on=date(2026, 3, 1))
    add_benefit(initiative, kind="cost_reduction", annual_amount=Decimal("99.99"), description=TRICKY)
    db.session.commit()
    return organisation


def round_trip(organisation, with_answers: bool = False) -> tuple[str, str]:
    first = dumps(export_document(organisation, with_answers=with_answers))
    delete_organisation(organisation)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0
    imported = import_text(first)
    db.session.commit()
    return first, dumps(export_document(imported, with_answers=with_answers))


@pytest.mark.parametrize("with_answers", [False, True], ids=["without answers", "with answers"])
def test_round_trip_of_the_demo_is_byte_identical(with_answers):
    organisation = seed_demo()
    db.session.commit()
    first, second = round_trip(organisation, with_answers)
    assert first == second
    document = json.loads(first)
    # The surveys travel with their versions and sites; their answers and the cases' contacts only when asked.
    assert [s["measure"] for s in document["surveys"]] == ["nps", "ces"]
    assert all(s["versions"][0]["texts"]["score"]["nl"] for s in document["surveys"])
    assert ("answers" in document["surveys"][0]) is with_answers
    assert document["cases"] and ("contact" in document["cases"][0]) is with_answers
    if with_answers:
        assert len(document["surveys"][0]["answers"]) > 100
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyAnswer)) == (
        sum(len(s["answers"]) for s in document["surveys"]) if with_answers else 0)
    assert len(document["initiatives"]) == 20 and len(document["coalition"]) >= 8
    # Governance travels too: history, milestones with slips, dependencies, realised amounts, meetings.
    init4 = document["initiatives"][3]
    assert [u["note"] for u in init4["status_updates"]][:2] == ["Approved by the steering committee.",
                                                                  "Data model agreed with IT and sales."]
    assert init4["milestones"][1]["slips"][0]["to_date"] > init4["milestones"][1]["original_due_on"]
    assert document["initiatives"][8]["waits_for"] == ["INIT-4"]
    assert len(document["initiatives"][7]["benefits"][0]["actuals"]) == 4
    assert [len(m["decisions"]) for m in document["meetings"]] == [1, 1, 0]
    assert document["meetings"][0]["actions"][0]["status"] == "done"


def test_documents_without_the_governance_keys_still_import():
    organisation = seed_demo()
    db.session.commit()
    document = json.loads(dumps(export_document(organisation)))
    delete_organisation(organisation)
    db.session.commit()
    del document["meetings"]
    for initiative in document["initiatives"]:
        for key in ("status_updates", "milestones", "waits_for"):
            del initiative[key]
        for benefit in initiative["benefits"]:
            del benefit["actuals"]
    imported = import_text(json.dumps(document))
    again = export_document(imported)
    assert again["meetings"] == []
    assert [u["note"] for u in again["initiatives"][0]["status_updates"]] == ["Created."]


def test_governance_keys_are_checked_with_their_paths():
    document = valid_document()
    document["initiatives"][0]["status_updates"] = [{"posted_on": "yesterday", "status": "dreaming",
                                                     "health": "green", "progress": 5}]
    document["initiatives"][0]["waits_for"] = ["INIT-99"]
    document["meetings"] = [{"held_on": "2026-01-01", "title": "Steering", "agenda_refs": ["NOPE"],
                             "actions": [{"title": "Do it", "status": "pending", "owner_email": "x@y.z"}]}]
    problems = refusals(document)
    assert "initiatives[0].status_updates[0].posted_on: not an ISO date (YYYY-MM-DD)" in problems
    assert "initiatives[0].waits_for: INIT-99 is not an initiative in this document" in problems
    assert "meetings[0].agenda_refs: NOPE is not an initiative in this document" in problems
    assert "meetings[0].actions[0].status: Use open or done." in problems
    assert "meetings[0].actions[0].owner_email: is not a coalition member in this document" in problems
    document["meetings"] = [{"held_on": "soon"}, "not an object"]
    problems = refusals(document)
    assert "meetings[0].held_on: not an ISO date (YYYY-MM-DD)" in problems and "meetings[0].title: missing" in problems
    assert "meetings[1]: not an object" in problems


def test_round_trip_keeps_any_text_exactly():
    first, second = round_trip(tricky_organisation())
    assert first == second
    document = json.loads(second)
    assert document["organisation"]["name"] == TRICKY
    assert document["teams"][0]["role_statements"][0]["touchpoints"] == ["Phone", TRICKY]
    initiative = document["initiatives"][0]
    assert initiative["owner_email"] == "o.brien+cx@example.com"
    assert initiative["one_off_cost"] == "1234.50"
    assert initiative["benefits"][0] == {
        "kind": "revenue_sales", "description": "", "volume": "1800.5", "rate": "0.0125", "unit_value": "3200.00",
        "annual_amount": "72020.00", "confidence": "0.55", "starts_on": "2026-03-01", "ramp_months": 4,
        "actuals": []}
    assert initiative["benefits"][1]["volume"] is None


def valid_document() -> dict:
    organisation = tricky_organisation()
    document = json.loads(dumps(export_document(organisation)))
    delete_organisation(organisation)
    db.session.commit()
    return document


def refusals(document, replace=False) -> list[str]:
    with pytest.raises(ImportRefused) as refusal:
        import_text(json.dumps(document), replace=replace)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0 or replace
    return refusal.value.problems


def test_every_problem_is_named_by_its_json_path_and_nothing_is_written():
    document = valid_document()
    document["organisation"]["currency"] = "EURO"
    document["stage_assessments"] = [{"stage": "legendary", "assessed_on": "2026-13-01"}]
    document["initiatives"][0]["benefits"][0]["rate"] = "lots"
    document["initiatives"][0]["benefits"][1]["confidence"] = 0.5
    document["initiatives"][0]["progress"] = 150
    document["initiatives"][0]["owner_email"] = "nobody@example.com"
    document["initiatives"].append(dict(document["initiatives"][0]))
    problems = refusals(document)
    assert "organisation.currency: Use an ISO 4217 currency code such as EUR or USD." in problems
    assert "stage_assessments[0].assessed_on: not an ISO date (YYYY-MM-DD)" in problems
    assert "initiatives[0].benefits[0].rate: not a decimal" in problems
    assert "initiatives[0].benefits[1].confidence: not a decimal" in problems
    assert "initiatives[0].progress: Progress is a whole percentage from 0 to 100." in problems
    assert "initiatives[0].owner_email: is not the email of a coalition member in this document" in problems
    assert "initiatives[1].ref: another initiative has this reference" in problems
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0


def test_a_contradicting_annual_amount_is_refused():
    document = valid_document()
    document["initiatives"][0]["benefits"][0]["annual_amount"] = "1.00"
    assert any(p.startswith("initiatives[0].benefits[0].annual_amount: Does not match") for p in refusals(document))


def test_drivers_without_an_annual_amount_are_computed():
    document = valid_document()
    document["initiatives"][0]["benefits"][0]["annual_amount"] = None
    organisation = import_text(json.dumps(document))
    assert export_document(organisation)["initiatives"][0]["benefits"][0]["annual_amount"] == "72020.00"


def test_not_json_or_not_ours_is_refused_in_one_line():
    with pytest.raises(ImportRefused) as refusal:
        import_text("{not json")
    assert refusal.value.problems[0].startswith("(document): not JSON")
    with pytest.raises(ImportRefused) as refusal:
        import_text(json.dumps({"format": "other/2"}))
    assert refusal.value.problems == ['format: must be "cxroadmap/1"']
    with pytest.raises(ImportRefused):
        import_text("[]")


def test_missing_and_mistyped_fields_are_named():
    document = valid_document()
    del document["organisation"]["name"]
    document["coalition"][0]["active"] = "yes"
    document["teams"][0]["role_statements"][0]["touchpoints"] = "Phone"
    document["initiatives"] = {"not": "a list"}
    problems = refusals(document)
    assert "organisation.name: missing" in problems
    assert "coalition[0].active: not true or false" in problems
    assert "teams[0].role_statements[0].touchpoints: not a list of strings" in problems
    assert "initiatives: not a list" in problems


def test_an_existing_slug_is_refused_unless_replacing():
    document = valid_document()
    import_text(json.dumps(document))
    db.session.commit()
    with pytest.raises(ImportRefused) as refusal:
        import_text(json.dumps(document))
    assert any(p.startswith("organisation.slug: an organisation 'tricky' exists already") for p in
               refusal.value.problems)
    db.session.rollback()
    document["organisation"]["name"] = "Replaced"
    import_text(json.dumps(document), replace=True)
    db.session.commit()
    assert organisation_by_slug("tricky").name == "Replaced"
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


def demo_document() -> dict:
    organisation = seed_demo()
    db.session.commit()
    document = json.loads(dumps(export_document(organisation)))
    delete_organisation(organisation)
    db.session.commit()
    return document


def test_an_import_is_one_event_in_the_trail_saying_what_it_brought():
    document = demo_document()
    before = db.session.scalar(db.select(db.func.max(AuditEvent.id)))
    imported = import_text(json.dumps(document))
    db.session.commit()
    events = list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.id > before)))
    assert {e.organisation_id for e in events} == {imported.id}
    assert [(e.action, e.object_label) for e in events] == [("import", document["organisation"]["name"])]
    assert events[0].changes["initiatives"] == 20 and events[0].changes["meetings"] == 3
    assert events[0].actor == current_actor().label


def test_a_loop_of_waiting_initiatives_is_refused_and_nothing_is_written():
    document = demo_document()
    first, second = document["initiatives"][0], document["initiatives"][1]
    first["waits_for"], second["waits_for"] = [second["ref"]], [first["ref"]]
    with pytest.raises(ImportRefused) as refusal:  # found by the check, before the bulk write begins
        import_text(json.dumps(document))
    assert "that is a loop" in str(refusal.value)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0


def test_a_realised_amount_for_a_month_far_ahead_is_refused():
    document = demo_document()
    document["initiatives"][7]["benefits"][0]["actuals"][0]["month"] = "2199-01-01"
    with pytest.raises(DomainError) as refusal:
        import_text(json.dumps(document))
    assert "This date is in the future." in str(refusal.value)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def typed_decimal(most: str, places: int = 9):
    """A decimal as someone might type it: up to `most`, with more places than any column keeps."""
    return st.decimals(min_value=Decimal(0), max_value=Decimal(most), places=places, allow_nan=False,
                       allow_infinity=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(discount_rate=typed_decimal("1.00001", 6), volume=typed_decimal("100000", 6),
       rate=typed_decimal("1.000001"), unit_value=typed_decimal("1000", 4), amount=typed_decimal("1000000", 4),
       confidence=typed_decimal("1.00001", 6), cost=typed_decimal("100000", 4))
def test_whatever_the_services_accept_exports_and_imports_again(discount_rate, volume, rate, unit_value, amount,
                                                                  confidence, cost):
    """Values are rounded to the places they are kept with before they are checked or used in a sum."""
    try:
        organisation = create_organisation("Rounding", slug="rounding", discount_rate=discount_rate)
        initiative = create_initiative(organisation, title="Rounded", readiness_question="know_customers",
                                       one_off_cost=cost, annual_running_cost=cost)
        add_benefit(initiative, kind="revenue_sales", volume=volume, rate=rate, unit_value=unit_value,
                    confidence=confidence)
        add_benefit(initiative, kind="cost_reduction", annual_amount=amount, confidence=confidence)
    except DomainError:
        db.session.rollback()
        return
    db.session.commit()
    first, second = round_trip(organisation)
    assert first == second
    delete_organisation(organisation_by_slug("rounding"))
    db.session.commit()


def test_a_rate_that_rounds_to_the_limit_is_refused_and_a_fine_rate_computes_from_what_is_kept():
    with pytest.raises(DomainError, match="discount rate"):
        create_organisation("Almost one", discount_rate=Decimal("0.99999"))
    db.session.rollback()
    organisation = create_organisation("Fine", discount_rate=Decimal("0.08"))
    initiative = create_initiative(organisation, title="Precise", readiness_question="know_customers")
    benefit = add_benefit(initiative, kind="revenue_sales", volume=Decimal("1000000"), rate=Decimal("0.12345678"),
                          unit_value=Decimal("100"))
    assert benefit.rate == Decimal("0.123457") and benefit.annual_amount == Decimal("12345700.00")
    db.session.commit()
    first, second = round_trip(organisation)
    assert first == second


@pytest.mark.parametrize("text, said", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"format": "cxroadmap/1", "organisation": {"name": ' + "9" * 5000 + "}}", "number too long"),
])
def test_a_hostile_document_is_one_problem_line_not_a_traceback(runner, tmp_path, text, said):
    path = tmp_path / "hostile.json"
    path.write_text(text)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert said in result.output and "Nothing imported: 1 problem." in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def test_very_long_decimals_are_refused_by_their_path():
    document = valid_document()
    benefit = document["initiatives"][0]["benefits"][0]
    benefit["volume"] = "1" + "0" * 5000
    benefit["rate"] = "0." + "1" * 5000
    problems = refusals(document)
    assert any(p.startswith("initiatives[0].benefits[0].volume") for p in problems), problems


def test_a_loop_of_waits_is_refused_with_its_path():
    document = valid_document()
    first = document["initiatives"][0]
    second = {**first, "ref": "INIT-2", "waits_for": [first["ref"]], "benefits": []}
    first["waits_for"] = ["INIT-2"]
    document["initiatives"].append(second)
    problems = refusals(document)
    assert any(p.startswith("initiatives[0].waits_for") and "loop" in p for p in problems), problems
    assert any(p.startswith("initiatives[1].waits_for") and "loop" in p for p in problems), problems
