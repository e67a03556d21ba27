"""Every page of the scale benchmark asks the database the same number of times for 4 initiatives as for 12:
query counts, not wall time, are what the tests hold (benchmarks/scale.py measures the time)."""

from datetime import timedelta

import pytest

from cxroadmap.benefits.services import record_actual
from cxroadmap.extensions import db
from cxroadmap.governance import services as meetings
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import record_status
from cxroadmap.timeutil import today
from tests.factories import BenefitFactory, InitiativeFactory, MemberFactory, OrganisationFactory, TeamFactory

TODAY = today()
PAGES = ["/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/timeline", "/o/{slug}/timeline.svg",
         "/o/{slug}/timeline?page=2", "/o/{slug}/meetings",
         "/o/{slug}/meetings/{meeting}", "/o/{slug}/initiatives/INIT-2", "/o/{slug}/audit", "/o/{slug}/initiatives",
         "/o/{slug}/maturity", "/o/{slug}/readiness", "/o/{slug}/coalition", "/o/{slug}/teams", "/o/{slug}/reports",
         "/o/{slug}/meetings/{meeting}/edit", "/o/{slug}/initiatives/search?q=init",
         # the charts the overview and the dashboard embed, and the lists their "… and more" links open
         "/o/{slug}/charts/ladder.svg", "/o/{slug}/charts/readiness.svg", "/o/{slug}/charts/benefits-by-year.svg",
         "/o/{slug}/dashboard/stages.svg", "/o/{slug}/dashboard/readiness.svg", "/o/{slug}/dashboard/money.svg",
         "/o/{slug}/initiatives?state=attention", "/o/{slug}/initiatives?state=red_amber",
         "/o/{slug}/initiatives?state=stale"]


def organisation_of(total: int):
    """An organisation with total initiatives, each with what the benchmark's have: benefits, history,
    a milestone, a dependency, realised amounts, and a place on a meeting's agenda."""
    organisation = OrganisationFactory()
    made = []
    for n in range(total):
        owner = MemberFactory(organisation=organisation)
        TeamFactory(organisation=organisation)
        initiative = InitiativeFactory(organisation=organisation, ref=f"INIT-{n + 1}", owner_id=owner.id,
                                       health=["green", "amber", "red"][n % 3], start_date=TODAY,
                                       due_date=TODAY + timedelta(days=100 + n))
        benefit = BenefitFactory(initiative=initiative)
        record_actual(benefit, TODAY.replace(day=1), benefit.annual_amount / 12)
        record_status(initiative, "Monthly update.")
        tracking.add_milestone(initiative, f"M{n}", TODAY + timedelta(days=10))
        if made:
            tracking.add_dependency(organisation, initiative, made[-1])
        made.append(initiative)
    meeting = meetings.plan_meeting(organisation, TODAY - timedelta(days=3),
                                    initiative_ids=[i.id for i in made])
    for initiative in made:
        meetings.assign_action(organisation, meeting, f"Follow {initiative.ref}", None, TODAY, initiative.id)
    db.session.commit()
    return organisation, meeting


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_initiatives(client, count_queries, page):
    def queries_for(total: int) -> int:
        organisation, meeting = organisation_of(total)
        url = page.format(slug=organisation.slug, meeting=meeting.id)
        with count_queries:
            assert client.get(url).status_code == 200
        return count_queries.count

    few = queries_for(4)
    assert queries_for(12) <= few  # a page may name fewer kinds of object, never ask more


def test_the_meetings_list_asks_the_same_for_many_meetings(client, count_queries):
    def queries_for(total: int) -> int:
        organisation, first = organisation_of(2)
        initiative_ids = [i.id for i in first.agenda]
        for n in range(total):
            meeting = meetings.plan_meeting(organisation, TODAY - timedelta(days=n), initiative_ids=initiative_ids)
            meetings.record_decision(organisation, meeting, f"Decision {n}")
        db.session.commit()
        with count_queries:
            assert client.get(f"/o/{organisation.slug}/meetings").status_code == 200
        return count_queries.count

    assert queries_for(30) <= queries_for(3)


@pytest.mark.parametrize("page", ["/o/{slug}/", "/o/{slug}/dashboard"])
def test_a_second_view_reuses_the_portfolio_summary(client, count_queries, page):
    organisation, meeting = organisation_of(12)
    url = page.format(slug=organisation.slug)
    with count_queries:
        assert client.get(url).status_code == 200
    first = count_queries.count
    with count_queries:
        assert client.get(url).status_code == 200
    assert count_queries.count <= first - 6  # the summary's own queries are not asked again


@pytest.mark.parametrize("page", ["/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/initiatives",
                                  "/o/{slug}/charts/benefits-by-year.svg", "/o/{slug}/dashboard/money.svg"])
def test_the_first_view_after_a_write_asks_the_same_for_many_initiatives(client, count_queries, page):
    """After a write to one initiative, the summary reads the change log and that initiative's rows again, not
    everyone's: the first view after the write asks as often for 12 initiatives as for 4, and the summary's
    share of it is the log and five reads of the one initiative."""
    def queries_for(total: int) -> tuple[int, list[str]]:
        organisation, _meeting = organisation_of(total)
        url = page.format(slug=organisation.slug)
        for _ in range(2):  # the summary is worked out and kept (and the page, for this session)
            assert client.get(url).status_code == 200
        initiative = db.session.scalars(db.select(Initiative).where(Initiative.organisation_id == organisation.id,
                                                                    Initiative.ref == "INIT-2")).one()
        tracking.post_status_update(organisation, initiative, status="in_progress", health="red", progress=5,
                                    note="A write between two views.")
        db.session.commit()
        with count_queries:
            assert client.get(url).status_code == 200
        return count_queries.count, count_queries.statements

    few, _ = queries_for(4)
    many, statements = queries_for(12)
    assert many <= few
    log_reads = [s for s in statements if "organisation_data_change" in s]
    assert len(log_reads) <= 1  # the log, once; never the whole portfolio again
    estimates = [s for s in statements if "FROM benefit_estimate" in s]
    assert all("initiative.id IN" in s for s in estimates)  # of the initiative written, not of all of them
