from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.helpers import field_error, page_text

VALID = {"name": "Acme Parts", "slug": "", "brand_promise": "Tomorrow, before ten.", "currency": "eur",
         "discount_rate": "8%", "target_stage": "operationalise", "target_date": "2027-12-31", "locale": "en"}


def test_empty_start_page_says_what_to_do(client):
    assert "Set up the organisation" in page_text(client.get("/"))


def test_create_an_organisation_through_the_form(client):
    response = client.post("/organisations/new", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/o/acme-parts/"
    organisation = db.session.scalar(db.select(Organisation))
    assert (organisation.currency, str(organisation.discount_rate)) == ("EUR", "0.0800")
    overview = page_text(client.get("/o/acme-parts/"))
    assert "Acme Parts" in overview and "“Tomorrow, before ten.”" in overview
    assert "Acme Parts" in page_text(client.get("/"))


def test_invalid_form_shows_errors_beside_fields_and_writes_nothing(client):
    response = client.post("/organisations/new", data={**VALID, "name": "", "discount_rate": "lots",
                                                       "currency": "EURO"})
    assert response.status_code == 422
    assert field_error(response, "name") == "This field is required."
    assert "Enter a number" in field_error(response, "discount_rate")
    assert 'value="EURO"' in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def test_domain_errors_also_reach_their_field(client):
    OrganisationFactory(slug="acme-parts")
    response = client.post("/organisations/new", data=VALID)
    assert response.status_code == 422
    assert "taken" in field_error(response, "slug")


def test_settings_are_edited_in_place(client):
    organisation = OrganisationFactory(slug="acme")
    response = client.post("/o/acme/settings", data={**VALID, "slug": "acme", "name": "Acme Renamed",
                                                     "currency": "USD", "locale": "nl"})
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert (organisation.name, organisation.currency, organisation.locale) == ("Acme Renamed", "USD", "nl")


def test_unknown_organisation_is_404(client):
    assert client.get("/o/nobody/").status_code == 404
    assert client.get("/o/nobody/initiatives").status_code == 404
