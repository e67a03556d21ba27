from cxroadmap.coalition.models import CoalitionMember, RoleStatement
from cxroadmap.extensions import db
from tests.factories import MemberFactory, OrganisationFactory, RoleStatementFactory, TeamFactory
from tests.helpers import field_error, page_text


def test_add_and_edit_a_member(client):
    organisation = OrganisationFactory()
    base = f"/o/{organisation.slug}/coalition"
    response = client.post(f"{base}/new", data={"name": "Fatima El Amrani", "email": "fatima@example.com",
                                                "function": "Customer service", "title": "Head of Service",
                                                "coalition_role": "champion", "active": "y"})
    assert response.status_code == 302
    member = db.session.scalar(db.select(CoalitionMember))
    response = client.post(f"{base}/{member.id}/edit", data={"name": "Fatima El Amrani", "email": "fatima@example.com",
                                                            "function": "Service", "title": "Director",
                                                            "coalition_role": "lead"})
    assert response.status_code == 302
    text = page_text(client.get(base))
    assert "Fatima El Amrani" in text and "CX lead" in text and "inactive" in text


def test_a_bad_email_is_shown_beside_the_field(client):
    organisation = OrganisationFactory()
    response = client.post(f"/o/{organisation.slug}/coalition/new",
                           data={"name": "X", "email": "nope", "coalition_role": "member"})
    assert response.status_code == 422
    assert "@" in field_error(response, "email")
    assert db.session.scalar(db.select(db.func.count()).select_from(CoalitionMember)) == 0


def test_teams_page_shows_promise_coverage_and_roles(client):
    organisation = OrganisationFactory(brand_promise="Next morning, before ten.")
    RoleStatementFactory(team=TeamFactory(organisation=organisation, name="Warehouse"),
                         statement="Every order ships tonight.")
    TeamFactory(organisation=organisation, name="Finance")
    text = page_text(client.get(f"/o/{organisation.slug}/teams"))
    assert "“Next morning, before ten.”" in text
    assert "Every order ships tonight." in text
    assert "no role logged" in text
    assert "1 of 2 teams have logged their role" in text


def test_a_team_logs_its_role(client):
    organisation = OrganisationFactory()
    team = TeamFactory(organisation=organisation)
    url = f"/o/{organisation.slug}/teams/{team.id}"
    response = client.post(url, data={"statement": "We pick right first time.", "touchpoints": "Picking, Packing",
                                      "logged_on": "2026-11-01", "logged_by": "Ömer"})
    assert response.status_code == 302
    role = db.session.scalar(db.select(RoleStatement))
    assert role.touchpoints == ["Picking", "Packing"]
    assert "We pick right first time." in page_text(client.get(url))


def test_an_empty_role_statement_is_refused(client):
    organisation = OrganisationFactory()
    team = TeamFactory(organisation=organisation)
    response = client.post(f"/o/{organisation.slug}/teams/{team.id}", data={"statement": "", "logged_on": "2026-11-01"})
    assert response.status_code == 422
    assert field_error(response, "statement") == "This field is required."


def test_a_duplicate_team_name_is_refused_beside_the_field(client):
    organisation = OrganisationFactory()
    TeamFactory(organisation=organisation, name="Warehouse")
    response = client.post(f"/o/{organisation.slug}/teams/new", data={"name": "warehouse"})
    assert response.status_code == 422
    assert "already a team" in field_error(response, "name")


def test_member_edit_of_another_organisation_is_404(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    member = MemberFactory(organisation=theirs)
    assert client.get(f"/o/{mine.slug}/coalition/{member.id}/edit").status_code == 404
    assert client.get(f"/o/{theirs.slug}/coalition/{member.id}/edit").status_code == 200
