"""The portfolio summary: worked out once per change of the organisation's data and per day, and never stale."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy.orm import Session

from cxroadmap import timeutil
from cxroadmap.benefits.services import add_benefit
from cxroadmap.extensions import db
from cxroadmap.governance import summary
from cxroadmap.governance.dashboard import dashboard
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import set_archived
from cxroadmap.organisations.data_version import data_version
from cxroadmap.overview.services import organisation_overview
from cxroadmap.timeutil import today
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import page_text

TODAY = today()


@pytest.fixture
def worked_out(monkeypatch):
    """How many times a summary was worked out from the data (rather than reused)."""
    calls = []
    original = summary.work_out_summary

    def counting(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(summary, "work_out_summary", counting)
    return calls


def portfolio_of(slug="sum"):
    organisation = OrganisationFactory(slug=slug, discount_rate=D("0.10"))
    first = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Loyalty", start_date=TODAY,
                              one_off_cost=D("10000"))
    BenefitFactory(initiative=first, annual_amount=D("12000"), confidence=D("1"))
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Quiet one", one_off_cost=D("0"))
    db.session.commit()
    return organisation, first


def test_views_reuse_one_summary_until_a_write_and_each_write_shows_on_the_next_view(client, worked_out):
    organisation, first = portfolio_of()
    text = page_text(client.get("/o/sum/"))
    assert "€12,000" in text
    for url in ("/o/sum/", "/o/sum/dashboard", "/o/sum/charts/benefits-by-year.svg", "/o/sum/dashboard/money.svg"):
        assert client.get(url).status_code == 200
    assert len(worked_out) == 1  # the page, a second view, the dashboard and their charts drew from one

    add_benefit(first, kind="cost_reduction", annual_amount=D("3000"), confidence=D("1"))  # a new benefit
    db.session.commit()
    assert "€15,000" in page_text(client.get("/o/sum/"))

    quiet = db.session.get(Initiative, db.session.scalar(db.select(Initiative.id).where(Initiative.ref == "INIT-2")))
    tracking.post_status_update(organisation, quiet, status="in_progress", health="red", progress=5,
                                note="Supplier gone.")  # a status change
    db.session.commit()
    text = page_text(client.get("/o/sum/"))
    assert "Quiet one" in text  # red now: it needs attention
    assert "Red and amber initiatives (1)" in page_text(client.get("/o/sum/dashboard"))

    set_archived(first, True)  # an archive
    db.session.commit()
    text = page_text(client.get("/o/sum/"))
    assert "€15,000" not in text and "€0" in text
    assert len(worked_out) == 4


def test_a_write_through_a_page_shows_on_the_next_view(client, worked_out):
    portfolio_of()
    assert "€12,000" in page_text(client.get("/o/sum/"))
    assert client.post("/o/sum/initiatives/INIT-1/archive").status_code == 302
    assert "€12,000" not in page_text(client.get("/o/sum/"))


def test_a_write_by_another_session_is_seen_through_the_database_not_the_process(worked_out):
    """Another worker or process writes with a session of its own: the stamp it commits is what tells."""
    organisation, first = portfolio_of()
    before = summary.portfolio_summary(organisation, TODAY, 3, 30)
    stamp, first_id = data_version(organisation), first.id
    db.session.commit()  # this request ends
    with Session(db.engine) as other:
        other.get(Initiative, first_id).status = "cancelled"
        other.commit()
    assert data_version(organisation) != stamp  # the next request
    after = summary.portfolio_summary(organisation, TODAY, 3, 30)
    assert before.totals.annual_expected == D("12000.00") and after.totals.annual_expected == D("0.00")
    assert after.counts["status"]["cancelled"] == 1


def test_an_uncommitted_change_of_this_transaction_is_never_answered_from_the_kept_summary(worked_out):
    organisation, first = portfolio_of()
    assert summary.portfolio_summary(organisation, TODAY, 3, 30).totals.annual_expected == D("12000.00")
    add_benefit(first, kind="revenue_sales", annual_amount=D("1000"), confidence=D("1"))  # flushed, not committed
    assert summary.portfolio_summary(organisation, TODAY, 3, 30).totals.annual_expected == D("13000.00")
    db.session.rollback()
    assert summary.portfolio_summary(organisation, TODAY, 3, 30).totals.annual_expected == D("12000.00")


def test_overdue_is_worked_out_again_after_midnight_without_any_write(client, monkeypatch, worked_out):
    organisation = OrganisationFactory(slug="sum")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Due today", health="green", due_date=TODAY)
    db.session.commit()
    late_evening = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=23, minutes=59)
    monkeypatch.setattr(timeutil, "utcnow", lambda: late_evening)
    assert "Nothing is red, amber or overdue." in page_text(client.get("/o/sum/"))
    monkeypatch.setattr(timeutil, "utcnow", lambda: late_evening + timedelta(minutes=2))
    text = page_text(client.get("/o/sum/"))
    assert "Due today" in text and "overdue" in text
    assert len(worked_out) == 2


def test_a_cancelled_initiative_is_counted_alike_on_the_overview_and_the_dashboard(client):
    """Health is where open work stands: a cancelled amber initiative is amber on neither page."""
    organisation = OrganisationFactory(slug="sum")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Stopped", health="amber", status="cancelled")
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Wobbly", health="amber")
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Shipped", health="red", status="done")
    db.session.commit()
    overview = organisation_overview(organisation, TODAY, 3, 365)
    board = dashboard(organisation, TODAY, 30, 365, 3)
    assert overview.counts["health"] == {"green": 0, "amber": 1, "red": 0}
    assert [i.ref for i in board.red_amber] == [i.ref for i in overview.attention] == ["INIT-2"]
    assert overview.counts["status"]["cancelled"] == 1  # still counted by its status
    overview_page = client.get("/o/sum/").get_data(as_text=True)
    assert "Stopped" not in overview_page and "Wobbly" in overview_page
    assert 'href="/o/sum/initiatives?health=amber&amp;state=open"' in overview_page
    assert "Red and amber initiatives (1)" in page_text(client.get("/o/sum/dashboard"))
    listed = page_text(client.get("/o/sum/initiatives?health=amber&state=open"))
    assert "Wobbly" in listed and "Stopped" not in listed


def test_lists_show_the_first_ten_and_link_to_the_rest(client):
    organisation = OrganisationFactory(slug="sum")
    for n in range(13):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n + 1}", title=f"Trouble {n + 1}", health="red",
                          due_date=TODAY + timedelta(days=n))
    InitiativeFactory(organisation=organisation, ref="INIT-14", title="Fine", health="green")
    db.session.commit()
    page = client.get("/o/sum/")
    text = page_text(page)
    assert "Trouble 1 " in text and "Trouble 10 " in text and "Trouble 11 " not in text
    assert "… and 3 more" in text and 'href="/o/sum/initiatives?state=attention"' in page.get_data(as_text=True)
    board = client.get("/o/sum/dashboard")
    assert "Red and amber initiatives (13)" in page_text(board) and "… and 3 more" in page_text(board)
    assert 'href="/o/sum/initiatives?state=red_amber"' in board.get_data(as_text=True)
    assert 'href="/o/sum/initiatives?state=stale"' in board.get_data(as_text=True)  # never updated, all 14
    listed = page_text(client.get("/o/sum/initiatives?state=attention"))
    assert "Trouble 13" in listed and "Fine" not in listed
    assert "Fine" in page_text(client.get("/o/sum/initiatives?state=stale"))


def test_the_list_states_are_the_summary_s_rules(client):
    organisation = OrganisationFactory(slug="sum")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Late green", due_date=TODAY - timedelta(days=1))
    updated = InitiativeFactory(organisation=organisation, ref="INIT-2", title="Updated amber", health="amber")
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Done late", status="done",
                      due_date=TODAY - timedelta(days=1))
    tracking.post_status_update(organisation, updated, status="in_progress", health="amber", progress=20, note="On it.")
    db.session.commit()
    board = summary.portfolio_summary(organisation, TODAY, 3, 30)
    shown = {state: page_text(client.get(f"/o/sum/initiatives?state={state}"))
             for state in ("open", "attention", "red_amber", "stale")}
    assert [r.ref for r in board.attention] == ["INIT-2", "INIT-1"]
    assert "Late green" in shown["attention"] and "Updated amber" in shown["attention"]
    assert [r.ref for r in board.red_amber] == ["INIT-2"] and "Late green" not in shown["red_amber"]
    assert [r.ref for r, _ in board.stale] == ["INIT-1"] and "Updated amber" not in shown["stale"]
    assert all("Done late" not in text for text in shown.values())
    assert "Done late" in page_text(client.get("/o/sum/initiatives?state=nonsense"))  # unknown: no filter


def test_the_summary_s_lighter_reading_of_estimates_gives_the_portfolio_s_figures():
    from datetime import date

    from cxroadmap.benefits.services import portfolio, portfolio_figures

    organisation = OrganisationFactory(discount_rate=D("0.07"))
    kinds = ("revenue_retention", "revenue_sales", "cost_reduction")
    for n, status in enumerate(("in_progress", "done", "cancelled", "proposed", "on_hold")):
        initiative = InitiativeFactory(organisation=organisation, status=status, start_date=date(2025, 1 + n, 3),
                                       one_off_cost=D(5000 * n), annual_running_cost=D(100 * n),
                                       archived=n == 4)
        for k, kind in enumerate(kinds):
            BenefitFactory(initiative=initiative, kind=kind, annual_amount=D(1000 + 333 * n + k),
                           confidence=D("0.35") + D(k) / 10, starts_on=date(2026, 1 + k, 1) if k else None,
                           ramp_months=3 * k)
    InitiativeFactory(organisation=organisation, start_date=None)  # no estimates, no dates
    db.session.commit()
    whole, light = portfolio(organisation, 3, TODAY), portfolio_figures(organisation, 3, TODAY)
    assert light.totals == whole.totals and light.by_kind == whole.by_kind
    assert light.streams == whole.streams and light.plans == whole.plans
    assert [case for _, _, case in light.all_rows] == [case for _, _, case in whole.all_rows]


def test_a_kept_page_body_is_the_reader_s_own_role_and_language(client, client_as):
    organisation, _first = portfolio_of()
    viewer = client_as("viewer", organisation, locale="nl")
    steering = client_as("steering", organisation, locale="en")
    english_viewer = client_as("viewer", organisation, locale="en")
    for _ in range(2):  # the second round is answered from what the first kept
        assert "Assess stage" in page_text(steering.get("/o/sum/"))
        assert "Assess stage" not in page_text(english_viewer.get("/o/sum/"))
        text = page_text(viewer.get("/o/sum/"))
        assert "Fase beoordelen" not in text and "Verwachte baat per jaar" in text
        assert "Assess stage" in page_text(client.get("/o/sum/"))  # the administrator
        assert "Red and amber initiatives (0)" in page_text(steering.get("/o/sum/dashboard"))
        assert "Rode en oranje initiatieven (0)" in page_text(viewer.get("/o/sum/dashboard"))
