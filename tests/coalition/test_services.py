from datetime import date, timedelta

import pytest

from cxroadmap.coalition import services
from cxroadmap.errors import DomainError
from tests.factories import MemberFactory, OrganisationFactory, RoleStatementFactory, TeamFactory


def test_members_are_identified_by_a_lower_case_email_unique_in_the_organisation():
    organisation = OrganisationFactory()
    member = services.add_member(organisation, "Ann", " Ann@Example.COM ", "Sales", "Director", "sponsor")
    assert member.email == "ann@example.com"
    with pytest.raises(DomainError) as refusal:
        services.add_member(organisation, "Ann again", "ANN@example.com")
    assert "email" in refusal.value.errors
    # The same person may sit in another organisation's coalition.
    services.add_member(OrganisationFactory(), "Ann", "ann@example.com")


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b@c.com"])
def test_invalid_emails_are_refused(email):
    with pytest.raises(DomainError) as refusal:
        services.add_member(OrganisationFactory(), "Someone", email)
    assert "email" in refusal.value.errors


def test_members_are_listed_sponsor_first():
    organisation = OrganisationFactory()
    MemberFactory(organisation=organisation, name="Zed", coalition_role="member")
    MemberFactory(organisation=organisation, name="Bea", coalition_role="lead")
    MemberFactory(organisation=organisation, name="Al", coalition_role="sponsor")
    assert [m.name for m in services.coalition_members(organisation)] == ["Al", "Bea", "Zed"]


def test_team_names_are_unique_in_an_organisation_whatever_their_case():
    organisation = OrganisationFactory()
    services.create_team(organisation, "Warehouse", "Logistics")
    with pytest.raises(DomainError):
        services.create_team(organisation, "WAREHOUSE")


def test_the_latest_role_statement_is_current():
    team = TeamFactory()
    services.log_role(team, "Old role", ["Phone"], date(2025, 1, 1))
    services.log_role(team, "New role", ["Phone", "Chat"], date(2026, 1, 1))
    assert team.current_statement.statement == "New role"


def test_touchpoints_are_read_from_lines_or_commas_without_repeats():
    assert services.parse_touchpoints("Phone, email\nChat\n\nphone") == ["Phone", "email", "Chat"]


def test_role_statement_needs_words_and_a_date():
    with pytest.raises(DomainError) as refusal:
        services.log_role(TeamFactory(), "   ", [], None)
    assert set(refusal.value.errors) == {"statement", "logged_on"}


def test_coverage_counts_teams_with_a_recent_statement():
    organisation = OrganisationFactory()
    on = date(2026, 11, 1)
    RoleStatementFactory(team=TeamFactory(organisation=organisation), logged_on=on - timedelta(days=10))
    RoleStatementFactory(team=TeamFactory(organisation=organisation), logged_on=on - timedelta(days=400))
    TeamFactory(organisation=organisation)
    TeamFactory(organisation=organisation)
    coverage = services.role_coverage(services.teams_with_roles(organisation), on, 365)
    assert (coverage.whole, coverage.part, coverage.percent) == (4, 1, 25)
    assert services.role_coverage([], on, 365).share is None


def test_team_names_clash_whatever_the_case_of_non_ascii_letters():
    organisation = OrganisationFactory()
    services.create_team(organisation, "Équipe Logistique")
    with pytest.raises(DomainError):
        services.create_team(organisation, "équipe logistique")
    with pytest.raises(DomainError):
        services.create_team(organisation, "Équipe Logistique")


def test_coverage_counted_by_the_database_is_coverage_of_the_loaded_teams():
    from cxroadmap.coalition.services import organisation_role_coverage, role_coverage, teams_with_roles
    from tests.factories import OrganisationFactory, RoleStatementFactory, TeamFactory

    on = date(2026, 11, 24)
    organisation, other = OrganisationFactory(), OrganisationFactory()
    TeamFactory(organisation=organisation, name="Never said")
    RoleStatementFactory(team=TeamFactory(organisation=organisation, name="Long ago"), logged_on=on - timedelta(400))
    RoleStatementFactory(team=TeamFactory(organisation=organisation, name="Just"), logged_on=on - timedelta(365))
    renewed = TeamFactory(organisation=organisation, name="Renewed")
    RoleStatementFactory(team=renewed, logged_on=on - timedelta(500))
    RoleStatementFactory(team=renewed, logged_on=on - timedelta(3))
    RoleStatementFactory(team=TeamFactory(organisation=other, name="Elsewhere"), logged_on=on)
    expected = role_coverage(teams_with_roles(organisation), on, 365)
    assert organisation_role_coverage(organisation, on, 365) == expected
    assert (expected.whole, expected.part) == (4, 2)
