from datetime import date, timedelta

import pytest

from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.maturity import services
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.timeutil import today
from tests.factories import OrganisationFactory
from tests.helpers import field_error, page_text


def test_the_latest_assessment_is_the_current_stage_and_history_is_kept():
    organisation = OrganisationFactory()
    assert services.current_stage(organisation) is None
    services.assess_stage(organisation, "explore", date(2025, 1, 1), "A", "first")
    services.assess_stage(organisation, "mobilise", date(2026, 3, 1), "B", "second")
    services.assess_stage(organisation, "ignore", date(2024, 1, 1), "C", "backfilled history")
    assert services.current_stage(organisation).stage == "mobilise"
    assert [a.stage for a in services.stage_history(organisation)] == ["mobilise", "explore", "ignore"]


def test_unknown_stages_and_future_dates_are_refused():
    organisation = OrganisationFactory()
    with pytest.raises(DomainError) as refusal:
        services.assess_stage(organisation, "legendary", today() + timedelta(days=30))
    assert set(refusal.value.errors) == {"stage", "assessed_on"}


def test_ladder_marks_current_reached_and_target():
    ladder = services.stage_ladder("mobilise", "align")
    assert [s["reached"] for s in ladder] == [True, True, True, False, False, False]
    assert [s["choice"].key for s in ladder if s["current"]] == ["mobilise"]
    assert [s["choice"].key for s in ladder if s["target"]] == ["align"]
    assert ladder[2]["experience"] == "intentional" and ladder[5]["posture"] == "proactive"


def test_assess_through_the_page(client):
    organisation = OrganisationFactory(target_stage="align")
    url = f"/o/{organisation.slug}/maturity"
    response = client.post(url, data={"stage": "mobilise", "assessed_on": "2026-05-01", "assessed_by": "Jeroen",
                                      "rationale": "Coalition formed."})
    assert response.status_code == 302
    text = page_text(client.get(url))
    assert "Current stage: Mobilise" in text
    assert "Coalition formed." in text
    assert "(target stage)" in text


def test_assess_without_a_stage_is_refused_beside_the_field(client):
    organisation = OrganisationFactory()
    response = client.post(f"/o/{organisation.slug}/maturity", data={"assessed_on": "2026-05-01"})
    assert response.status_code == 422
    assert field_error(response, "stage") == "Choose a stage."
    assert db.session.scalar(db.select(db.func.count()).select_from(StageAssessment)) == 0
