"""Every page of the scale benchmark asks the database the same number of times for 4 initiatives as for 12:
query counts, not wall time, are what the tests hold (benchmarks/scale.py measures the time)."""

from datetime import timedelta

import pytest

from cxroadmap.benefits.services import record_actual
from cxroadmap.extensions import db
from cxroadmap.governance import services as meetings
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.services import record_status
from cxroadmap.timeutil import today
from tests.factories import BenefitFactory, InitiativeFactory, MemberFactory, OrganisationFactory, TeamFactory

TODAY = today()
PAGES = ["/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/timeline", "/o/{slug}/timeline.svg",
         "/o/{slug}/timeline?page=2", "/o/{slug}/meetings",
         "/o/{slug}/meetings/{meeting}", "/o/{slug}/initiatives/INIT-2", "/o/{slug}/audit", "/o/{slug}/initiatives",
         "/o/{slug}/maturity", "/o/{slug}/readiness", "/o/{slug}/coalition", "/o/{slug}/teams", "/o/{slug}/reports"]


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
