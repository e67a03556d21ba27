"""The progress story the roadmap and progress report tells, and what the executive summary compares with, read
back from the PDF as a reader would."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from reportlab.platypus import KeepTogether

from cxroadmap.benefits.services import record_actual
from cxroadmap.extensions import db
from cxroadmap.governance.services import record_decision
from cxroadmap.i18n import format_day, in_language
from cxroadmap.initiatives import tracking
from cxroadmap.overview import progress_pages
from cxroadmap.overview.progress import gather_progress
from cxroadmap.overview.report_data import gather
from cxroadmap.overview.roadmap import RoadmapReport
from cxroadmap.overview.summary import SummaryReport
from cxroadmap.reportkit.document import CONTENT_WIDTH, PAGE_HEIGHT, ReportDocument
from cxroadmap.reports.services import baseline, issue_report, make_report
from cxroadmap.timeutil import today, utcnow
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    IssuedReportFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    StageAssessmentFactory,
    UserFactory,
)
from tests.reports.test_reports import known_organisation, pdf, render, text_of


def issued(organisation, kind, by, when):
    """A report of kind issued at `when` by `by`, with the figures the organisation has now."""
    made = make_report(organisation, kind, today(), utcnow(), 3, 365, for_issue=True)
    report = issue_report(organisation, made, by)
    report.issued_at = when
    db.session.commit()
    return report


def test_the_progress_report_tells_what_happened_to_each_initiative_since_the_last_one():
    organisation = known_organisation()
    MembershipFactory(user=UserFactory(email="anna@example.com", name="Anna de Vries"), organisation_id=organisation.id,
                      role="steering")
    start = datetime.now(UTC) - timedelta(days=20)
    issued(organisation, "roadmap", "anna@example.com", start)  # kept an email address, as reports once did
    calls = organisation_initiative(organisation, "INIT-1")
    estimate = BenefitFactory(initiative=calls, annual_amount=Decimal("24000"), confidence=Decimal("0.5"),
                              starts_on=today().replace(day=1) - timedelta(days=200))
    record_actual(estimate, (today().replace(day=1) - timedelta(days=40)).replace(day=1), Decimal("700"))
    tracking.post_status_update(organisation, calls, status="in_progress", health="amber", progress=60,
                                note="Carrier signed; calls start in the north first.")
    slipping = MilestoneFactory(initiative=calls, title="Pilot in Utrecht", due_on=today() + timedelta(days=10))
    tracking.move_milestone(slipping, today() + timedelta(days=40))
    finished = MilestoneFactory(initiative=calls, title="Script approved", due_on=today())
    tracking.complete_milestone(finished, today())
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=today() - timedelta(days=3))
    record_decision(organisation, meeting, "Widen the pilot to Brabant once Utrecht runs.", [calls.id])
    db.session.commit()

    text = text_of(render(organisation))
    since = format_day(start.date(), "long")
    assert f"Progress since {since}" in text
    assert f"Compared with the progress report issued on {since} by Anna de Vries." in text
    assert "anna@example.com" not in text
    assert re.search(r"What moved.*INIT-1 Delay calls.*Red → Amber.*10% → 60%", text)
    assert "Initiatives that changed" in text
    assert "Carrier signed; calls start in the north first." in text
    assert re.search(r"slipped: Pilot in Utrecht, .* → .* \(30 days\)", text)
    assert f"done: Script approved ({format_day(today())})" in text
    assert "Steering committee: Widen the pilot to Brabant once Utrecht runs." in text
    assert re.search(r"realised €700 against €[\d,]+ estimated \(\d+%\)", text)
    # What stalled and what needs a decision, on the same first page of the story.
    assert "What stalled" in text and "What needs a decision" in text
    pages = [page.extract_text() for page in pdf(render(organisation)).pages]
    story_page = next(page for page in pages if "What moved" in page)
    assert "Progress since" in story_page and "What needs a decision" in story_page  # one page


def organisation_initiative(organisation, ref):
    model = InitiativeFactory._meta.model
    return db.session.scalar(db.select(model).where(model.organisation_id == organisation.id, model.ref == ref))


def test_the_comparison_names_the_previous_report_of_the_same_kind_not_a_later_one_of_another_kind():
    organisation = known_organisation()
    earlier = datetime.now(UTC) - timedelta(days=30)
    issued(organisation, "summary", "Anna de Vries", earlier)
    issued(organisation, "roadmap", "Bram Jansen", datetime.now(UTC) - timedelta(seconds=1))
    text = text_of(render(organisation, "summary"))
    assert (f"Compared with the executive summary issued on {format_day(earlier.date(), 'long')} by Anna de Vries."
            in text)
    assert "Bram Jansen" not in text
    roadmap = text_of(render(organisation, "roadmap"))
    assert f"Compared with the progress report issued on {format_day(today(), 'long')} by Bram Jansen." in roadmap


def test_without_an_earlier_progress_report_the_story_covers_a_stated_period():
    organisation = known_organisation()
    IssuedReportFactory(organisation_id=organisation.id, kind="summary")  # another kind does not count
    text = text_of(render(organisation))
    since = format_day(today() - timedelta(days=30), "long")
    assert f"Progress since {since}" in text
    assert f"this page covers the last 30 days, since {since}." in text


def test_in_dutch_the_story_reads_in_dutch():
    organisation = known_organisation()
    with in_language("nl"):
        text = text_of(render(organisation))
    assert "Voortgang sinds" in text and "Wat bewoog" in text


def test_many_changed_initiatives_get_a_line_each_not_a_page(monkeypatch):
    organisation = known_organisation()
    for n in range(3, 9):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Changed {n}")
    monkeypatch.setattr(progress_pages, "DETAIL_LIMIT", 3)
    text = text_of(render(organisation))
    assert "Initiatives changed: 8, too many for a page each, so one line each." in text
    assert "Latest note" not in text  # no block per initiative


def test_the_story_is_gathered_in_a_fixed_number_of_queries(count_queries):
    organisation = known_organisation()
    first = organisation_initiative(organisation, "INIT-1")
    MilestoneFactory(initiative=first, due_on=today() - timedelta(days=2))
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=today())
    record_decision(organisation, meeting, "Go.", [first.id])
    data = gather(organisation, today(), utcnow(), 3, 365)

    def queries():
        with count_queries as counted:
            gather_progress(organisation, data.initiatives, today(), baseline(organisation, "roadmap", today()), 30)
        return counted.count

    few = queries()
    for n in range(3, 30):
        initiative = InitiativeFactory(organisation=organisation, ref=f"INIT-{n}")
        MilestoneFactory(initiative=initiative, due_on=today() - timedelta(days=2))
        BenefitFactory(initiative=initiative)
        record_decision(organisation, meeting, f"Go with {n}.", [initiative.id])
    data = gather(organisation, today(), utcnow(), 3, 365)
    assert queries() == few


def test_the_target_stage_once_reached_is_said_to_be_reached():
    organisation = known_organisation()
    StageAssessmentFactory(organisation=organisation, stage="operationalise", assessed_on=today())
    db.session.commit()
    for kind in ("roadmap", "summary"):
        text = text_of(render(organisation, kind))
        assert "From Operationalise to Operationalise" not in text and "to Operationalise by" not in text
        assert "Now at Operationalise; target Operationalise reached" in text


def _flowables(story):
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            yield from _flowables(flowable._content)
        else:
            yield flowable


def test_everything_is_drawn_inside_the_frame():
    organisation = known_organisation()
    for n in range(3, 12):
        BenefitFactory(initiative=InitiativeFactory(organisation=organisation, ref=f"INIT-{n}",
                                                    one_off_cost=Decimal("1234567.89")),
                       annual_amount=Decimal("9876543.21"))
    data = gather(organisation, today(), utcnow(), 3, 365)
    document = ReportDocument(__import__("io").BytesIO(), title="t", organisation="o", author="a", subject="s",
                              generated_at=utcnow())
    frame = document.pageTemplates[0].frames[0]
    room = frame._width - frame._leftPadding - frame._rightPadding
    assert room == CONTENT_WIDTH
    base = baseline(organisation, "roadmap", today())
    story = gather_progress(organisation, data.initiatives, today(), base, 30)
    for renderer in (SummaryReport(data), RoadmapReport(data, previous=base, progress=story)):
        for flowable in _flowables(renderer.story()):
            width, _height = flowable.wrap(room, PAGE_HEIGHT)
            assert width <= room + 0.01, (type(flowable).__name__, width, room)


def test_summary_headings_stay_with_what_follows_them_across_the_page_break():
    organisation = known_organisation()
    issued(organisation, "summary", "Anna de Vries", datetime.now(UTC) - timedelta(days=7))
    for n in range(3, 11):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", health="amber", title=f"Amber {n}")
    pages = [page.extract_text() for page in pdf(render(organisation, "summary")).pages]
    assert len(pages) == 2

    def page_of(text):
        return next(number for number, page in enumerate(pages) if text in page)

    # ("ROI, 3 years": "Expected a year" is in the table of what changed as well, on the first page)
    for heading, first_line in (("Benefits", "ROI, 3 years"), ("ROI, 3 years", "Risk-adjusted: each"),
                                ("What needs attention", "Owner"), ("Readiness", "Do we know our customers?")):
        assert page_of(heading) == page_of(first_line), heading


def test_headline_figures_and_tables_print_money_alike():
    organisation = known_organisation()
    BenefitFactory(initiative=organisation_initiative(organisation, "INIT-1"), annual_amount=Decimal("1234.56"))
    text = text_of(render(organisation))
    assert not re.search(r"€[\d,]+\.\d\d\b", text)  # no amount with cents, headline or table
    assert "€1,235" in text


def test_the_reports_page_names_who_issued_a_report(client):
    organisation = known_organisation()
    MembershipFactory(user=UserFactory(email="anna@example.com", name="Anna de Vries"), organisation_id=organisation.id,
                      role="steering")
    IssuedReportFactory(organisation_id=organisation.id, issued_by="anna@example.com")
    page = client.get("/o/known/reports").get_data(as_text=True)
    assert "Anna de Vries" in page and "anna@example.com" not in page


def test_an_issued_report_is_kept_by_the_name_of_who_issued_it(client_as):
    organisation = known_organisation()
    steering = client_as("steering", organisation, name="Bram Jansen", email="bram@example.com")
    assert steering.post("/o/known/reports/issue", data={"kind": "summary"}).status_code == 302
    page = steering.get("/o/known/reports").get_data(as_text=True)
    assert "Bram Jansen" in page and "bram@example.com" not in page


def test_the_demo_progress_page_fits_on_one_page_in_dutch():
    """Dutch labels wrap more than English ones: the page's last line must not spill onto a page of its own."""
    from cxroadmap.demo import seed_demo

    with in_language("nl"):
        pages = [page.extract_text() for page in pdf(render(seed_demo())).pages]
    first = next(n for n, page in enumerate(pages) if "Wat een besluit vraagt" in page)
    assert "acties open" in pages[first]
    assert "acties open" not in pages[first + 1]
