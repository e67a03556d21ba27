from datetime import date

import pytest

from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.readiness import services
from cxroadmap.readiness.models import ReadinessAssessment
from tests.factories import OrganisationFactory
from tests.helpers import field_error, page_text


def test_latest_score_per_question_with_history():
    organisation = OrganisationFactory()
    services.assess_readiness(organisation, "know_customers", 1, date(2025, 1, 1), "old")
    services.assess_readiness(organisation, "know_customers", 3, date(2026, 1, 1), "new")
    services.assess_readiness(organisation, "know_roles", 2, date(2026, 1, 1))
    scores = services.readiness_scores(organisation)
    assert scores["know_customers"].score == 3
    assert scores["know_roles"].score == 2
    assert scores["know_experience"] is None
    assert [a.score for a in services.readiness_history(organisation)["know_customers"]] == [3, 1]


@pytest.mark.parametrize("score", [-1, 5, True, "3"])
def test_scores_outside_zero_to_four_are_refused(score):
    with pytest.raises(DomainError) as refusal:
        services.assess_readiness(OrganisationFactory(), "know_customers", score, date(2026, 1, 1))
    assert "score" in refusal.value.errors


def test_score_through_the_page(client):
    organisation = OrganisationFactory()
    url = f"/o/{organisation.slug}/readiness"
    response = client.post(url, data={"question": "know_experience", "score": "2", "evidence": "Journey map v1",
                                      "assessed_on": "2026-06-01"})
    assert response.status_code == 302
    text = page_text(client.get(url))
    assert "2 / 4 · Partly answered" in text
    assert "Journey map v1" in text


def test_a_typed_score_of_seven_is_refused(client):
    organisation = OrganisationFactory()
    response = client.post(f"/o/{organisation.slug}/readiness",
                           data={"question": "know_roles", "score": "7", "assessed_on": "2026-06-01"})
    assert response.status_code == 422
    assert field_error(response, "score") == "Not a valid choice."
    assert db.session.scalar(db.select(db.func.count()).select_from(ReadinessAssessment)) == 0
