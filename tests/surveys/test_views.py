"""The survey pages of the organisation: made, changed, put live; its link, QR codes, results and live figures."""

import struct
import xml.etree.ElementTree as ElementTree

from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.measures.models import Kpi
from cxroadmap.surveys.models import Survey, SurveyAnswer
from tests.factories import KpiFactory
from tests.helpers import page_text
from tests.surveys.helpers import answer, journey, live_survey


def test_a_steering_member_makes_a_survey_that_makes_its_kpi_and_puts_it_live(client_as, anonymous):
    organisation, touchpoint, other = journey()
    browser = client_as("steering", organisation)
    form = browser.get("/o/acme/surveys/new")
    assert form.status_code == 200 and "Delivery before 10:00" in form.get_data(as_text=True)
    response = browser.post("/o/acme/surveys/new", data={
        "title": "After delivery", "touchpoint": str(touchpoint.id), "measure": "ces", "kpi": "", "period": "week",
        "asks_gap": "y", "rated": [str(other.id)], "asks_contact": "y", "comment_nl": "Waarom dit cijfer?"})
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert (survey.state, survey.measure, survey.period, survey.kpi.code, survey.kpi.measure) == (
        "draft", "ces", "week", "CES-DELIVERY", "ces")
    version = survey.current
    assert version.rated == [other.id] and version.asks_gap
    assert version.text("comment", "nl") == "Waarom dit cijfer?"
    assert version.text("score", "en") == "Acme B.V. made it easy for me to get what I needed."
    assert "not open yet" in anonymous.get(f"/f/{survey.code}").get_data(as_text=True)
    assert browser.post(f"/o/acme/surveys/{survey.id}/state", data={"state": "live"}).status_code == 302
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert f"/f/{survey.code}" in page and "Live" in page and "No answers yet." in page
    assert "What is the main reason for your answer?" in page  # the questions in the reader's language
    assert 'data-live-url=' in page


