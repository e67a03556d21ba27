from datetime import date
from decimal import Decimal

import pytest

from cxroadmap.errors import DomainError
from cxroadmap.initiatives import services
from tests.factories import InitiativeFactory, MemberFactory, OrganisationFactory


def new(organisation, **values):
    return services.create_initiative(organisation, **{"title": "Delivery promise",
                                                       "readiness_question": "know_experience", **values})


def test_references_are_generated_per_organisation_after_the_highest_number():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    assert new(organisation).ref == "INIT-1"
    new(organisation, ref="init-9")
    new(organisation, ref="PILOT-A")
    assert new(organisation).ref == "INIT-10"
    assert new(other).ref == "INIT-1"


def test_a_long_typed_reference_never_blocks_the_automatic_ones():
    organisation = OrganisationFactory()
    new(organisation, ref="INIT-999999999")
    assert new(organisation).ref == "INIT-1000000000"
    assert new(organisation).ref == "INIT-1000000001"  # ten digits count like any others
    new(organisation, ref="INIT-" + "9" * 27)  # as long as a reference may be: no room after it
    assert [new(organisation).ref for _ in range(2)] == ["INIT-1", "INIT-2"]  # the lowest numbers still free
    new(organisation, ref="INIT-0004")
    assert new(organisation).ref == "INIT-3" and new(organisation).ref == "INIT-5"


def test_a_taken_or_malformed_reference_is_refused():
    organisation = OrganisationFactory()
    new(organisation, ref="INIT-3")
    with pytest.raises(DomainError) as refusal:
        new(organisation, ref="init-3")
    assert "already" in refusal.value.errors["ref"]
    with pytest.raises(DomainError):
        new(organisation, ref="has spaces/and slashes")


def test_every_rule_is_checked_at_once_and_nothing_is_written():
    organisation = OrganisationFactory()
    with pytest.raises(DomainError) as refusal:
        new(organisation, title="", readiness_question="know_nothing", status="dreaming", health="purple",
            progress=120, start_date=date(2026, 5, 1), due_date=date(2026, 4, 1), target_stage="nirvana",
            one_off_cost=Decimal("-1"), annual_running_cost=Decimal("1e13"))
    assert set(refusal.value.errors) == {"title", "readiness_question", "status", "health", "progress",
                                         "due_date", "target_stage", "one_off_cost", "annual_running_cost"}
    assert services.all_initiatives(organisation) == []


def test_the_owner_must_sit_in_the_same_organisation():
    organisation = OrganisationFactory()
    stranger = MemberFactory(organisation=OrganisationFactory())
    with pytest.raises(DomainError) as refusal:
        new(organisation, owner=stranger)
    assert "owner" in refusal.value.errors


def test_update_changes_only_what_is_given_and_checks_the_whole():
    organisation = OrganisationFactory()
    initiative = new(organisation, start_date=date(2026, 1, 1), due_date=date(2026, 6, 1))
    services.update_initiative(organisation, initiative, health="red", progress=40)
    assert (initiative.health, initiative.progress, initiative.title) == ("red", 40, "Delivery promise")
    with pytest.raises(DomainError):
        services.update_initiative(organisation, initiative, due_date=date(2025, 1, 1))


def test_counts_by_question_status_and_health_leave_out_archived_ones():
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, readiness_question="know_roles", health="red")
    InitiativeFactory(organisation=organisation, readiness_question="know_roles", status="done")
    InitiativeFactory(organisation=organisation, archived=True)
    counts = services.initiative_counts(organisation)
    assert counts["question"] == {"know_customers": 0, "know_experience": 0, "know_roles": 2}
    assert counts["health"]["red"] == 1 and counts["status"]["done"] == 1


def test_filter_drops_values_typed_into_the_url_that_mean_nothing():
    wanted = services.InitiativeFilter(question="nonsense", status="<b>", sort="DROP TABLE", archive="x")
    assert (wanted.question, wanted.status, wanted.sort, wanted.archive) == (None, None, "ref", "active")
