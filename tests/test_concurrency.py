"""Rules that read several rows and then write hold when two people act at the same moment (PostgreSQL).

SQLite takes its write lock before a writing transaction reads, so there two writers simply queue; PostgreSQL
lets both read the same rows at once, which is where these races live. Each test lets one change reach the
database unconfirmed, runs the other meanwhile in a transaction of its own, then confirms the first.
"""

import threading

import pytest
from sqlalchemy import func, select

from cxroadmap.accounts.models import Membership
from cxroadmap.accounts.services import change_role, remove_membership
from cxroadmap.coalition.models import Team
from cxroadmap.coalition.services import create_team
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Dependency, Initiative
from cxroadmap.initiatives.services import create_initiative
from cxroadmap.initiatives.tracking import add_dependency
from cxroadmap.organisations.models import Organisation
from tests import factories
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="SQLite serialises writers; the races live on PostgreSQL")


def race(app, first, second) -> dict:
    """first() changes and flushes in the test's transaction; second() runs meanwhile in its own; then first commits.

    Returns what second returned ("value") or the DomainError it raised ("refused"). A second that read the
    rows the first is changing waits for the first's lock, and so sees its change.
    """
    first()
    outcome = {}

    def other():
        with app.app_context():
            try:
                outcome["value"] = second()
                db.session.commit()
            except DomainError as refusal:
                db.session.rollback()
                outcome["refused"] = refusal
            finally:
                db.session.remove()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(timeout=1.0)  # long enough for an unguarded second to finish on stale reads
    db.session.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return outcome


def two_admins():
    organisation = factories.OrganisationFactory()
    ids = [factories.MembershipFactory(organisation_id=organisation.id, role="admin").id for _ in range(2)]
    db.session.commit()
    return organisation.id, ids


def _mine(model, object_id):
    return db.session.get(model, object_id)


def admins(organisation_id) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation_id, Membership.role == "admin"))


def test_two_admins_demoting_each_other_leave_one_admin(app):
    organisation_id, (a, b) = two_admins()
    outcome = race(app, lambda: change_role(_mine(Organisation, organisation_id), _mine(Membership, a), "viewer"),
                   lambda: change_role(_mine(Organisation, organisation_id), _mine(Membership, b), "viewer"))
    assert "administrator" in str(outcome["refused"])
    assert admins(organisation_id) == 1


def test_two_admins_removing_each_other_leave_one_admin(app):
    organisation_id, (a, b) = two_admins()
    outcome = race(app, lambda: remove_membership(_mine(Organisation, organisation_id), _mine(Membership, a)),
                   lambda: remove_membership(_mine(Organisation, organisation_id), _mine(Membership, b)))
    assert "refused" in outcome
    assert admins(organisation_id) == 1


def test_two_waits_for_edits_at_once_make_no_loop(app):
    organisation = factories.OrganisationFactory()
    first = factories.InitiativeFactory(organisation=organisation, ref="INIT-1").id
    second = factories.InitiativeFactory(organisation=organisation, ref="INIT-2").id
    db.session.commit()

    def wait(dependant, needed):
        return lambda: add_dependency(_mine(Organisation, organisation.id), _mine(Initiative, dependant),
                                      _mine(Initiative, needed))

    outcome = race(app, wait(first, second), wait(second, first))
    assert "loop" in str(outcome["refused"])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Dependency)) == 1


def test_team_names_that_differ_only_in_case_cannot_both_be_saved_at_once(app):
    organisation_id = factories.OrganisationFactory().id
    db.session.commit()
    outcome = race(app, lambda: create_team(_mine(Organisation, organisation_id), "Équipe service"),
                   lambda: create_team(_mine(Organisation, organisation_id), "équipe SERVICE"))
    assert "already a team" in str(outcome["refused"])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_two_initiatives_created_at_once_get_different_references(app):
    organisation_id = factories.OrganisationFactory().id
    db.session.commit()

    def create(title):
        return lambda: create_initiative(_mine(Organisation, organisation_id), title=title,
                                         readiness_question="know_customers").ref

    outcome = race(app, create("One"), create("Two"))
    assert outcome["value"] == "INIT-2"
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Initiative.ref))) == ["INIT-1", "INIT-2"]


# -- what may happen once: whoever comes second is told it has happened ---------------------------------

def _closed_round(organisation_id):
    from datetime import timedelta

    from cxroadmap.assessments.services import save_answers
    from cxroadmap.timeutil import today

    organisation = _mine(Organisation, organisation_id)
    made, _links = factories.assessment_round(organisation, opened_on=today() - timedelta(days=20),
                                              closes_on=today() - timedelta(days=6))
    answers = {"leadership": "mobilise", "brand_values": "explore", "engagement": "mobilise",
               "customer_insight": "operationalise", "know_customers": "3", "know_experience": "2",
               "know_roles": "1", "experience": "intentional", "service": "reactive"}
    for rater in made.raters:
        save_answers(rater, answers, on=today() - timedelta(days=7))
    db.session.commit()
    return made.id


def test_a_round_confirmed_twice_at_once_is_confirmed_once(app):
    from cxroadmap.assessments.models import AssessmentRound
    from cxroadmap.assessments.results import round_results
    from cxroadmap.assessments.services import confirm
    from cxroadmap.maturity.models import StageAssessment
    from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint

    organisation_id = factories.OrganisationFactory().id
    db.session.add(WebhookEndpoint(organisation_id=organisation_id, url="https://hooks.example.com/x",
                                   secret="s", events=["assessment.confirmed"], active=True))
    round_id = _closed_round(organisation_id)

    def confirming(who):
        def act():
            assessment_round = _mine(AssessmentRound, round_id)
            results = round_results(assessment_round)
            confirm(assessment_round, "mobilise", dict(results.suggested_scores), "", results.suggested_stage,
                    results.suggested_scores, results.answered, confirmed_by=who)
        return act

    outcome = race(app, confirming("Sam"), confirming("Kim"))
    assert "confirmed already" in str(outcome["refused"])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(StageAssessment)) == 1
    assert db.session.get(AssessmentRound, round_id).confirmed_by == "Sam"
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1  # assessment.confirmed once


def test_a_round_closed_twice_at_once_is_closed_once(app):
    from cxroadmap.assessments.models import AssessmentRound
    from cxroadmap.assessments.services import close_round

    organisation_id = factories.OrganisationFactory().id
    made, _links = factories.assessment_round(_mine(Organisation, organisation_id))
    round_id = made.id
    outcome = race(app, lambda: close_round(_mine(AssessmentRound, round_id)),
                   lambda: close_round(_mine(AssessmentRound, round_id)))
    assert "closed" in str(outcome["refused"])


def test_an_invitation_used_twice_at_once_makes_one_account(app):
    from cxroadmap.accounts.invitations import accept_invitation, invite
    from cxroadmap.accounts.models import User

    organisation_id = factories.OrganisationFactory().id
    token = invite(_mine(Organisation, organisation_id), "new@example.com", "viewer", "Ada", 7).token
    db.session.commit()
    outcome = race(app, lambda: accept_invitation(token, "First", "a long test passphrase 42"),
                   lambda: accept_invitation(token, "Second", "a long test passphrase 42"))
    assert "used already" in str(outcome["refused"])
    db.session.expire_all()
    assert [user.name for user in db.session.scalars(select(User))] == ["First"]
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
