"""Governance: status history, milestones and slips, dependencies, realised benefits, meetings, the pack,
the dashboard and the timeline."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cxroadmap.benefits.services import estimated_vs_realised, record_actual
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.governance import services as meetings
from cxroadmap.governance.dashboard import dashboard
from cxroadmap.governance.timeline import TimelineFilter, timeline
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.initiatives.services import create_initiative, update_initiative
from cxroadmap.timeutil import today
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    MemberFactory,
    OrganisationFactory,
    StageAssessmentFactory,
)
from tests.helpers import field_error, page_text

TODAY = today()


def updates_of(initiative):
    return db.session.scalars(db.select(StatusUpdate).where(StatusUpdate.initiative_id == initiative.id)
                              .order_by(StatusUpdate.id)).all()


# -- status history ------------------------------------------------------------------------------------

def test_every_change_of_status_health_or_progress_is_kept():
    organisation = OrganisationFactory()
    initiative = create_initiative(organisation, title="Delay calls", readiness_question="know_experience")
    update_initiative(organisation, initiative, title="Renamed only")
    update_initiative(organisation, initiative, health="amber", note="Supplier late.")
    update_initiative(organisation, initiative, progress=40)
    tracking.post_status_update(organisation, initiative, status="in_progress", health="red", progress=45,
                                note="Blocked on IT.")
    kept = [(u.status, u.health, u.progress, u.note) for u in updates_of(initiative)]
    assert kept == [("proposed", "green", 0, "Created."), ("proposed", "amber", 0, "Supplier late."),
                    ("proposed", "amber", 40, ""), ("in_progress", "red", 45, "Blocked on IT.")]
    with pytest.raises(DomainError):
        tracking.post_status_update(organisation, initiative, status="done", health="green", progress=100, note=" ")
    assert len(updates_of(initiative)) == 4


def test_updates_through_the_pages_and_the_timeline_shows_them(client):
    organisation = OrganisationFactory(slug="gov")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls")
    client.post("/o/gov/initiatives/INIT-1/edit", data={
        "ref": "INIT-1", "title": "Delay calls", "readiness_question": "know_roles", "status": "in_progress",
        "health": "amber", "progress": "20", "version": "1"})
    response = client.post("/o/gov/initiatives/INIT-1/updates", data={
        "status": "in_progress", "health": "red", "progress": "25", "note": "Carrier contract <b>late</b>"})
    assert response.status_code == 302
    text = page_text(client.get("/o/gov/initiatives/INIT-1"))
    assert "Carrier contract <b>late</b>" in text and "In progress · Red · 25%" in text
    assert "In progress · Amber · 20%" in text
    refused = client.post("/o/gov/initiatives/INIT-1/updates", data={"status": "done", "health": "green",
                                                                    "progress": "100", "note": ""})
    # Refused: the page again, as typed, with the reason beside the note; nothing saved.
    assert refused.status_code == 422
    assert db.session.scalar(db.select(Initiative.progress)) == 25
    assert field_error(refused, "u-note") == "Say in a sentence what changed."
    body = refused.get_data(as_text=True)
    assert '<option selected value="done">' in body and 'id="u-progress"' in body and 'value="100"' in body
    too_much = client.post("/o/gov/initiatives/INIT-1/updates", data={
        "status": "in_progress", "health": "amber", "progress": "150", "note": "Half way, and more"})
    assert too_much.status_code == 422 and "Half way, and more" in too_much.get_data(as_text=True)
    assert field_error(too_much, "u-progress")


# -- milestones ----------------------------------------------------------------------------------------

def test_slips_are_recorded_and_integrity_counts_original_dates():
    initiative = InitiativeFactory()
    on_time = tracking.add_milestone(initiative, "Pilot live", date(2026, 3, 1))
    tracking.complete_milestone(on_time, date(2026, 2, 27))
    slipped = tracking.add_milestone(initiative, "Rollout", date(2026, 4, 1))
    tracking.move_milestone(slipped, date(2026, 5, 1), on=date(2026, 3, 20))
    tracking.move_milestone(slipped, date(2026, 4, 20), on=date(2026, 4, 1))  # earlier again: no slip
    tracking.move_milestone(slipped, date(2026, 6, 15), on=date(2026, 4, 10))
    tracking.complete_milestone(slipped, date(2026, 6, 10))
    tracking.add_milestone(initiative, "Later", date(2026, 12, 1))
    assert [(s.from_date, s.to_date, s.days) for s in slipped.slips] == [
        (date(2026, 4, 1), date(2026, 5, 1), 30), (date(2026, 4, 20), date(2026, 6, 15), 56)]
    assert slipped.original_due_on == date(2026, 4, 1)
    milestones = tracking.milestones_of([initiative])[initiative.id]
    integrity = tracking.commitment_integrity(milestones, date(2026, 7, 1))
    assert (integrity.whole, integrity.part, integrity.share) == (2, 1, Decimal("0.5"))  # "Later" is not due yet
    assert (slipped.slip_count, slipped.days_late) == (2, 75)  # 1 April → 15 June, whatever happened between


def test_slips_are_measured_against_the_original_date_and_earlier_is_no_slip(client):
    organisation = OrganisationFactory(slug="slips")
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    milestone = tracking.add_milestone(initiative, "Go live", date(2020, 6, 1))
    for later in (date(2027, 3, 1), date(2027, 4, 1), date(2019, 6, 1)):
        tracking.move_milestone(milestone, later)
    db.session.commit()
    assert (milestone.slip_count, milestone.days_late) == (2, 0)
    text = page_text(client.get("/o/slips/initiatives/INIT-1"))
    assert "moved, now on or before the original date" in text and "2656" not in text
    tracking.move_milestone(milestone, date(2020, 6, 11))
    db.session.commit()
    assert "3 slips, now 10 days after the original date" in page_text(client.get("/o/slips/initiatives/INIT-1"))


# -- dependencies --------------------------------------------------------------------------------------

def test_dependencies_flag_conflicts_and_refuse_loops():
    organisation = OrganisationFactory()
    platform = InitiativeFactory(organisation=organisation, ref="INIT-1", due_date=date(2026, 9, 30))
    webshop = InitiativeFactory(organisation=organisation, ref="INIT-2", start_date=date(2026, 6, 1))
    later = InitiativeFactory(organisation=organisation, ref="INIT-3", start_date=date(2026, 10, 1))
    conflict = tracking.add_dependency(organisation, webshop, platform)
    fine = tracking.add_dependency(organisation, later, platform)
    assert conflict.in_conflict and not fine.in_conflict
    with pytest.raises(DomainError, match="loop"):
        tracking.add_dependency(organisation, platform, webshop)
    with pytest.raises(DomainError):
        tracking.add_dependency(organisation, webshop, platform)
    with pytest.raises(DomainError):
        tracking.add_dependency(organisation, webshop, InitiativeFactory(organisation=OrganisationFactory()))


# -- realised benefits ---------------------------------------------------------------------------------

def test_estimated_and_realised_side_by_side_by_year():
    organisation = OrganisationFactory()
    initiative = InitiativeFactory(organisation=organisation, start_date=date(2026, 1, 1))
    benefit = BenefitFactory(initiative=initiative, annual_amount=Decimal("12000"))
    record_actual(benefit, date(2026, 1, 15), Decimal("800"))
    record_actual(benefit, date(2026, 2, 1), Decimal("900"))
    record_actual(benefit, date(2026, 2, 20), Decimal("950"), "corrected")  # same month: replaced
    rows = estimated_vs_realised(organisation, [2026, 2027], TODAY)
    assert rows == [(2026, Decimal("12000.00"), Decimal("1750.00")), (2027, Decimal("12000.00"), Decimal("0.00"))]
    with pytest.raises(DomainError):
        record_actual(benefit, date(2026, 3, 1), Decimal("-5"))


# -- meetings ------------------------------------------------------------------------------------------

def test_open_actions_carry_over_to_the_next_meetings():
    organisation = OrganisationFactory()
    first = meetings.plan_meeting(organisation, date(2026, 9, 1))
    still_open = meetings.assign_action(organisation, first, "Call the carrier", None, date(2026, 9, 10))
    done_before = meetings.assign_action(organisation, first, "Send the survey", None, date(2026, 9, 5))
    meetings.set_action_done(done_before, True, on=date(2026, 9, 20))
    done_after = meetings.assign_action(organisation, first, "Book the room", None, None)
    second = meetings.plan_meeting(organisation, date(2026, 10, 1))
    meetings.set_action_done(done_after, True, on=date(2026, 10, 15))
    third = meetings.plan_meeting(organisation, date(2026, 11, 1))
    assert [a.title for a in meetings.carried_over(organisation, second)] == ["Call the carrier", "Book the room"]
    assert [a.title for a in meetings.carried_over(organisation, third)] == ["Call the carrier"]
    assert meetings.carried_over(organisation, first) == []
    assert still_open.is_overdue(date(2026, 10, 1))


def test_meeting_pages_and_the_steering_pack(client):
    organisation = OrganisationFactory(slug="gov")
    lead = MemberFactory(organisation=organisation, name="Jeroen Bakker")
    review = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls", health="red")
    update = tracking.post_status_update(organisation, review, status="in_progress", health="red", progress=30,
                                         note="Blocked on the carrier contract.")
    update.posted_on = date(2026, 8, 28)  # before both meetings: a pack shows what was written by its day
    db.session.commit()
    response = client.post("/o/gov/meetings", data={"held_on": "2026-09-01", "title": "September steering",
                                                     "attendees": [str(lead.id)], "agenda": "init-1",
                                                     "other_items": "Budget 2027"})
    assert response.status_code == 302
    first = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/o/gov/meetings/{first}/decisions", data={"text": "Escalate the carrier contract to the board.",
                                                            "initiatives": "INIT-1"})
    client.post(f"/o/gov/meetings/{first}/actions", data={"title": "Draft the escalation memo",
                                                          "owner": str(lead.id), "due_on": "2026-09-15",
                                                          "initiative": "INIT-1"})
    second = client.post("/o/gov/meetings", data={"held_on": "2026-10-01", "title": "October steering",
                                                  "agenda": "INIT-1"})
    second_id = int(second.headers["Location"].rsplit("/", 1)[1])
    page = page_text(client.get(f"/o/gov/meetings/{second_id}"))
    assert "Actions carried over" in page and "Draft the escalation memo" in page and "overdue" in page
    pack = client.get(f"/o/gov/meetings/{second_id}/pack.pdf")
    assert pack.status_code == 200 and pack.mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages))
    assert "Steering pack: October steering" in text
    assert "INIT-1 Delay calls" in text and "Blocked on the carrier contract." in text
    assert "Escalate the carrier contract to the board. (INIT-1)" in text
    assert "Draft the escalation memo" in text and "Jeroen Bakker" in text
    assert re.search(r"At the last meeting \(\w+ \d+, 2026\)", text)


# -- dashboard and timeline ----------------------------------------------------------------------------

def test_dashboard_figures_for_a_known_organisation(client):
    organisation = OrganisationFactory(slug="gov", target_stage="align")
    StageAssessmentFactory(organisation=organisation, stage="explore", assessed_on=date(2025, 1, 1))
    StageAssessmentFactory(organisation=organisation, stage="mobilise", assessed_on=date(2026, 1, 1))
    red = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Red one", health="red")
    fresh = InitiativeFactory(organisation=organisation, ref="INIT-2", title="Fresh one")
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Finished", status="done")
    tracking.post_status_update(organisation, fresh, status="in_progress", health="green", progress=10, note="Go.")
    late = tracking.add_milestone(red, "Contract signed", TODAY - timedelta(days=3))
    tracking.add_milestone(fresh, "Kick-off", TODAY - timedelta(days=40))
    tracking.complete_milestone(tracking.milestones_of([fresh])[fresh.id][0], TODAY - timedelta(days=41))
    meeting = meetings.plan_meeting(organisation, TODAY - timedelta(days=20))
    meetings.assign_action(organisation, meeting, "Overdue action", None, TODAY - timedelta(days=1))
    db.session.commit()
    d = dashboard(organisation, TODAY, 30, 365, 3)
    assert [i.ref for i in d.red_amber] == ["INIT-1"]
    assert [m.title for m in d.overdue_milestones] == [late.title]
    assert [a.title for a in d.overdue_actions] == ["Overdue action"]
    assert [i.ref for i, _ in d.stale] == ["INIT-1"]  # INIT-2 was just updated; INIT-3 is done
    assert d.stage_points == [(date(2025, 1, 1), 2), (date(2026, 1, 1), 3)] and d.target_stage == 5
    assert (d.integrity.whole, d.integrity.part) == (2, 1)
    text = page_text(client.get("/o/gov/dashboard"))
    assert "Contract signed" in text and "Overdue action" in text and "50%" in text
    for chart in ("stages", "readiness", "money"):
        assert client.get(f"/o/gov/dashboard/{chart}.svg").mimetype == "image/svg+xml"


def test_timeline_groups_filters_and_marks(client):
    organisation = OrganisationFactory(slug="gov")
    owner = MemberFactory(organisation=organisation)
    a = InitiativeFactory(organisation=organisation, ref="INIT-1", readiness_question="know_roles",
                          target_stage="align", start_date=TODAY, due_date=TODAY + timedelta(days=200),
                          owner_id=owner.id)
    b = InitiativeFactory(organisation=organisation, ref="INIT-2", health="red", start_date=TODAY,
                          due_date=TODAY + timedelta(days=90))
    tracking.add_dependency(organisation, b, a)
    tracking.add_milestone(a, "Pilot", TODAY + timedelta(days=60))
    db.session.commit()
    groups = timeline(organisation, TimelineFilter(group="stage"), TODAY, 3).groups
    assert [title for title, _ in groups] == ["Towards Align", "No target stage"]
    assert timeline(organisation, TimelineFilter(health="red"), TODAY, 3).groups[0][1][0].conflict
    assert [r.initiative.ref for _, rows in timeline(organisation, TimelineFilter(owner_id=owner.id), TODAY, 3).groups
            for r in rows] == ["INIT-1"]
    text = page_text(client.get("/o/gov/timeline?group=stage&health=nonsense"))
    assert "Towards Align" in text and "Pilot" in text and "conflict" in text
    assert client.get("/o/gov/timeline.svg?status=in_progress").mimetype == "image/svg+xml"


@pytest.mark.parametrize("path", ["/o/{slug}/dashboard", "/o/{slug}/timeline", "/o/{slug}/timeline.svg"])
def test_dashboard_and_timeline_queries_do_not_grow_with_initiatives(client, count_queries, path):
    def queries_for(total):
        organisation = OrganisationFactory()
        meeting = meetings.plan_meeting(organisation, TODAY - timedelta(days=5))
        for n in range(total):
            owner = MemberFactory(organisation=organisation)
            initiative = InitiativeFactory(organisation=organisation, ref=f"INIT-{n + 1}", owner_id=owner.id,
                                           health="amber" if n % 2 else "green", start_date=TODAY,
                                           due_date=TODAY + timedelta(days=100))
            tracking.add_milestone(initiative, f"M{n}", TODAY - timedelta(days=1))
            BenefitFactory(initiative=initiative)
            action_owner = MemberFactory(organisation=organisation)  # nobody the page has loaded otherwise
            meetings.assign_action(organisation, meeting, f"A{n}", action_owner.id, TODAY - timedelta(days=1))
        db.session.commit()
        url = path.format(slug=organisation.slug)
        with count_queries:
            assert client.get(url).status_code == 200
        return count_queries.count

    assert queries_for(5) == queries_for(40)


def test_the_initiative_page_shows_estimated_and_realised_by_year(client):
    organisation = OrganisationFactory(slug="gov")
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=date(TODAY.year, 1, 1))
    benefit = BenefitFactory(initiative=initiative, annual_amount=Decimal("12000"), description="Fewer calls")
    db.session.commit()
    response = client.post("/o/gov/initiatives/INIT-1/actuals", data={
        "benefit": str(benefit.id), "month": f"{TODAY.year}-01", "amount": "1.234,50", "note": "phone system"})
    assert response.status_code == 302
    text = page_text(client.get("/o/gov/initiatives/INIT-1"))
    assert re.search(rf"{TODAY.year} €12,000 €1,235", text)
    assert "Realised so far" in text and "€1,235" in text
    bad = client.post("/o/gov/initiatives/INIT-1/actuals", data={"benefit": "999", "month": "2026-13",
                                                                "amount": "lots"})
    assert bad.status_code == 422 and field_error(bad, "a-month") and field_error(bad, "a-amount")
    assert 'value="lots"' in bad.get_data(as_text=True)


def test_the_timeline_tells_cancelled_overdue_and_undated_initiatives_apart():
    from reportlab.graphics.shapes import String

    from cxroadmap.charts import drawings

    on = date(2026, 11, 23)
    first = drawings.quarter_of(on) - 1
    rows = [{"label": "INIT-1 Cancelled one", "start": date(2026, 9, 1), "due": date(2027, 3, 1), "health": "green",
             "status": "cancelled"},
            {"label": "INIT-2 Proposed long ago", "start": date(1999, 1, 1), "due": date(2000, 2, 1),
             "health": "amber", "status": "proposed"},
            {"label": "INIT-3 Not planned yet", "start": None, "due": None, "health": "green", "status": "proposed"}]
    quarters = drawings.timeline_quarters(rows, first, 13)
    assert quarters == 4  # to one quarter past the last date shown (Q1 2027), not the whole horizon
    drawing = drawings.timeline(rows, first, quarters, 600, today=on)
    texts = [shape.text for shape in drawing.contents if isinstance(shape, String)]
    assert "overdue since Q1 2000" in texts and "ended Q1 2000" not in texts
    assert "no dates yet" in texts
    bars = [shape for shape in drawing.contents if getattr(shape, "height", 0) == 8]
    assert bars and all(bar.fillColor != drawings.HEALTH["green"] for bar in bars)  # cancelled is grey
