"""The PDF reports, read back as a reader would: their text, fonts, metadata, pages and archive."""

import hashlib
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cxroadmap.audit.models import AuditEvent
from cxroadmap.benefits.services import add_benefit
from cxroadmap.demo import seed_demo
from cxroadmap.extensions import db
from cxroadmap.governance.models import SteeringMeeting
from cxroadmap.i18n import format_day
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import create_initiative
from cxroadmap.overview.report_data import gather
from cxroadmap.overview.roadmap import RoadmapReport
from cxroadmap.reportkit.renderer import Cell, safe
from cxroadmap.reports.models import IssuedReport
from cxroadmap.reports.services import make_report
from cxroadmap.timeutil import today, utcnow
from tests.factories import (
    ActionFactory,
    BenefitFactory,
    DecisionFactory,
    InitiativeFactory,
    MeetingFactory,
    MemberFactory,
    OrganisationFactory,
    ReadinessAssessmentFactory,
    RoleStatementFactory,
    StageAssessmentFactory,
    TeamFactory,
)

TYPED = "<b>Ünïcødé</b> & \"quotes\" 'single' Łódź Ελληνικά Москва ‹€›"
LONG_WORD = "Supercalifragilistic" * 15


def pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def text_of(content: bytes) -> str:
    """All the text of the PDF, whitespace folded, as a reader copying it out would get it."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pdf(content).pages))


def known_organisation(**fields):
    organisation = OrganisationFactory(slug="known", name="Known B.V.", brand_promise="Parts tomorrow before ten.",
                                       target_stage="operationalise", target_date=date(2027, 12, 31),
                                       discount_rate=Decimal("0.10"), **fields)
    StageAssessmentFactory(organisation=organisation, stage="mobilise", assessed_on=today() - timedelta(days=5))
    ReadinessAssessmentFactory(organisation=organisation, question="know_customers", score=3,
                               evidence="NPS survey, n = 412.")
    owner = MemberFactory(organisation=organisation, name="Fatima El Amrani", coalition_role="lead")
    team = TeamFactory(organisation=organisation, name="Warehouse")
    RoleStatementFactory(team=team, statement="Every order ships tonight.", logged_on=today())
    start = date(today().year, 1, 1)
    flat = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls", health="red",
                             readiness_question="know_experience", owner_id=owner.id, start_date=start,
                             due_date=today() - timedelta(days=1), one_off_cost=Decimal("10000"))
    BenefitFactory(initiative=flat, annual_amount=Decimal("12000"), description="Fewer where-is-my-order calls")
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Journey map", status="done",
                      readiness_question="know_customers", one_off_cost=Decimal("0"))
    return organisation


def render(organisation, kind="roadmap", **options):
    return make_report(organisation, kind, today(), utcnow(), 3, 365, **options).content


def test_the_roadmap_shows_every_section_with_the_right_figures():
    text = text_of(render(known_organisation()))
    for section in ("Contents", "Executive summary", "Where we stand: the maturity ladder",
                    "The three readiness questions", "Roadmap timeline", "Benefits", "Coalition and team roles",
                    "Appendix: initiatives in detail"):
        assert section in text, section
    assert "From Mobilise to Operationalise" in text
    assert "“Parts tomorrow before ten.”" in text
    assert "3 / 4 · Largely answered" in text and "NPS survey, n = 412." in text
    assert "€12,000" in text  # expected benefit a year
    assert "€19,842" in text  # NPV over 3 years at 10 %, worked out by hand in test_calc
    assert "260%" in text and "10 months" in text  # ROI and portfolio payback
    assert "INIT-1" in text and "Delay calls" in text and "(overdue)" in text
    assert "Fatima El Amrani" in text and "Every order ships tonight." in text
    assert "1 of 1 teams (100%)" in text


def test_every_page_numbered_with_metadata_outline_and_embedded_fonts():
    content = render(known_organisation())
    reader = pdf(content)
    pages = len(reader.pages)
    assert 6 <= pages <= 20
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"page {number} of {pages}" in page.extract_text()
    meta = reader.metadata
    assert meta.title == "CX roadmap and progress report · Known B.V."
    assert meta.author == "cxroadmap" and "Customer-experience strategy" in meta.subject
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert outline[0].startswith("Progress since ")
    assert [title for title in outline if title in (
        "Executive summary", "Initiatives that changed", "Where we stand: the maturity ladder",
        "The three readiness questions")] == ["Executive summary", "Initiatives that changed",
                                              "Where we stand: the maturity ladder", "The three readiness questions"]
    used = set()
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        stream = page.get_contents().get_data().decode("latin-1")
        # Every font a page writes with (selected by Tf) is embedded; ReportLab lists Helvetica but never uses it.
        for name in set(re.findall(r"(/F[\w+]+) [\d.]+ Tf", stream)):
            font = resources[name].get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            used.add(str(font["/BaseFont"]).split("+")[-1])
    fonts = used
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


def test_contents_page_numbers_match_where_sections_begin():
    content = render(known_organisation())
    reader = pdf(content)
    contents = reader.pages[1].extract_text()
    for title in ("Executive summary", "Roadmap timeline", "Appendix: initiatives in detail"):
        page = int(re.search(re.escape(title) + r"\s*(\d+)", contents).group(1))
        assert title in reader.pages[page - 1].extract_text(), (title, page)


def test_typed_text_prints_literally_and_long_words_wrap():
    organisation = OrganisationFactory(slug="typed", name=TYPED, brand_promise=TYPED + " " + LONG_WORD,
                                       currency="GBP")
    member = MemberFactory(organisation=organisation, name=TYPED, title=LONG_WORD[:200])
    team = TeamFactory(organisation=organisation, name=TYPED)
    RoleStatementFactory(team=team, statement=f"{TYPED} <img src='/etc/passwd'/> <a href='x'>link</a>",
                         touchpoints=[TYPED])
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", title=TYPED, description=LONG_WORD,
                                   owner_id=member.id, start_date=today(), due_date=today() + timedelta(days=90))
    BenefitFactory(initiative=initiative, description=TYPED)
    content = render(organisation)
    text = text_of(content)
    assert TYPED in text
    assert "<img src='/etc/passwd'/>" in text and "<a href='x'>link</a>" in text
    assert LONG_WORD[:40] in text.replace(" ", "")
    assert "£12,000" in text  # the organisation's currency sign
    reader = pdf(content)
    # No link comes from typed text: the only web address is the accessible version's, on the first page.
    for number, page in enumerate(reader.pages):
        assert "/Annots" not in page or all(
            a.get_object().get("/Subtype") == "/Link" and (
                "/URI" not in a.get_object().get("/A", {}) or number == 0
                and a.get_object()["/A"]["/URI"].endswith("/reports/current/roadmap.html"))
            for a in page["/Annots"])


def test_an_empty_organisation_still_yields_a_valid_report():
    organisation = OrganisationFactory(slug="empty", brand_promise="")
    for kind in ("roadmap", "summary"):
        reader = pdf(render(organisation, kind))
        assert len(reader.pages) >= 1
    text = text_of(render(organisation))
    assert "Maturity not yet assessed" in text and "There are no initiatives yet." in text


def test_the_summary_fits_on_two_pages_however_much_needs_attention():
    organisation = known_organisation()
    for n in range(3, 60):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", health="red" if n % 2 else "amber",
                          title=f"Troubled initiative {n} with a title long enough to wrap once in its cell")
    content = render(organisation, "summary")
    assert len(pdf(content).pages) <= 2
    assert "more in the full roadmap report" in text_of(content)


def test_issue_download_identical_bytes_and_audit(client):
    organisation = known_organisation()
    assert client.post("/o/known/reports/issue", data={"kind": "roadmap"}).status_code == 302
    report = db.session.scalar(db.select(IssuedReport))
    assert report.filename == f"known-roadmap-{today().isoformat()}.pdf"
    response = client.get(f"/o/known/reports/{report.id}/{report.filename}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{report.filename}"' in response.headers["Content-Disposition"]
    assert response.data == report.content
    assert hashlib.sha256(response.data).hexdigest() == report.sha256
    # Later downloads give the same bytes, whatever changed meanwhile.
    db.session.execute(db.update(Initiative).values(title="Renamed since"))
    db.session.commit()
    assert client.get(f"/o/known/reports/{report.id}/{report.filename}").data == report.content
    current = client.get("/o/known/reports/current/summary.pdf")
    assert current.status_code == 200 and "Renamed since" in text_of(current.data)
    downloads = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "report_download")).all()
    assert len(downloads) == 3 and {d.organisation_id for d in downloads} == {organisation.id}
    assert db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "Report")).all()


def test_since_the_last_report(client):
    organisation = known_organisation()
    first = make_report(organisation, "summary", today(), utcnow(), 3, 365, for_issue=True)
    assert "This is the first issued report" in text_of(first.content)
    from cxroadmap.reports.services import issue_report

    issue_report(organisation, first, "someone")
    StageAssessmentFactory(organisation=organisation, stage="operationalise", assessed_on=today())
    db.session.execute(db.update(Initiative).where(Initiative.ref == "INIT-1").values(status="done", health="green"))
    BenefitFactory(initiative=InitiativeFactory(organisation=organisation, ref="INIT-3", title="Brand new one"),
                   annual_amount=Decimal("10000"))
    db.session.commit()
    text = text_of(render(organisation, "summary"))
    assert "Since the last report" in text
    assert f"Compared with the executive summary issued on {format_day(today(), 'long')} by someone." in text
    assert re.search(r"Maturity stage\s*Mobilise\s*Operationalise", text)
    assert "New initiatives: INIT-3 Brand new one" in text
    assert "Finished initiatives: INIT-1 Delay calls" in text
    assert "INIT-1 Delay calls: Red → Green" in text
    assert re.search(r"Expected a year\s*€12,000\s*€22,000", text)  # INIT-3 brings 10,000 a year


def test_report_command(runner, tmp_path):
    known_organisation()
    out = tmp_path / "summary.pdf"
    result = runner.invoke(args=["report", "known", "--kind", "summary", "--output", str(out), "--issue"])
    assert result.exit_code == 0, result.output
    assert "kept it in the archive" in result.output
    assert out.read_bytes() == db.session.scalar(db.select(IssuedReport.content))
    missing = runner.invoke(args=["report", "nobody", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1 and "No organisation" in missing.output


@pytest.mark.parametrize("kind", ["roadmap", "summary"])
def test_viewers_download_but_only_steering_issues(client_as, kind):
    organisation = known_organisation()
    viewer = client_as("viewer", organisation)
    assert viewer.get(f"/o/known/reports/current/{kind}.pdf").status_code == 200
    assert viewer.post("/o/known/reports/issue", data={"kind": kind}).status_code == 403
    assert client_as("steering", organisation).post("/o/known/reports/issue", data={"kind": kind}).status_code == 302
    assert viewer.get("/o/known/reports/current/nonsense.pdf").status_code == 404


def test_the_generation_time_is_printed_on_every_page():
    organisation = OrganisationFactory(slug="timed")
    moment = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    content = make_report(organisation, "roadmap", today(), moment, 3, 365).content
    for page in pdf(content).pages:
        assert "Generated Mar 4, 2026 05:06 UTC" in page.extract_text()


def test_the_summary_has_header_and_page_numbers_from_its_first_page():
    content = render(known_organisation(), "summary")
    reader = pdf(content)
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"page {number} of {pages}" in text and "Known B.V." in text and "CX executive summary" in text


def test_tables_draw_text_that_fits_as_plain_strings_and_wrap_the_rest():
    organisation = known_organisation()
    renderer = RoadmapReport(gather(organisation, today(), utcnow(), 3, 365))
    [block] = renderer.table(["Ref", "Initiative"], [["INIT-1", "Short <b>title</b>"], ["INIT-2", "word " * 60]],
                             [1, 4], wrap={1})
    cells = block._cellvalues
    assert cells[1][1] == "Short <b>title</b>"  # drawn literally, no markup
    long_cell = cells[2][1]
    assert isinstance(long_cell, Cell)
    # Laid out once per width, yet a narrower column still gets more lines.
    assert long_cell.wrap(300, 10000) == long_cell.wrap(300, 10000)
    assert long_cell.wrap(100, 10000)[1] > long_cell.wrap(300, 10000)[1]


def test_lines_that_fit_stay_plain_text_and_the_same_wrapped_text_is_laid_out_once():
    organisation = known_organisation()
    renderer = RoadmapReport(gather(organisation, today(), utcnow(), 3, 365))
    kind = "Revenue: sales optimisation, a label longer than its narrow column"
    [block] = renderer.table(["Ref", "Kind", "Case"], [["INIT-1", kind, "One-off: €1\nNPV: €2"],
                                                       ["INIT-2", kind, "One-off: €3\nNPV: €4"]], [1, 1, 3])
    cells = block._cellvalues
    assert cells[1][2] == "One-off: €1\nNPV: €2"  # two short lines: drawn as two lines of plain text
    assert isinstance(cells[1][1], Cell) and cells[1][1] is cells[2][1]


def test_the_health_mark_prints_as_the_paragraph_did_and_wraps_when_its_column_is_narrow():
    from reportlab.pdfgen.canvas import Canvas

    organisation = known_organisation()
    renderer = RoadmapReport(gather(organisation, today(), utcnow(), 3, 365))
    mark = renderer.health_cell("amber")
    assert mark.wrap(100, 1000) == (100, renderer.styles["cell"].leading)
    out = io.BytesIO()
    canvas = Canvas(out)
    mark.drawOn(canvas, 50, 700)
    narrow = renderer.health_cell("amber")
    assert narrow.wrap(12, 1000)[1] > renderer.styles["cell"].leading  # too narrow: wrapped as a paragraph
    narrow.drawOn(canvas, 50, 600)
    canvas.save()
    assert pdf(out.getvalue()).pages[0].extract_text().split("\n")[0] == "● Amber"


def test_a_cell_that_found_no_room_on_a_page_is_laid_out_again_where_it_is_drawn():
    from reportlab.pdfgen.canvas import Canvas

    organisation = known_organisation()
    renderer = RoadmapReport(gather(organisation, today(), utcnow(), 3, 365))
    cell = Cell(safe("word " * 60), renderer.styles["cell"])
    width, height = cell.wrap(200, 10000)
    assert cell.split(200, 5) == []  # no room for even two lines: ReportLab drops the lines it broke
    assert cell.wrap(200, 10000) == (width, height)
    canvas = Canvas(io.BytesIO())
    cell.drawOn(canvas, 0, 0)  # raised AttributeError ('blPara') when the wrap was answered from memory


def test_the_demo_roadmap_with_one_more_initiative_downloads():
    # The browser flow's data: this layout put a wrapped cell at a page's foot, where it found no room.
    organisation = seed_demo()
    initiative = create_initiative(organisation, title="Same-day collection of returns",
                                   readiness_question="know_experience", start_date=date(2026, 12, 1),
                                   due_date=date(2027, 6, 30), one_off_cost=Decimal("12500"))
    add_benefit(initiative, kind="cost_reduction", volume=Decimal(5200), rate=Decimal("0.4"),
                unit_value=Decimal(14), confidence=Decimal("0.7"))
    text = text_of(render(organisation))
    assert f"{initiative.ref} Same-day collection of returns" in text


def test_short_and_long_titles_both_print_whole():
    organisation = known_organisation()
    long_title = "A title long enough that it has to wrap inside the initiative column of every table " * 2
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Short <b>bold</b> & plain",
                      readiness_question="know_roles")
    InitiativeFactory(organisation=organisation, ref="INIT-4", title=long_title.strip(),
                      readiness_question="know_roles")
    text = text_of(render(organisation))
    assert "Short <b>bold</b> & plain" in text
    assert "has to wrap inside the initiative column of every table A title long enough" in text


def longest(length: int, spaces: bool) -> str:
    """Text of exactly the longest length a field accepts: sentences, or one unbroken word."""
    piece = "Every team keeps the promise. " if spaces else "Onafgebrokentekstzonderspatie"
    return (piece * (length // len(piece) + 1))[:length].strip() or piece[:length]


@pytest.mark.parametrize("spaces", [True, False], ids=["words", "one-word"])
def test_no_text_a_user_can_save_stops_a_report(client, spaces):
    """Every free-text field at the longest length its service accepts: every report still renders and issues."""
    organisation = OrganisationFactory(slug="long", name=longest(200, spaces), brand_promise=longest(2000, spaces))
    StageAssessmentFactory(organisation=organisation, rationale=longest(10000, spaces),
                           assessed_by=longest(200, spaces))
    ReadinessAssessmentFactory(organisation=organisation, question="know_roles", evidence=longest(10000, spaces))
    member = MemberFactory(organisation=organisation, name=longest(200, spaces), title=longest(200, spaces),
                           function=longest(100, spaces))
    team = TeamFactory(organisation=organisation, name=longest(200, spaces), function=longest(100, spaces))
    statement = longest(5000, spaces)
    RoleStatementFactory(team=team, statement=statement, touchpoints=[longest(200, spaces)] * 50,
                         logged_by=longest(200, spaces))
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", title=longest(200, spaces),
                                   description=longest(20000, spaces), owner_id=member.id, health="red",
                                   start_date=today(), due_date=today() - timedelta(days=1))
    benefit_text = longest(2000, spaces)
    BenefitFactory(initiative=initiative, description=benefit_text)
    earlier = MeetingFactory(organisation_id=organisation.id, held_on=today() - timedelta(days=30),
                             title=longest(200, spaces), other_items=longest(5000, spaces),
                             minutes=longest(50000, spaces))
    DecisionFactory(meeting=earlier, text=longest(5000, spaces))
    ActionFactory(organisation_id=organisation.id, meeting=earlier, title=longest(300, spaces), owner_id=member.id)
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=today(), other_items=longest(5000, spaces))
    meeting.agenda.append(initiative)
    db.session.commit()

    roadmap = client.get("/o/long/reports/current/roadmap.pdf")
    assert roadmap.status_code == 200
    text = text_of(roadmap.data).replace(" ", "")
    for whole in (statement, benefit_text):  # long cells carry on onto the next page, nothing cut
        assert whole[-200:].replace(" ", "") in text
    assert client.get("/o/long/reports/current/summary.pdf").status_code == 200
    assert client.get(f"/o/long/meetings/{meeting.id}/pack.pdf").status_code == 200
    assert client.post("/o/long/reports/issue", data={"kind": "roadmap"}).status_code == 302
    assert db.session.query(IssuedReport).count() == 1


def test_bookmarks_and_contents_show_typed_text_as_typed(client):
    organisation = OrganisationFactory(slug="marks")
    MeetingFactory(organisation_id=organisation.id, held_on=today(), title="<script>alert(1)</script> & Co")
    db.session.commit()
    meeting_id = db.session.scalar(db.select(SteeringMeeting.id))
    content = client.get(f"/o/marks/meetings/{meeting_id}/pack.pdf").data
    titles = [entry.title for entry in pdf(content).outline if not isinstance(entry, list)]
    assert titles[0] == "Steering pack: <script>alert(1)</script> & Co"
    assert "&lt;" not in " ".join(titles) and "&amp;" not in " ".join(titles)
    assert "<script>alert(1)</script> & Co" in text_of(content) and "&lt;" not in text_of(content)


def test_the_per_initiative_total_is_the_sum_of_the_rounded_rows_and_says_risk_adjusted():
    from cxroadmap.demo import seed_demo

    text = "\n".join(page.extract_text() for page in pdf(render(seed_demo())).pages)
    table = text[text.rindex("Per initiative\n"):]  # the section, not its line in the contents
    head, table = table.split("Payback\n", 1)
    assert "Risk-adjusted" in head  # the column says what its figures are
    body, total = table[:table.index("\nTotal\n") + 200].split("\nTotal\n")

    def amounts(part: str) -> list[Decimal]:
        found = re.findall(r"^([-−]?)€\s?([-−]?)([\d,]+)$", part, re.M)
        return [Decimal(digits.replace(",", "")) * (-1 if sign or sign2 else 1) for sign, sign2, digits in found]

    rows, totals = amounts(body), amounts(total)[:4]
    assert len(rows) % 4 == 0 and len(rows) >= 40
    assert [sum(rows[column::4], Decimal(0)) for column in range(4)] == totals
