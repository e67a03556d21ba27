"""The pages of follow-up cases: inbox, list and filters, the case worked and closed, settings, figures."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from tests import factories
from tests.cases.conftest import send, unhappy
from tests.helpers import field_error, page_text


def _cases(org, touchpoint):
    """Three cases: an overdue one (opened last month), a fresh one, and one of no team."""
    send(unhappy(org, touchpoint, comment="Fresh complaint"))
    send(unhappy(org, None, measure="csat", score=1, comment="About the relationship"))
    send(unhappy(org, touchpoint, comment="Old complaint", contact="piet@example.com", contact_name="Piet"))
    old = db.session.scalars(select(Case).where(Case.comment == "Old complaint")).one()
    old.opened_at = datetime.now(UTC) - timedelta(days=30)
    old.due_at = datetime.now(UTC) - timedelta(days=27)
    db.session.commit()
    return {case.comment: case for case in db.session.scalars(select(Case))}


def test_the_team_inbox_lists_its_cases_overdue_first(client, org, team, touchpoint):
    cases = _cases(org, touchpoint)
    text = page_text(client.get(f"/o/acme/cases/teams/{team.id}"))
    assert "Inbox of Transport Planning" in text
    assert text.index("Old complaint") < text.index("Fresh complaint") and "overdue" in text
    assert "About the relationship" not in text
    lead = page_text(client.get("/o/acme/cases/lead"))
    assert "About the relationship" in lead and "Fresh complaint" not in lead
    assert f"#{cases['Old complaint'].id}" in text


def test_the_list_filters_by_status_team_touchpoint_and_overdue(client, org, team, touchpoint):
    _cases(org, touchpoint)
    assert "Fresh complaint" not in page_text(client.get("/o/acme/cases?overdue=1"))
    assert "Old complaint" in page_text(client.get("/o/acme/cases?overdue=1"))
    no_team = page_text(client.get("/o/acme/cases?team=0"))
    assert "About the relationship" in no_team and "Old complaint" not in no_team
    by_touchpoint = page_text(client.get(f"/o/acme/cases?touchpoint={touchpoint.id}&status=new"))
    assert "Old complaint" in by_touchpoint and "About the relationship" not in by_touchpoint
    assert "No cases here" in page_text(client.get("/o/acme/cases?status=resolved"))


def test_a_case_is_worked_and_closed_through_its_page(client, org, team, touchpoint):
    case = _cases(org, touchpoint)["Old complaint"]
    member = factories.MemberFactory(organisation=org, name="Omer Yilmaz", function="Logistics")
    page = page_text(client.get(f"/o/acme/cases/{case.id}"))
    assert "piet@example.com" in page and "overdue" in page
    response = client.post(f"/o/acme/cases/{case.id}", data={
        "status": "resolved", "owner_id": str(member.id), "outcome": "", "root_cause": "nope",
        "initiative_ref": "INIT-404", "notes": "Kept", "seen_status": "new"})
    assert response.status_code == 422
    assert field_error(response, "outcome") and field_error(response, "initiative_ref")
    assert field_error(response, "root_cause")
    assert "Kept" in response.get_data(as_text=True)
    factories.InitiativeFactory(organisation=org, ref="INIT-7", title="Tighter routes")
    response = client.post(f"/o/acme/cases/{case.id}", data={
        "status": "resolved", "owner_id": str(member.id), "outcome": "Route changed.", "root_cause": "late-delivery",
        "initiative_ref": "INIT-7", "notes": "", "seen_status": "new"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Case, case.id)
    assert saved.status == "resolved" and saved.closed_at is not None and saved.owner_id == member.id
    initiative = page_text(client.get("/o/acme/initiatives/INIT-7"))
    assert "Follow-up cases it fixes" in initiative and f"#{case.id}" in initiative and "Late delivery" in initiative
    # Opened 30 days ago, closed now: some 20 to 22 working days, whatever the weekday today.
    assert re.search(r"Median time to close 2[0-2]\.\d days", page_text(client.get("/o/acme/cases/figures")))
    assert re.search(r"Median time to close 2[0-2]\.\d days working days", page_text(client.get("/o/acme/")))
    again = client.post(f"/o/acme/cases/{case.id}", data={
        "status": "not_resolvable", "outcome": "x", "root_cause": "", "initiative_ref": "", "seen_status": "new"})
    assert again.status_code == 422 and "after you opened it" in field_error(again, "status")


def test_a_contributor_works_the_cases_of_teams_whose_role_they_log(client_as, org, team, touchpoint):
    cases = _cases(org, touchpoint)
    carla = client_as("contributor", org, name="Carla Kok", email="carla@example.com")
    update = {"status": "contacted", "outcome": "", "root_cause": "", "initiative_ref": "", "notes": "Called",
              "seen_status": "new"}
    case = cases["Fresh complaint"]
    assert carla.post(f"/o/acme/cases/{case.id}", data=update).status_code == 403
    assert "Work the case" not in page_text(carla.get(f"/o/acme/cases/{case.id}"))
    factories.RoleStatementFactory(team=team, logged_by="Carla Kok")
    assert carla.post(f"/o/acme/cases/{case.id}", data=update).status_code == 302
    lead_case = cases["About the relationship"]
    assert carla.post(f"/o/acme/cases/{lead_case.id}", data=update).status_code == 403
    viewer = client_as("viewer", org)
    assert viewer.post(f"/o/acme/cases/{lead_case.id}", data=update).status_code == 403
    assert "Called" in page_text(viewer.get(f"/o/acme/cases/{case.id}"))


def test_another_organisations_case_and_team_are_not_found(client, org, team, touchpoint):
    cases = _cases(org, touchpoint)
    factories.OrganisationFactory(slug="other")
    case = cases["Fresh complaint"]
    assert client.get(f"/o/other/cases/{case.id}").status_code == 404
    assert client.post(f"/o/other/cases/{case.id}", data={"status": "contacted"}).status_code == 404
    assert client.get(f"/o/other/cases/teams/{team.id}").status_code == 404
    assert "Fresh complaint" not in page_text(client.get("/o/other/cases"))


def test_the_settings_page_names_every_problem_at_once_and_keeps_what_was_typed(client, org):
    page = page_text(client.get("/o/acme/cases/settings"))
    assert "Late delivery | Te late levering" in client.get("/o/acme/cases/settings").get_data(as_text=True)
    assert "Alert rule and service level" in page
    response = client.post("/o/acme/cases/settings", data={
        "nps_at_most": "12", "csat_at_most": "2", "ces_at_most": "9", "gap_at_most": "-2", "service_days": "0",
        "root_causes": "Only English"})
    assert response.status_code == 422
    for field in ("nps_at_most", "ces_at_most", "service_days", "root_causes"):
        assert field_error(response, field), field
    assert "Only English" in response.get_data(as_text=True)
    response = client.post("/o/acme/cases/settings", data={
        "nps_at_most": "5", "csat_at_most": "", "ces_at_most": "3", "gap_at_most": "-2", "service_days": "3",
        "root_causes": "Late | Laat\nRude driver | Onbeleefde chauffeur"})
    assert response.status_code == 302
    assert "Rude driver | Onbeleefde chauffeur" in client.get("/o/acme/cases/settings").get_data(as_text=True)


def test_the_dashboard_and_the_team_page_show_overdue_cases(client, org, team, touchpoint):
    _cases(org, touchpoint)
    overview = page_text(client.get("/o/acme/"))
    assert "Follow-up cases" in overview and "Overdue 1" in overview and "Open 3" in overview
    team_page = page_text(client.get(f"/o/acme/teams/{team.id}"))
    assert "2 open cases, 1 overdue" in team_page
    assert "2 open cases, 1 overdue" in page_text(client.get("/o/acme/journey/touchpoints/on-site"))


def test_the_figures_page_in_dutch(client, org, team, touchpoint):
    _cases(org, touchpoint)
    org.locale = "nl"
    db.session.commit()
    text = page_text(client.get("/o/acme/cases/figures"))
    assert "Transport Planning" in text and "Per contactmoment" in text and "Op tijd opgevolgd" in text
    assert "0%" in text  # the overdue case was judged and not followed up in time


def test_the_audit_trail_names_what_was_done_to_a_case(client, org, team, touchpoint):
    case = _cases(org, touchpoint)["Fresh complaint"]
    client.post(f"/o/acme/cases/{case.id}", data={
        "status": "resolved", "outcome": "Sorted.", "root_cause": "late-delivery", "initiative_ref": "",
        "notes": "", "seen_status": "new"})
    client.post("/o/acme/cases/settings", data={"nps_at_most": "5", "csat_at_most": "2", "ces_at_most": "3",
                                                "gap_at_most": "-2", "service_days": "3", "root_causes": "Late | Laat"})
    trail = page_text(client.get("/o/acme/audit"))
    assert "Follow-up case" in trail and f"#{case.id}" in trail and "Root cause" in trail
    assert "Follow-up settings" in trail and "Service level (working days)" in trail
