"""People are named by their names in what they leave behind (status updates, edit conflicts, the trail's Who);
their email only where it is needed (a sign-in that failed, the members page)."""

from cxroadmap.extensions import db
from cxroadmap.initiatives.models import StatusUpdate
from tests.accounts.test_versions import EDIT
from tests.factories import InitiativeFactory, OrganisationFactory, UserFactory
from tests.helpers import page_text


def test_a_change_through_the_api_names_the_person_and_their_token_never_their_email(app, api_token, client_as):
    organisation = OrganisationFactory(slug="named")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Original", progress=10)
    anna = client_as("steering", organisation, name="Anna de Vries", email="anna@example.com")
    opened = anna.get("/o/named/initiatives/INIT-1/edit")
    assert opened.status_code == 200
    headers, _user = api_token(organisation, user=UserFactory(name="Bram Jansen", email="bram@example.com"))
    posted = app.test_client().post("/api/v1/o/named/initiatives/INIT-1/status-updates", headers=headers,
                                    json={"status": "in_progress", "health": "amber", "progress": 40,
                                          "note": "Pilot live."})
    assert posted.status_code in (200, 201), posted.get_data(as_text=True)
    update = db.session.scalars(db.select(StatusUpdate).order_by(StatusUpdate.id.desc())).first()
    assert update.author == "Bram Jansen (token tests)"
    history = page_text(anna.get("/o/named/initiatives/INIT-1"))
    assert "Bram Jansen" in history and "bram@example.com" not in history
    refused = anna.post("/o/named/initiatives/INIT-1/edit", data={**EDIT, "title": "Anna's", "version": "1"})
    assert refused.status_code == 422
    said = page_text(refused)
    assert "Bram Jansen (token tests) changed INIT-1" in said and "bram@example.com" not in said
    assert not any(str(year) + "-" in said.split("changed INIT-1 at", 1)[1][:25] for year in range(2020, 2100))
    trail = page_text(anna.get("/o/named/audit"))
    assert "Bram Jansen (token tests)" in trail and "bram@example.com" not in trail
