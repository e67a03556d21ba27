"""Two people edit the same thing: the second save over a newer version is refused, naming who changed it."""

from decimal import Decimal

from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory, TeamFactory
from tests.helpers import page_text

EDIT = {"ref": "INIT-1", "title": "Mine", "readiness_question": "know_roles", "owner": "", "status": "approved",
        "health": "green", "progress": "0", "one_off_cost": "0", "annual_running_cost": "0"}


def test_a_stale_initiative_edit_is_refused_and_names_who_changed_it(client_as):
    organisation = OrganisationFactory(slug="race")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Original")
    anna = client_as("steering", organisation, name="Anna", email="anna@example.com")
    bram = client_as("steering", organisation, name="Bram", email="bram@example.com")
    opened = anna.get("/o/race/initiatives/INIT-1/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in opened
    saved = bram.post("/o/race/initiatives/INIT-1/edit", data={**EDIT, "title": "Bram's", "version": "1"})
    assert saved.status_code == 302
    response = anna.post("/o/race/initiatives/INIT-1/edit", data={**EDIT, "title": "Anna's", "version": "1"})
    assert response.status_code == 422
    assert "Bram changed INIT-1" in page_text(response) and "bram@example.com" not in page_text(response)
    db.session.expire_all()
    assert db.session.scalar(db.select(Initiative.title)) == "Bram's"


def test_stale_edits_of_settings_teams_and_estimates_are_refused_too(client):
    organisation = OrganisationFactory(slug="race")
    team = TeamFactory(organisation=organisation, name="Warehouse")
    benefit = BenefitFactory(initiative=InitiativeFactory(organisation=organisation, ref="INIT-1"))
    db.session.execute(db.text("UPDATE team SET version = 5, updated_by = 'zoe@example.com'"))
    db.session.execute(db.text("UPDATE benefit_estimate SET version = 5"))
    db.session.execute(db.text("UPDATE organisation SET version = 5"))
    db.session.commit()
    assert client.post(f"/o/race/teams/{team.id}/edit", data={"name": "Stale", "version": "1"}).status_code == 422
    assert client.post(f"/o/race/initiatives/INIT-1/benefits/{benefit.id}/edit",
                       data={"kind": "cost_reduction", "annual_amount": "1", "version": "1"}).status_code == 422
    settings = {"name": "Stale", "slug": "race", "currency": "EUR", "discount_rate": "0.08", "locale": "en",
                "version": "1"}
    response = client.post("/o/race/settings", data=settings)
    assert response.status_code == 422 and "changed the settings" in page_text(response)
    db.session.expire_all()
    assert (team.name, benefit.annual_amount) == ("Warehouse", Decimal("12000.00"))
