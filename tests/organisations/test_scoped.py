"""Every model's `scoped_to` finds the rows of one organisation and no other's: its own `organisation_id`, or the
way its `__organisation_path__` declares (one rule for all, walked by the base of the models).

Walks the mapped models rather than a list kept by hand: a new table is checked as soon as it hangs off one."""

from sqlalchemy import select

from cxroadmap.demo import seed_demo
from cxroadmap.extensions import db
from cxroadmap.organisations.data_version import organisation_id_of, organisation_models
from tests import factories
from tests.organisations.test_data_version import _rows_of_every_kind


def _another_organisation():
    """An organisation with a row of each kind that hangs off another row (two or three steps from it)."""
    other = factories.OrganisationFactory()
    initiative, later = factories.InitiativeFactory(organisation=other), factories.InitiativeFactory(organisation=other)
    factories.DependencyFactory(initiative=initiative, depends_on=later)
    factories.MilestoneFactory(initiative=initiative)
    factories.BenefitFactory(initiative=initiative)
    factories.RoleStatementFactory(team=factories.TeamFactory(organisation=other))
    factories.DecisionFactory(meeting=factories.MeetingFactory(organisation_id=other.id))
    factories.TouchpointScoreFactory(touchpoint=factories.TouchpointFactory(
        stage=factories.JourneyStageFactory(organisation=other)))
    kpi = factories.KpiFactory(organisation=other)
    factories.KpiReadingFactory(kpi=kpi)
    factories.InitiativeKpiFactory(initiative=initiative, kpi=kpi)
    return other


def test_every_model_of_an_organisations_data_is_scoped_to_it_alone():
    organisation = seed_demo()
    _rows_of_every_kind(organisation)
    other = _another_organisation()
    db.session.commit()
    for model in organisation_models():
        rows = list(db.session.scalars(select(model)))
        for whose in (organisation, other):
            belonging = {row for row in rows if organisation_id_of(row) == whose.id}
            assert set(db.session.scalars(model.scoped_to(whose))) == belonging, model.__name__


def test_a_row_two_steps_away_is_found_through_both():
    from cxroadmap.benefits.models import BenefitActual

    sql = str(BenefitActual.scoped_to(factories.OrganisationFactory()))
    assert "JOIN benefit_estimate" in sql and "JOIN initiative" in sql
