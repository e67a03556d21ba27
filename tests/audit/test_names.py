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


def test_scores_and_rounds_made_on_a_page_name_the_person(client_as):
    from cxroadmap.assessments.models import AssessmentRound
    from cxroadmap.journey.models import TouchpointScore
    from cxroadmap.timeutil import today
    from tests.journey.test_views import journey_with_scores

    organisation, _, _invoice = journey_with_scores("named")
    browser = client_as("steering", organisation, name="Dirk Visser", email="dirk@example.com")
    browser.post("/o/named/journey/touchpoints/invoice", data={
        "scored_on": today().isoformat(), "expectation": "5.5", "perception": "4.5", "respondents": "25"})
    latest = db.session.scalars(db.select(TouchpointScore).order_by(TouchpointScore.id.desc())).first()
    assert latest.recorded_by == "Dirk Visser"
    assert browser.post("/o/named/assessments", data={"title": "Spring", "closes_on": str(today())}).status_code == 302
    assert db.session.scalar(db.select(AssessmentRound.opened_by)) == "Dirk Visser"


def test_the_command_line_is_named_in_the_readers_language(app, client_as, runner, tmp_path):
    from cxroadmap.audit.services import Actor, record, reset_actor, set_actor
    from tests.factories import OrganisationFactory
    from tests.helpers import page_text

    organisation = OrganisationFactory(slug="cli-named", name="Van Dijk Onderdelen")
    token = set_actor(Actor("command line: import cli-named.json"))  # as `flask import` records itself
    try:
        record("create", organisation=organisation, object_type="Organisation", object_label=organisation.name)
        db.session.commit()
    finally:
        reset_actor(token)
    result = runner.invoke(args=["report", "cli-named", "--kind", "summary", "--issue", "-o", str(tmp_path / "s.pdf")])
    assert result.exit_code == 0, result.output
    dutch = client_as("admin", organisation, locale="nl")
    trail = page_text(dutch.get("/o/cli-named/audit"))
    assert "opdrachtregel: import cli-named.json" in trail and "command line" not in trail
    reports = page_text(dutch.get("/o/cli-named/reports"))
    assert "opdrachtregel" in reports and "command line" not in reports
    english = page_text(client_as("admin", organisation).get("/o/cli-named/reports"))
    assert "command line" in english
