"""Two people closing the same case at the same moment: the first wins, the second is told (PostgreSQL)."""

import pytest
from sqlalchemy import select

from cxroadmap.cases import services
from cxroadmap.cases.models import Case
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from tests.cases.conftest import send, unhappy
from tests.conftest import POSTGRES_URL
from tests.test_concurrency import race

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="SQLite serialises writers; the races live on PostgreSQL")


def _close(organisation_id: int, case_id: int, status: str, outcome: str):
    organisation = db.session.get(Organisation, organisation_id)
    case = db.session.get(Case, case_id)
    return services.update_case(organisation, case, status=status, owner_id=None, outcome=outcome, root_cause="",
                                notes="", initiative_ref="", seen_status="new")


def test_resolving_twice_at_once_one_wins(app, org, touchpoint):
    send(unhappy(org, touchpoint))
    case_id = db.session.scalar(select(Case.id))
    outcome = race(app, lambda: _close(org.id, case_id, "resolved", "Called back."),
                   lambda: _close(org.id, case_id, "not_resolvable", "Could not reach them."))
    assert isinstance(outcome.get("refused"), DomainError), outcome
    assert "after you opened it" in outcome["refused"].errors["status"]
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert (case.status, case.outcome) == ("resolved", "Called back.")
