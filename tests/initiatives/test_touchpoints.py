"""An initiative names the touchpoints it works on; both pages show the link."""

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.initiatives import touchpoints
from cxroadmap.journey.models import Touchpoint
from tests.factories import (
    InitiativeFactory,
    JourneyStageFactory,
    OrganisationFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)
from tests.helpers import page_text


def setting():
    organisation = OrganisationFactory(slug="parts")
    stage = JourneyStageFactory(organisation=organisation, name="Delivery")
    on_site = TouchpointFactory(stage=stage, key="on-site", name="Part on site before 10:00", moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=on_site)
    TouchpointFactory(stage=stage, key="tracking", name="Tracking link")
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-7", title="Morning runs")
    return organisation, initiative


def test_an_initiative_names_its_touchpoints_and_the_change_is_audited(client):
    organisation, initiative = setting()
    response = client.post("/o/parts/initiatives/INIT-7/touchpoints", data={"touchpoints": ["on-site", "tracking"]})
    assert response.status_code == 302
    assert [t.key for t in touchpoints.touchpoints_of(initiative)] == ["on-site", "tracking"]
    page = client.get("/o/parts/initiatives/INIT-7").get_data(as_text=True)
    section = page.split("Touchpoints it works on", 1)[1]
    assert "Part on site before 10:00" in section and "−1.0" in section
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Initiative",
                                                           AuditEvent.action == "update")).all()[-1]
    assert event.changes == {"touchpoints": [[], ["on-site", "tracking"]]}
    client.post("/o/parts/initiatives/INIT-7/touchpoints", data={"touchpoints": ["tracking"]})
    assert [t.key for t in touchpoints.touchpoints_of(initiative)] == ["tracking"]
    # The history and the trail name the touchpoints as they are called, not by their keys.
    history = page_text(client.get("/o/parts/initiatives/INIT-7")).split("History", 1)[1]
    assert "Part on site before 10:00, Tracking link" in history and "on-site" not in history
    assert "Part on site before 10:00, Tracking link" in page_text(client.get("/o/parts/audit"))


def test_the_touchpoint_page_lists_the_initiatives_working_on_it(client):
    organisation, initiative = setting()
    touchpoints.set_touchpoints(organisation, initiative, ["on-site"])
    db.session.commit()
    body = client.get("/o/parts/journey/touchpoints/on-site").get_data(as_text=True)
    assert "Initiatives working on it" in body and "INIT-7" in body and "Morning runs" in body
    assert "INIT-7" not in client.get("/o/parts/journey/touchpoints/tracking").get_data(as_text=True)


def test_an_unknown_or_foreign_touchpoint_changes_nothing(client):
    organisation, initiative = setting()
    other = OrganisationFactory(slug="other")
    TouchpointFactory(stage=JourneyStageFactory(organisation=other), key="elsewhere")
    touchpoints.set_touchpoints(organisation, initiative, ["on-site"])
    db.session.commit()
    response = client.post("/o/parts/initiatives/INIT-7/touchpoints", data={"touchpoints": ["on-site", "elsewhere"]},
                           follow_redirects=True)
    assert "Not saved." in response.get_data(as_text=True)
    assert [t.key for t in touchpoints.touchpoints_of(initiative)] == ["on-site"]


def test_removing_a_touchpoint_unlinks_it_from_initiatives():
    organisation, initiative = setting()
    touchpoints.set_touchpoints(organisation, initiative, ["on-site", "tracking"])
    db.session.delete(db.session.scalar(db.select(Touchpoint).where(Touchpoint.key == "on-site")))
    db.session.flush()
    assert [t.key for t in touchpoints.touchpoints_of(initiative)] == ["tracking"]
