"""Tokens for API tests: made as the account page makes them."""

import pytest

from cxroadmap.accounts import tokens
from cxroadmap.extensions import db
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def api_token():
    """api_token(organisation, role='steering', write=True, all_organisations=False) -> (headers, user)."""
    def make(organisation, role="steering", write=True, all_organisations=False, user=None, days=30):
        user = user or UserFactory()
        if organisation is not None:
            MembershipFactory(user=user, organisation_id=organisation.id, role=role)
        made = tokens.create_token(user, "tests", None if all_organisations else organisation, write, days)
        db.session.commit()
        return {"Authorization": f"Bearer {made.secret}"}, user
    return make
