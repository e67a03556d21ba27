"""Every form, fed whatever hypothesis can type: never a 500, and nothing written when it is refused."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxroadmap.extensions import db
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    MeetingFactory,
    MemberFactory,
    MilestoneFactory,
    OrganisationFactory,
    TeamFactory,
)

# Anything a keyboard, a paste or a script can send in a form field (no lone surrogates: they cannot be encoded).
typed = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "∞", "12,5", "1.234,56", "5%", "999999999999999999",
                     "2026-02-30", "0000-01-01", "<script>", "'; DROP TABLE initiative; --", "\x00", "true"]),
)

FORMS = {
    "/organisations/new": ["name", "slug", "brand_promise", "currency", "discount_rate", "target_stage",
                           "target_date", "locale"],
    "/o/fuzz/settings": ["name", "slug", "brand_promise", "currency", "discount_rate", "target_stage",
                         "target_date", "locale", "require_two_factor", "version"],
    "/o/fuzz/maturity": ["stage", "assessed_on", "assessed_by", "rationale"],
    "/o/fuzz/readiness": ["question", "score", "evidence", "assessed_on"],
    "/o/fuzz/coalition/new": ["name", "email", "function", "title", "coalition_role", "active"],
    "/o/fuzz/coalition/{member}/edit": ["name", "email", "function", "title", "coalition_role", "active", "version"],
    "/o/fuzz/teams/new": ["name", "function"],
    "/o/fuzz/teams/{team}": ["statement", "touchpoints", "logged_on", "logged_by"],
    "/o/fuzz/initiatives/new": ["ref", "title", "description", "readiness_question", "owner", "status", "health",
                                "progress", "start_date", "due_date", "target_stage", "one_off_cost",
                                "annual_running_cost"],
    "/o/fuzz/initiatives/INIT-1/edit": ["ref", "title", "readiness_question", "owner", "status", "health",
                                        "progress", "start_date", "due_date", "one_off_cost", "version"],
    "/o/fuzz/initiatives/INIT-1/updates": ["status", "health", "progress", "note", "version"],
    "/o/fuzz/initiatives/INIT-1/milestones": ["title", "due_on"],
    "/o/fuzz/initiatives/INIT-1/milestones/{milestone}/move": ["due_on"],
    "/o/fuzz/initiatives/INIT-1/milestones/{milestone}/done": ["done_on"],
    "/o/fuzz/initiatives/INIT-1/dependencies": ["depends_on"],
    "/o/fuzz/initiatives/INIT-1/actuals": ["benefit", "month", "amount", "note"],
    "/o/fuzz/meetings": ["held_on", "title", "attendees", "agenda", "other_items"],
    "/o/fuzz/meetings/{meeting}/edit": ["held_on", "title", "attendees", "agenda", "other_items", "minutes",
                                        "version"],
    "/o/fuzz/meetings/{meeting}/decisions": ["text", "initiatives"],
    "/o/fuzz/meetings/{meeting}/actions": ["title", "owner", "due_on", "initiative"],
    "/o/fuzz/initiatives/INIT-1/benefits/new": ["kind", "description", "volume", "rate", "unit_value",
                                                "annual_amount", "confidence", "starts_on", "ramp_months"],
    "/o/fuzz/initiatives/INIT-1/benefits/{benefit}/edit": ["kind", "volume", "rate", "unit_value",
                                                           "annual_amount", "confidence", "ramp_months", "version"],
    "/o/fuzz/members": ["email", "role"],
    "/account": ["current_password", "password", "confirm"],
    "/login": ["email", "password", "next"],
}


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name not in ("audit_event", "user_session")}


@pytest.fixture
def fuzz_world(client):
    organisation = OrganisationFactory(slug="fuzz")
    member = MemberFactory(organisation=organisation)
    team = TeamFactory(organisation=organisation)
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    benefit = BenefitFactory(initiative=initiative)
    InitiativeFactory(organisation=organisation, ref="INIT-2")
    milestone = MilestoneFactory(initiative_id=initiative.id)
    meeting = MeetingFactory(organisation_id=organisation.id)
    return {"member": member.id, "team": team.id, "benefit": benefit.id, "milestone": milestone.id,
            "meeting": meeting.id}


@pytest.mark.parametrize("path", sorted(FORMS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_forms_survive_anything_typed(client, fuzz_world, path, data):
    fields = {name: data.draw(typed, label=name) for name in FORMS[path]}
    before = row_counts()
    response = client.post(path.format(**fuzz_world), data=fields)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    db.session.rollback()
    if response.status_code in (400, 401, 403, 404, 422, 429):
        assert row_counts() == before
