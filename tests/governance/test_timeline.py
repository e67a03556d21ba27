"""The roadmap timeline page and its chart: a window of quarters, a page of rows, the address keeping both."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from cxroadmap.charts import drawings
from cxroadmap.extensions import db
from cxroadmap.governance import timeline as timeline_module
from cxroadmap.governance.timeline import TimelineFilter, parse_quarter, quarter_key, timeline
from cxroadmap.initiatives import tracking
from cxroadmap.timeutil import today
from tests.factories import InitiativeFactory, OrganisationFactory
from tests.helpers import page_text

TODAY = today()
NOW = drawings.quarter_of(TODAY)


def svg_text(response) -> list[str]:
    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", response.get_data(as_text=True))]


def in_quarter(quarter: int, day: int = 15) -> date:
    return date(quarter // 4, quarter % 4 * 3 + 2, day)


@pytest.fixture
def few_rows(monkeypatch):
    monkeypatch.setattr(timeline_module, "ROWS_PER_PAGE", 3)


def test_quarters_are_read_and_written_as_the_address_has_them():
    assert parse_quarter("2027-Q1") == 2027 * 4 and quarter_key(2027 * 4 + 3) == "2027-Q4"
    for bad in ("2027-Q5", "2027Q1", "27-Q1", "1850-Q1", "", None, "2027-Q1; drop"):
        assert parse_quarter(bad) is None


def test_rows_come_a_page_at_a_time_and_the_pager_keeps_the_choices(client, few_rows):
    organisation = OrganisationFactory(slug="tl")
    for n in range(1, 8):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Plan {n}", status="in_progress",
                          readiness_question="know_roles", start_date=in_quarter(NOW, 1),
                          due_date=in_quarter(NOW + 2) + timedelta(days=n))
    db.session.commit()
    window = f"from={quarter_key(NOW - 1)}&to={quarter_key(NOW + 4)}"
    first = client.get(f"/o/tl/timeline?status=in_progress&{window}")
    text = page_text(first)
    assert "7 initiatives, page 1 of 3" in text
    assert "INIT-1 Plan 1" in text and "INIT-3 Plan 3" in text and "INIT-4" not in text
    body = unescape(first.get_data(as_text=True))
    # The pager and the chart keep the window and the filter.
    links = re.findall(r'href="([^"]*page=2[^"]*)"', body)
    assert links and all("status=in_progress" in link and f"from={quarter_key(NOW - 1)}" in link for link in links)
    second = page_text(client.get(f"/o/tl/timeline?status=in_progress&{window}&page=2"))
    assert "INIT-4 Plan 4" in second and "INIT-6 Plan 6" in second and "INIT-3 " not in second
    chart = svg_text(client.get(f"/o/tl/timeline.svg?status=in_progress&{window}&page=3"))
    assert "INIT-7 Plan 7" in chart and "INIT-1 Plan 1" not in chart
    assert f"Q{(NOW - 1) % 4 + 1}" in chart and f"Q{(NOW + 4) % 4 + 1}" in chart
    # Past the last page: the last page, not an empty one or an error.
    assert "INIT-7 Plan 7" in page_text(client.get(f"/o/tl/timeline?{window}&page=99"))


def test_the_window_shows_what_touches_it_and_undated_initiatives_last(client):
    organisation = OrganisationFactory(slug="tl")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Finished long ago", status="done",
                      start_date=in_quarter(NOW - 12), due_date=in_quarter(NOW - 10))
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Still open since 2000", status="proposed",
                      start_date=date(1999, 1, 1), due_date=date(2000, 2, 1))
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Far future", status="approved",
                      start_date=in_quarter(NOW + 20), due_date=in_quarter(NOW + 22))
    InitiativeFactory(organisation=organisation, ref="INIT-4", title="Now running", status="in_progress",
                      start_date=in_quarter(NOW), due_date=in_quarter(NOW + 1))
    InitiativeFactory(organisation=organisation, ref="INIT-5", title="Not planned", status="proposed",
                      start_date=None, due_date=None)
    db.session.commit()
    window = f"from={quarter_key(NOW - 1)}&to={quarter_key(NOW + 3)}"
    text = page_text(client.get(f"/o/tl/timeline?{window}"))
    assert "Now running" in text and "Still open since 2000" in text
    assert "Finished long ago" not in text and "Far future" not in text
    assert text.index("Now running") < text.index("No dates") < text.index("Not planned")
    chart = svg_text(client.get(f"/o/tl/timeline.svg?{window}"))
    assert "overdue since Q1 2000" in chart and "No dates" in chart and "no dates yet" in chart
    # A window in the past shows what ran then; the open initiative from 2000 is not running in 1999 yet.
    past = page_text(client.get(f"/o/tl/timeline?from={quarter_key(NOW - 13)}&to={quarter_key(NOW - 9)}"))
    assert "Finished long ago" in past and "Now running" not in past


def test_the_window_left_to_itself_ends_a_quarter_after_the_last_date(client):
    organisation = OrganisationFactory(slug="tl")
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=in_quarter(NOW),
                                   due_date=in_quarter(NOW + 4))
    tracking.add_milestone(initiative, "Launch", in_quarter(NOW + 5))
    db.session.commit()
    shown = timeline(organisation, TimelineFilter(), TODAY, 3)
    assert (shown.first, shown.last) == (NOW - 1, NOW + 6)  # the milestone's quarter and one more
    assert "to " + drawings.quarter_label(NOW + 6) in page_text(client.get("/o/tl/timeline"))


@pytest.mark.parametrize("query", ["from=2027-Q9", "from=abc&to=2026-Q1", "page=-3", "page=abc", "to=1000-Q1",
                                   "from=2040-Q1&to=2020-Q1", "from=1900-Q1&to=2199-Q4", "owner=x&health=nonsense"])
def test_odd_addresses_show_a_timeline_rather_than_an_error(client, query):
    organisation = OrganisationFactory(slug="tl")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Something", start_date=TODAY,
                      due_date=TODAY + timedelta(days=200))
    db.session.commit()
    assert client.get(f"/o/tl/timeline?{query}").status_code == 200
    chart = client.get(f"/o/tl/timeline.svg?{query}")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"


def test_a_window_longer_than_six_years_is_cut_to_six():
    wanted = TimelineFilter(first=2020 * 4, last=2040 * 4)
    assert wanted.last - wanted.first + 1 == timeline_module.LONGEST_WINDOW
    assert TimelineFilter(first=2030 * 4, last=2029 * 4).first == 2029 * 4  # the wrong way round: turned


def test_a_cancelled_initiative_is_drawn_as_an_outline_that_says_so(client):
    organisation = OrganisationFactory(slug="tl")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Dropped", status="cancelled",
                      start_date=in_quarter(NOW), due_date=in_quarter(NOW + 3))
    db.session.commit()
    chart = client.get("/o/tl/timeline.svg")
    assert "cancelled" in svg_text(chart)
    assert 'stroke-dasharray' in chart.get_data(as_text=True)
