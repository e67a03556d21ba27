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


# -- after a write, only what it touched is worked out again, and the sum is what all of it gives --------------

def busy_portfolio():
    """Initiatives of every kind the summary reads: estimates (ramped, dated), realised amounts, history, milestones
    overdue and kept, owners, red, amber and overdue, cancelled and archived ones."""
    from cxroadmap.benefits.services import record_actual
    from cxroadmap.initiatives.services import record_status
    from tests.factories import MemberFactory

    organisation = OrganisationFactory(slug="busy", discount_rate=D("0.07"))
    owner = MemberFactory(organisation=organisation, name="Olga Owner")
    made = []
    for n, status in enumerate(("in_progress", "approved", "done", "cancelled", "on_hold", "proposed", "in_progress")):
        initiative = InitiativeFactory(organisation=organisation, ref=f"INIT-{n + 1}", title=f"Work {n + 1}",
                                       status=status, health=("green", "amber", "red")[n % 3], owner_id=owner.id,
                                       start_date=TODAY.replace(day=1) - timedelta(days=400 * (n % 2)),
                                       due_date=TODAY + timedelta(days=(-5 if n % 2 else 40)),
                                       one_off_cost=D(4000 * n), annual_running_cost=D(150 * n),
                                       archived=n == 6)
        benefit = BenefitFactory(initiative=initiative, annual_amount=D(9000 + 777 * n), confidence=D("0.65"),
                                 ramp_months=n)
        BenefitFactory(initiative=initiative, kind="cost_reduction", annual_amount=D(1200 + n),
                       starts_on=TODAY.replace(day=1) + timedelta(days=35 * n))
        record_actual(benefit, TODAY.replace(day=1), D(250 + n))
        if n % 3 != 2:
            record_status(initiative, "Update.", on=TODAY - timedelta(days=45 * (n % 2)))
        milestone = tracking.add_milestone(initiative, f"Step {n}", TODAY + timedelta(days=(-3 if n % 2 else 3)))
        if n == 2:
            tracking.complete_milestone(milestone, TODAY - timedelta(days=1))
        made.append(initiative)
    db.session.commit()
    return organisation, owner, made


def from_scratch(organisation):
    """The summary worked out from every row, keeping nothing."""
    shares = summary.shares_of((0, None), summary.read_shares(organisation, TODAY, 3, 30),
                               len(summary.share_years(TODAY, 3)))
    return summary.add_up(organisation, TODAY, 3, 30, shares)


def writes(organisation, owner, made):
    """Writes of every kind, each committed on its own, named."""
    from cxroadmap.benefits.models import BenefitEstimate
    from cxroadmap.benefits.services import record_actual, update_benefit
    from cxroadmap.coalition.services import update_member
    from cxroadmap.initiatives.models import Milestone

    def first_benefit(initiative):
        return db.session.scalars(db.select(BenefitEstimate).where(BenefitEstimate.initiative_id == initiative.id)
                                  .order_by(BenefitEstimate.id)).first()

    def milestone_of(initiative):
        return db.session.scalars(db.select(Milestone).where(Milestone.initiative_id == initiative.id)).first()

    yield "a status update", lambda: tracking.post_status_update(
        organisation, made[0], status="on_hold", health="red", progress=40, note="Stuck.")
    yield "a benefit changed", lambda: update_benefit(
        first_benefit(made[1]), kind="revenue_sales", description="More", volume=None, rate=None, unit_value=None,
        annual_amount=D("55000"), confidence=D("0.9"), starts_on=None, ramp_months=2)
    yield "a benefit added", lambda: add_benefit(made[4], kind="cost_reduction", annual_amount=D("777.77"),
                                                 confidence=D("0.3333"))
    yield "an amount realised", lambda: record_actual(first_benefit(made[2]), TODAY.replace(day=1), D("999.99"))
    yield "a milestone done", lambda: tracking.complete_milestone(milestone_of(made[1]), TODAY)
    yield "a milestone moved", lambda: tracking.move_milestone(milestone_of(made[0]), TODAY - timedelta(days=9))
    yield "an archive", lambda: set_archived(made[5], True)
    yield "an unarchive", lambda: set_archived(made[6], False)
    yield "a new initiative", lambda: InitiativeFactory(organisation=organisation, ref="INIT-8", health="red",
                                                        title="Brand new", start_date=TODAY)
    yield "a deletion", lambda: db.session.delete(made[3])
    yield "an owner renamed", lambda: update_member(organisation, owner, "Olga Renamed", owner.email,
                                                    owner.function, owner.title, owner.coalition_role, True)
    yield "the discount rate", lambda: setattr(organisation, "discount_rate", D("0.12"))


def test_after_every_kind_of_write_the_summary_is_what_all_the_data_gives(worked_out):
    organisation, owner, made = busy_portfolio()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    for name, write in writes(organisation, owner, made):
        write()
        db.session.commit()
        kept = summary.portfolio_summary(organisation, TODAY, 3, 30)
        assert kept == from_scratch(organisation), name
    assert "Olga Renamed" in {row.owner for row in kept.attention}


def test_a_write_to_one_initiative_reads_that_one_alone_and_others_none(monkeypatch):
    organisation, owner, made = busy_portfolio()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    read = []
    original = summary.read_shares

    def reading(*args, **kwargs):
        read.append(args[4] if len(args) > 4 else kwargs.get("only"))
        return original(*args, **kwargs)

    monkeypatch.setattr(summary, "read_shares", reading)
    tracking.post_status_update(organisation, made[1], status="in_progress", health="red", progress=5, note="Late.")
    db.session.commit()
    assert [r.ref for r in summary.portfolio_summary(organisation, TODAY, 3, 30).red_amber][0] == "INIT-2"
    assert read == [{made[1].id}]
    meetings_write = factories_meeting(organisation)  # a write the summary does not read: nothing is read again
    db.session.commit()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    assert read == [{made[1].id}] and meetings_write.id
    organisation.discount_rate = D("0.09")  # what every share reads: all of them are read again
    db.session.commit()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    assert read == [{made[1].id}, None]


def factories_meeting(organisation):
    from cxroadmap.governance.services import plan_meeting

    return plan_meeting(organisation, TODAY)


def test_a_write_by_another_process_is_worked_in_from_the_log(worked_out):
    """Another worker writes with a session of its own: the log it commits names what this process reads again."""
    organisation, owner, made = busy_portfolio()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    first, second = made[0].id, made[1].id
    db.session.commit()  # this request ends
    with Session(db.engine) as other:
        other.get(Initiative, first).health = "red"
        other.get(Initiative, second).status = "cancelled"
        other.commit()
    kept = summary.portfolio_summary(organisation, TODAY, 3, 30)
    assert kept == from_scratch(organisation)
    assert kept.counts["status"]["cancelled"] == 2 and "INIT-1" in [r.ref for r in kept.red_amber]


def test_shares_kept_from_another_database_are_not_taken_for_this_one_s(worked_out):
    """The log's ids start again in a new database: shares kept against one it does not hold are all read again."""
    organisation, owner, made = busy_portfolio()
    summary.portfolio_summary(organisation, TODAY, 3, 30)
    key = (organisation.id, TODAY, 3, 30)
    kept = summary._SHARES.find(key)
    as_if_from_another_database = summary.Shares((kept.follows[0], "0" * 32), {}, summary.Tally(6))
    summary._SHARES.put(key, as_if_from_another_database)
    made[0].title = "Renamed"
    db.session.commit()
    assert summary.portfolio_summary(organisation, TODAY, 3, 30) == from_scratch(organisation)
