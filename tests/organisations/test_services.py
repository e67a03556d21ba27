from decimal import Decimal

import pytest

from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.organisations import services
from cxroadmap.organisations.models import Organisation
from tests.factories import InitiativeFactory, OrganisationFactory


def test_slug_is_made_from_the_name_when_not_given():
    organisation = services.create_organisation("Van den Bërg Onderdelen B.V.")
    assert organisation.slug == "van-den-berg-onderdelen-b-v"
    assert services.slugify("ΑΒΓ") == "organisation"


def test_a_taken_slug_is_refused_and_nothing_is_written():
    OrganisationFactory(slug="acme")
    with pytest.raises(DomainError) as refusal:
        services.create_organisation("Acme", slug="acme")
    assert "taken" in refusal.value.errors["slug"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


@pytest.mark.parametrize("field, value", [
    ("currency", "EURO"), ("currency", "XYZ"), ("discount_rate", Decimal("1.5")), ("discount_rate", Decimal("-0.1")),
    ("target_stage", "excellent"), ("locale", "de"), ("slug", "Not A Slug"), ("name", "   "),
])
def test_settings_that_make_no_sense_are_refused(field, value):
    values = {"name": "Acme", "slug": "acme", field: value}
    with pytest.raises(DomainError) as refusal:
        services.create_organisation(**values)
    assert field in refusal.value.errors


def test_update_changes_everything_or_nothing():
    organisation = OrganisationFactory(name="Before", currency="EUR")
    with pytest.raises(DomainError):
        services.update_organisation(organisation, "After", organisation.slug, "", "NOPE", Decimal("0.1"), None,
                                     None, "en")
    db.session.rollback()
    assert db.session.get(Organisation, organisation.id).name == "Before"


def test_objects_of_another_organisation_are_not_found():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    initiative = InitiativeFactory(organisation=theirs)
    with pytest.raises(NotInOrganisation):
        services.get_in_organisation(mine, Initiative, id=initiative.id)
    assert services.get_in_organisation(theirs, Initiative, id=initiative.id) == initiative


def test_deleting_an_organisation_removes_all_it_holds():
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation)
    services.delete_organisation(organisation)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0
