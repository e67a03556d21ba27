"""One rule, one answer: each act the pages and the API both offer is allowed to the same people through both.

Each case does the act for real through the pages (a signed-in member) and through the API (a token of a member
with the same role and email), and compares what a user would notice: saved, or refused.
"""

import pytest
from sqlalchemy import func, select

from cxroadmap.accounts import tokens
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures.models import KpiReading
from tests import factories

ROLES = ("viewer", "contributor", "steering", "admin")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _setting(owned: bool):
    organisation = factories.OrganisationFactory(slug="policy")
    owner = factories.MemberFactory(organisation=organisation, email="owner@example.com")
    factories.InitiativeFactory(organisation=organisation, ref="INIT-1", owner_id=owner.id if owned else None)
    factories.KpiFactory(organisation=organisation, code="OTD", measure="percentage")
    factories.TouchpointFactory(stage=factories.JourneyStageFactory(organisation=organisation), key="invoice")
    db.session.commit()
    return organisation


# act: (web path, web form, API path, API body, model that gains a row when it is done)
ACTS = {
    "post a status update": (
        "/o/policy/initiatives/INIT-1/updates",
        {"status": "in_progress", "health": "amber", "progress": "40", "note": "Pilot live.", "version": "1"},
        "/api/v1/o/policy/initiatives/INIT-1/status-updates",
        {"status": "in_progress", "health": "amber", "progress": 40, "note": "Pilot live."}, StatusUpdate),
    "create an initiative": (
        "/o/policy/initiatives/new",
        {"ref": "INIT-2", "title": "Call back within a day", "readiness_question": "know_customers",
         "status": "proposed", "health": "green", "progress": "0", "one_off_cost": "0", "annual_running_cost": "0"},
        "/api/v1/o/policy/initiatives",
        {"ref": "INIT-2", "title": "Call back within a day", "readiness_question": "know_customers"}, Initiative),
    "record a KPI reading": (
        "/o/policy/kpis/OTD/readings", {"taken_on": "2026-11-02", "value": "81", "note": ""},
        "/api/v1/o/policy/kpis/OTD/readings", {"taken_on": "2026-11-02", "value": "81"}, KpiReading),
    "score a touchpoint": (
        "/o/policy/journey/touchpoints/invoice",
        {"scored_on": "2026-11-02", "expectation": "6", "perception": "4", "respondents": "30"},
        "/api/v1/o/policy/touchpoints/invoice/scores",
        {"scored_on": "2026-11-02", "expectation": "6", "perception": "4", "respondents": 30}, TouchpointScore),
}


def _member(app, client_as, organisation, role, email="owner@example.com"):
    """A member with this role: their browser, signed in, and the headers of a token of theirs."""
    browser = client_as(role, organisation, email=email)
    made = tokens.create_token(browser.user, "tests", organisation, True, 30)
    db.session.commit()
    return browser, {"Authorization": f"Bearer {made.secret}"}


def _done(act, post) -> bool:
    """Whether doing the act (post()) saved it; a refusal must be a refusal, never an error."""
    model = ACTS[act][4]
    before = _count(model)
    answer = post()
    assert answer.status_code in (200, 201, 302, 303, 403, 422), (act, answer.status_code, answer.get_data(True))
    done = _count(model) > before
    db.session.rollback()
    return done


@pytest.mark.parametrize("owned", [True, False], ids=["own initiative", "another's initiative"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", list(ACTS))
def test_the_pages_and_the_api_give_every_role_the_same_answer(app, client_as, act, role, owned):
    organisation = _setting(owned)
    browser, headers = _member(app, client_as, organisation, role)
    web_path, form, api_path, body, _model = ACTS[act]
    on_the_pages = _done(act, lambda: browser.post(web_path, data=form))
    # Undo what the page saved, so that the API meets the same state.
    db.session.execute(db.delete(ACTS[act][4]).where(ACTS[act][4].id > 0) if ACTS[act][4] is not Initiative
                       else db.delete(Initiative).where(Initiative.ref == "INIT-2"))
    db.session.commit()
    through_the_api = _done(act, lambda: app.test_client().post(api_path, headers=headers, json=body))
    assert on_the_pages == through_the_api, f"{act} as {role}: pages {on_the_pages}, API {through_the_api}"
    assert on_the_pages == (role in ("steering", "admin") or (role == "contributor" and (
        act == "score a touchpoint" or (act == "post a status update" and owned))))


def test_a_contributor_posts_on_their_own_initiative_and_not_on_anothers(app, client_as):
    organisation = _setting(owned=True)
    browser, headers = _member(app, client_as, organisation, "contributor")
    other = factories.InitiativeFactory(organisation=organisation, ref="INIT-9")
    db.session.commit()
    update = {"status": "done", "health": "green", "progress": 100, "note": "Done."}
    assert app.test_client().post("/api/v1/o/policy/initiatives/INIT-1/status-updates", headers=headers,
                                  json=update).status_code == 201
    refused = app.test_client().post(f"/api/v1/o/policy/initiatives/{other.ref}/status-updates", headers=headers,
                                     json=update)
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    on_the_page = browser.post(f"/o/policy/initiatives/{other.ref}/updates", data={**update, "version": "1"})
    assert on_the_page.status_code == 403
