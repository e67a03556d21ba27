"""What the follow-up case tests share: an organisation with a team that owns a touchpoint, and answers."""

from datetime import UTC, datetime

import pytest

from cxroadmap.extensions import db
from cxroadmap.measures.feedback import FeedbackAnswer, answer_recorded
from tests import factories


@pytest.fixture
def org():
    return factories.OrganisationFactory(slug="acme", time_zone="Europe/Amsterdam")


@pytest.fixture
def team(org):
    return factories.TeamFactory(organisation=org, name="Transport Planning", function="Logistics")


@pytest.fixture
def touchpoint(org, team):
    stage = factories.JourneyStageFactory(organisation=org, name="Delivery")
    return factories.TouchpointFactory(stage=stage, key="on-site", name="On site before 10:00", team_id=team.id)


def unhappy(org, touchpoint=None, **values) -> FeedbackAnswer:
    fields = {"organisation_id": org.id, "source": "survey", "answered_at": datetime.now(UTC), "measure": "nps",
              "score": 3, "touchpoint_id": touchpoint.id if touchpoint else None, "comment": "Late again.",
              **values}
    return FeedbackAnswer(**fields)


def send(answer: FeedbackAnswer) -> None:
    """As the area that stores answers does: inside its transaction, then committed."""
    from flask import current_app

    answer_recorded.send(current_app._get_current_object(), answer=answer)
    db.session.commit()
