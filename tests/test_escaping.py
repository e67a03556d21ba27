"""Whatever users type is shown literally on every page: never markup, never a script."""

from datetime import date

import pytest

from cxroadmap.extensions import db
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    MemberFactory,
    OrganisationFactory,
    ReadinessAssessmentFactory,
    RoleStatementFactory,
    StageAssessmentFactory,
    TeamFactory,
)
from tests.helpers import page_text

TYPED = "<script>alert('x')</script> & \"Ünïcødé\" Łódź Ελληνικά Москва {{ 7*7*7*7*7 }} <b>bold</b>"


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name=TYPED, brand_promise=TYPED, slug="typed")
    member = MemberFactory(organisation=organisation, name=TYPED, title=TYPED, function=TYPED)
    team = TeamFactory(organisation=organisation, name=TYPED, function=TYPED)
    RoleStatementFactory(team=team, statement=TYPED, touchpoints=[TYPED], logged_by=TYPED)
    StageAssessmentFactory(organisation=organisation, stage="mobilise", assessed_by=TYPED, rationale=TYPED)
    ReadinessAssessmentFactory(organisation=organisation, evidence=TYPED)
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", title=TYPED, description=TYPED,
                                   owner_id=member.id, health="red", due_date=date(2020, 1, 1))
    BenefitFactory(initiative=initiative, description=TYPED)
    db.session.commit()
    return organisation, member, team


@pytest.mark.parametrize("path", ["/", "/o/typed/", "/o/typed/maturity", "/o/typed/readiness", "/o/typed/coalition",
                                  "/o/typed/teams", "/o/typed/teams/{team}", "/o/typed/initiatives",
                                  "/o/typed/initiatives/INIT-1", "/o/typed/initiatives/INIT-1/edit",
                                  "/o/typed/coalition/{member}/edit", "/o/typed/settings"])
def test_typed_text_is_shown_literally(client, organisation, path):
    _, member, team = organisation
    response = client.get(path.format(team=team.id, member=member.id))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body
    assert "<b>bold</b>" not in body
    assert "&lt;script&gt;" in body
    if "/edit" not in path and path != "/o/typed/settings":
        assert TYPED[:60] in page_text(response) or "Ünïcødé" in page_text(response)
    # 7⁵ = 16807, which no date, time or count on these pages spells: the template text was not evaluated.
    assert "16807" not in page_text(response)