def test_a_survey_refuses_a_kpi_of_another_measure_beside_the_field(client_as):
    organisation, _touchpoint, _other = journey()
    nps = KpiFactory(organisation=organisation, code="NPS-1", measure="nps")
    db.session.commit()
    browser = client_as("steering", organisation)
    refused = browser.post("/o/acme/surveys/new", data={"title": "Effort", "measure": "ces", "kpi": str(nps.id),
                                                        "period": "month", "asks_gap": "y"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Choose a KPI measured in CES (1–7)" in body and "about a touchpoint: choose one first" in body
    assert db.session.scalar(select(Survey)) is None


def test_editing_keeps_the_texts_and_shows_the_results(client_as, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    for score in (10, 9, 3):
        answer(anonymous, survey, score=score, comment=f"Scored {score}")
    browser = client_as("steering", organisation)
    form = browser.get(f"/o/acme/surveys/{survey.id}/edit").get_data(as_text=True)
    assert "How likely are you to recommend Acme B.V. to a colleague or a friend?" in form
    assert "version 2" in form
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "33.3" in page and "Too few answers to conclude" in page and "Scored 3" in page
    live = browser.get(f"/o/acme/surveys/{survey.id}/live").get_json()
    assert (live["n"], live["today"], live["score"]) == ("3", "3", "33.33")
    assert live["comments"][0]["comment"] == "Scored 3"
    chart = browser.get(f"/o/acme/surveys/{survey.id}/distribution.svg")
    ElementTree.fromstring(chart.data)
    assert chart.mimetype == "image/svg+xml"


def test_the_qr_codes_are_a_real_png_and_svg(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    browser = client_as("viewer", organisation)
    png = browser.get(f"/o/acme/surveys/{survey.id}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.data[16:24])
    assert width == height and 250 <= width <= 600
    svg = browser.get(f"/o/acme/surveys/{survey.id}/qr.svg")
    root = ElementTree.fromstring(svg.data)
    assert root.tag.endswith("svg") and svg.mimetype == "image/svg+xml"


def test_an_interval_appears_once_there_are_enough_answers(client_as):
    from datetime import timedelta

    from cxroadmap.surveys.answering import Given, record_answer
    from cxroadmap.timeutil import utcnow

    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    for index in range(40):
        record_answer(survey, Given(score=index % 11), "en", {}, now=utcnow() - timedelta(minutes=index))
    db.session.commit()
    page = client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "95 % interval" in page and "Too few answers" not in page


def test_another_organisations_survey_is_404(client_as):
    organisation, _touchpoint, _other = journey()
    theirs, _t, _o = journey("other")
    survey = live_survey(theirs)
    browser = client_as("admin", organisation)
    for path in ("", "/edit", "/qr.png", "/qr.svg", "/live", "/distribution.svg"):
        assert browser.get(f"/o/acme/surveys/{survey.id}{path}").status_code == 404, path
    assert browser.post(f"/o/acme/surveys/{survey.id}/state", data={"state": "closed"}).status_code == 404
    assert db.session.get(Survey, survey.id).state == "live"
    assert db.session.scalar(select(Kpi.organisation_id).where(Kpi.id == survey.kpi_id)) == theirs.id


def test_a_viewer_sees_surveys_but_changes_nothing(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    browser = client_as("viewer", organisation)
    listing = browser.get("/o/acme/surveys").get_data(as_text=True)
    assert survey.title in listing and "New survey" not in listing
    assert browser.get("/o/acme/surveys/new").status_code == 403
    assert browser.post(f"/o/acme/surveys/{survey.id}/state", data={"state": "closed"}).status_code == 403


def test_the_survey_page_costs_the_same_queries_with_ten_or_a_hundred_answers(client_as, count_queries):
    from datetime import timedelta

    from cxroadmap.surveys.answering import Given, record_answer
    from cxroadmap.timeutil import utcnow

    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    browser = client_as("viewer", organisation)
    counts = []
    for total in (10, 100):
        while db.session.query(SurveyAnswer).count() < total:
            record_answer(survey, Given(score=7, comment="ok"), "en", {}, now=utcnow() - timedelta(minutes=1))
        db.session.commit()
        with count_queries:
            assert browser.get(f"/o/acme/surveys/{survey.id}").status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts


def test_a_draft_that_changes_its_measure_gets_a_kpi_of_that_measure(client_as):
    organisation, touchpoint, _other = journey()
    browser = client_as("steering", organisation)
    browser.post("/o/acme/surveys/new", data={"title": "After delivery", "touchpoint": str(touchpoint.id),
                                              "measure": "nps", "period": "month"})
    survey = db.session.scalar(select(Survey))
    response = browser.post(f"/o/acme/surveys/{survey.id}/edit", data={
        "title": "After delivery", "touchpoint": str(touchpoint.id), "measure": "csat", "kpi": "", "period": "month",
        "version": str(survey.version), "score_en": survey.current.text("score", "en"),
        "comment_en": survey.current.text("comment", "en")})
    assert response.status_code == 302
    db.session.expire_all()
    survey = db.session.get(Survey, survey.id)
    assert (survey.measure, survey.kpi.measure, survey.kpi.code) == ("csat", "csat", "CSAT-DELIVERY")
    assert [v.number for v in survey.versions] == [1]
    assert survey.current.text("score", "en") == "How satisfied are you with Delivery before 10:00?"


def test_the_touchpoint_page_hears_what_customers_say_there(client_as, anonymous):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces")
    answer(anonymous, survey, score=2, expectation=7, perception=2, comment="Arrived at noon.")
    browser = client_as("viewer", organisation)
    page = browser.get("/o/acme/journey/touchpoints/delivery").get_data(as_text=True)
    assert "What customers say here" in page and survey.title in page and "Arrived at noon." in page
    assert "Answers today: 1" in page
    quiet = browser.get(f"/o/acme/journey/touchpoints/{other.key}").get_data(as_text=True)
    assert "No survey asks about this touchpoint yet." in quiet and "New survey" not in quiet


def test_the_last_month_against_the_one_before_says_whether_the_change_is_real(client_as):
    """Hand-worked: CSAT 40 % of 50 answers two months ago, 80 % of 50 last month: a difference of 40 points with a
    standard error of √(0.4·0.6/50 + 0.8·0.2/50) = 0.0894, so z = 4.47, far past 1.96: a real rise. A month
    earlier against the one before, with 10 answers each: too few to conclude."""
    from datetime import UTC, datetime, time, timedelta

    from cxroadmap.surveys.answering import Given, record_answer
    from cxroadmap.surveys.calc import period_bounds
    from cxroadmap.surveys.results import compared
    from cxroadmap.timeutil import today

    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation, measure="csat")
    this_month, _end = period_bounds("month", today())
    starts = [this_month]
    for _ in range(4):
        starts.append(period_bounds("month", starts[-1] - timedelta(days=1))[0])

    def month(start, satisfied: int, count: int):
        for index in range(count):
            record_answer(survey, Given(score=5 if index < satisfied else 2), "en", {},
                          now=datetime.combine(start + timedelta(days=9), time(12), tzinfo=UTC))

    month(starts[2], 20, 50)
    month(starts[1], 40, 50)
    month(starts[3], 5, 10)
    month(starts[4], 9, 10)
    db.session.commit()
    found = compared(survey, this_month)
    assert (found.before.n, found.after.n, str(found.before.interval.value), str(found.after.interval.value)) == (
        50, 50, "40.00", "80.00")
    assert found.change.verdict == "rise" and not found.change.too_few
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "40.00 → 80.00 (n = 50, 50): Rise — Higher than in the period before, and significant at 95 %." in page
    small = compared(survey, starts[2])
    assert small.change.too_few and (small.before.n, small.after.n) == (10, 10)
    assert small.change.verdict == "no_clear_change"


def test_the_kpi_page_reads_its_survey_fed_score_honestly(client_as):
    """The KPI a survey feeds shows this period's score with its interval and n, and last month's verdict; a KPI no
    survey feeds shows no such section."""
    from datetime import UTC, datetime, time, timedelta

    from cxroadmap.surveys.answering import Given, record_answer
    from cxroadmap.surveys.calc import period_bounds
    from cxroadmap.timeutil import today

    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation, measure="csat")
    this_month, _end = period_bounds("month", today())
    last_month = period_bounds("month", this_month - timedelta(days=1))[0]
    month_before = period_bounds("month", last_month - timedelta(days=1))[0]
    for start, satisfied in ((month_before, 20), (last_month, 40), (this_month, 30)):
        for index in range(50):
            record_answer(survey, Given(score=5 if index < satisfied else 2), "en", {},
                          now=min(datetime.combine(start, time(12), tzinfo=UTC), datetime.now(UTC)))
    other = KpiFactory(organisation=organisation, code="NPS-OTHER", measure="nps")
    db.session.commit()
    browser = client_as("viewer", organisation)
    page = page_text(browser.get(f"/o/acme/kpis/{survey.kpi.code}"))
    assert "From the surveys that feed it" in page and survey.title in page
    assert "60.00 (n = 50), 95 % interval" in page and "40.00 → 80.00: Rise" in page
    assert "From the surveys that feed it" not in page_text(browser.get(f"/o/acme/kpis/{other.code}"))
