"""People are named by their names in what they leave behind (status updates, edit conflicts, the trail's Who);
their email only where it is needed (a sign-in that failed, the members page)."""

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from tests.factories import UserFactory


def test_signing_in_is_recorded_under_the_persons_name(app):
    from tests.factories import PASSWORD

    user = UserFactory(name="Carla Smit", email="carla@example.com")
    assert app.test_client().post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "sign_in"))
    assert event.actor == "Carla Smit" and event.user_id == user.id
