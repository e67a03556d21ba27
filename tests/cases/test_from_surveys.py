"""The loop end to end: a customer answers a survey on its public page, and the team that owns the touchpoint has
a case in its inbox, with the contact only when the customer agreed. Neither area names the other."""

from sqlalchemy import select

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from tests.helpers import page_text
from tests.surveys.helpers import answer, live_survey


def _cases():
    return db.session.scalars(select(Case).order_by(Case.id)).all()


def test_an_unhappy_answer_on_the_public_page_opens_a_case_for_the_owning_team(org, team, touchpoint, anonymous,
                                                                                client_as):
    survey = live_survey(org, touchpoint, measure="nps")
    answer(anonymous, survey, score=9, comment="Fine.")  # a promoter opens nothing
    assert _cases() == []
    answer(anonymous, survey, score=3, expectation=6, perception=3, comment="Late again, the line stood still.",
           consent="y", contact_name="Jan de Vries", contact="jan@example.com")
    answer(anonymous, survey, score=2, comment="No call back.")  # no consent: about the touchpoint, not the person
    with_contact, anonymous_case = _cases()
    assert (with_contact.team_id, with_contact.touchpoint_id, with_contact.score) == (team.id, touchpoint.id, 3)
    assert (with_contact.contact_name, with_contact.contact) == ("Jan de Vries", "jan@example.com")
    assert anonymous_case.contact is None and anonymous_case.contact_name is None
    inbox = page_text(client_as("viewer", org).get(f"/o/{org.slug}/cases/teams/{team.id}"))
    assert "Late again, the line stood still." in inbox and "No call back." in inbox
