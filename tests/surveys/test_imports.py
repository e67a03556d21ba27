"""Answers gathered elsewhere, imported from a CSV: stored as the survey's answers, the KPI's readings and the driver
analysis following from them; a file with problems names each by its line and stores nothing; a file past the limit
is read no further than the limit."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures import answers
from cxroadmap.measures.models import KpiReading
from cxroadmap.surveys.drivers import survey_drivers
from cxroadmap.surveys.imports import import_answers
from cxroadmap.surveys.models import Survey, SurveyAnswer
from cxroadmap.timeutil import today
from tests.factories import KpiFactory
from tests.helpers import page_text
from tests.surveys.helpers import journey, live_survey


def driven_file(count=40, day=None) -> bytes:
    """The score follows the delivery rating exactly (twice it) and owes nothing to the invoice rating."""
    day = day or today() - timedelta(days=10)
    lines = ["score,answered_on,comment,delivery,INVOICE,expectation,perception,order_ref"]
    for index in range(count):
        rating = index % 4 + 1
        lines.append(f"{2 * rating},{day.isoformat()},reason {index},{rating},{6 + index // 4 % 2},5,{rating},X{index}")
    return ("\n".join(lines) + "\n").encode()


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyAnswer))


def test_a_good_file_stores_answers_and_moves_the_reading_the_gap_and_the_drivers(client_as):
    organisation, delivery, invoice = journey()
    survey = live_survey(organisation, touchpoint=delivery)
    day = today() - timedelta(days=10)
    imported = import_answers(organisation, survey, driven_file(day=day), today())
    db.session.commit()
    assert (imported.count, imported.periods) == (40, 1) and stored() == 40
    # Scores 2, 4, 6, 8 ten times each: 0 promoters, 10 passives (8), 30 detractors: −75.0 for the period.
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id))
    start = day.replace(day=1)
    assert (reading.taken_on, reading.value, reading.respondents) == (start, Decimal("-75.0"), 40)
    gap = db.session.scalar(select(TouchpointScore).where(TouchpointScore.touchpoint_id == delivery.id))
    assert (gap.scored_on, gap.expectation, gap.perception, gap.respondents) == (start, Decimal("5.00"),
                                                                                  Decimal("2.50"), 40)
    found = survey_drivers(db.session.get(Survey, survey.id), today())
    assert found.analysis.n == 40 and found.analysis.r_squared == Decimal("1.0000")
    assert [(row.key, row.share) for row in found.rows] == [("delivery", Decimal("100.00")),
                                                            ("invoice", Decimal("0.00"))]
    text = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "What moves the score" in text and "Fix first: Delivery before 10:00" in text


def test_a_kpi_without_a_survey_gets_a_closed_one_for_its_imported_answers():
    organisation, delivery, _invoice = journey()
    kpi = KpiFactory(organisation=organisation, code="NPS-X", name="Delivery NPS", touchpoint=delivery)
    answers.import_answers(organisation, kpi, b"score\n9\n10\n", date(2026, 3, 4))
    answers.import_answers(organisation, kpi, b"score\n0\n", date(2026, 3, 5))
    db.session.commit()
    survey = db.session.scalar(select(Survey))
    assert (survey.title, survey.state, survey.kpi_id) == ("Imported answers: Delivery NPS", "closed", kpi.id)
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 1  # the second import joins it
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == kpi.id))
    assert (reading.taken_on, reading.value, reading.respondents) == (date(2026, 3, 1), Decimal("33.3"), 3)


def test_a_bad_file_names_every_problem_by_its_line_and_stores_nothing():
    organisation, delivery, _invoice = journey()
    survey = live_survey(organisation, touchpoint=delivery)
    content = ("score,answered_on,delivery,expectation,comment\n"
               "9,2026-02-30,3,,ok\n"
               "11,2026-02-01,8,5,\n"
               "7,2026-02-01,,0,\n"
               "5,2026-02-01,4,4," + "x" * 5001 + "\n"
               "6,2099-01-01,,,\n").encode()
    with pytest.raises(answers.AnswersRefused) as caught:
        import_answers(organisation, survey, content, today())
    db.session.rollback()
    assert caught.value.lines == [
        "Line 2: answered_on \u201c2026-02-30\u201d is not a date like 2026-03-31.",
        "Line 3: the score \u201c11\u201d is not a whole number from 0 to 10 (NPS).",
        "Line 3: delivery \u201c8\u201d is not a whole number from 1 to 7.",
        "Line 4: expectation \u201c0\u201d is not a whole number from 1 to 7.",
        "Line 5: the comment is longer than 5,000 characters.",
        "Line 6: answered_on 2099-01-01 is in the future."]
    assert stored() == 0 and db.session.scalar(select(func.count()).select_from(KpiReading)) == 0


def test_a_file_past_the_limit_is_read_no_further_than_the_limit():
    organisation, _delivery, _invoice = journey()
    survey = live_survey(organisation)

    class Endless(io.RawIOBase):
        """A file of answers with no end, counting what is read of it."""

        def __init__(self):
            self.given = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = (b"score\n" if self.given == 0 else b"") + b"9\n" * (len(buffer) // 2 - 3)
            buffer[:len(chunk)] = chunk
            self.given += len(chunk)
            return len(chunk)

    endless = Endless()
    with pytest.raises(answers.AnswersRefused) as caught:
        import_answers(organisation, survey, io.BufferedReader(endless), today(), max_rows=1000)
    assert caught.value.lines == ["At most 1,000 answers in one file."]
    assert endless.given < 64 * 1024 and stored() == 0


def test_the_kpi_page_upload_stores_the_answers_of_a_rated_touchpoint_column(client_as):
    organisation, delivery, _invoice = journey()
    survey = live_survey(organisation, touchpoint=delivery)
    browser = client_as("steering", organisation)
    response = browser.post(f"/o/acme/kpis/{survey.kpi.code}/answers", content_type="multipart/form-data", data={
        "answers": (io.BytesIO(driven_file(12)), "answers.csv"), "taken_on": today().isoformat()})
    assert response.status_code == 302
    assert "12 answers stored in How are we doing?" in page_text(browser.get(response.location))
    ratings = db.session.scalars(select(SurveyAnswer.ratings).order_by(SurveyAnswer.id)).all()
    assert ratings[0] == {str(delivery.id): 1, str(_invoice.id): 6}
    assert db.session.get(Survey, survey.id).current.rated == [delivery.id, _invoice.id]


def test_with_many_answers_the_pages_read_no_answer_beyond_the_latest_few(client_as, count_queries):
    """The survey, live, KPI, touchpoint and journey pages add up the tallies: once the driver analysis and the
    comments' sound are worked out (the first view), no statement reads answers but the latest few (a LIMIT), and
    ten times the answers cost the same statements."""
    organisation, delivery, _invoice = journey()
    survey = live_survey(organisation, touchpoint=delivery)
    browser = client_as("viewer", organisation)
    pages = [f"/o/acme/surveys/{survey.id}", f"/o/acme/surveys/{survey.id}/live", f"/o/acme/kpis/{survey.kpi.code}",
             "/o/acme/journey/touchpoints/delivery", "/o/acme/journey"]
    counts = []
    for total in (200, 2000):
        import_answers(organisation, db.session.get(Survey, survey.id), driven_file(total - stored()), today())
        db.session.commit()
        for path in pages:
            assert browser.get(path).status_code == 200, path
        with count_queries:
            for path in pages:
                assert browser.get(path).status_code == 200, path
        reading = [s for s in count_queries.statements if "FROM survey_answer" in s]
        assert [s for s in reading if "LIMIT" not in s] == []
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts
