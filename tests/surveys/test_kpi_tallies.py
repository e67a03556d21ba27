"""A KPI reading the surveys wrote is read from the answers kept behind it: its interval exact, its change tested
on the answers themselves; a reading typed in by hand keeps the conservative interval from value and n."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal as D

from cxroadmap.extensions import db
from cxroadmap.measures import services
from cxroadmap.measures.services import record_reading
from cxroadmap.statistics.intervals import NpsTally
from cxroadmap.surveys import calc
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.calc import period_bounds
from cxroadmap.timeutil import today, utcnow
from tests.helpers import page_text
from tests.surveys.helpers import journey, live_survey


def answered_months(organisation):
    """Two months before this one, of 40 NPS answers each: 20 promoters, 12 passives, 8 detractors (NPS 30), then
    30 promoters, 8 passives, 2 detractors (NPS 70); and a reading typed in by hand a week ago."""
    survey = live_survey(organisation, measure="nps")
    this_month, _end = period_bounds("month", today())
    last_month = period_bounds("month", this_month - timedelta(days=1))[0]
    month_before = period_bounds("month", last_month - timedelta(days=1))[0]
    for start, (promoters, passives, detractors) in ((month_before, (20, 12, 8)), (last_month, (30, 8, 2))):
        scores = [10] * promoters + [8] * passives + [3] * detractors
        for score in scores:
            record_answer(survey, Given(score=score), "en", {},
                          now=datetime.combine(start + timedelta(days=3), time(12), tzinfo=UTC))
    db.session.commit()
    return survey, month_before, last_month


def test_the_readings_the_surveys_wrote_get_exact_intervals(client_as):
    organisation, _touchpoint, _other = journey()
    survey, month_before, last_month = answered_months(organisation)
    kpi = survey.kpi
    readings = services.readings_by_kpi([kpi.id])[kpi.id]
    assert [(r.taken_on, r.value, r.respondents) for r in readings] == [(month_before, D("30.0"), 40),
                                                                       (last_month, D("70.0"), 40)]
    assert services.tallies_of([kpi], readings) == {readings[0].id: NpsTally(20, 12, 8),
                                                    readings[1].id: NpsTally(30, 8, 2)}
    figures = services.kpi_figures(kpi, today())
    # 20/12/8 of 40: adjusted 20.75 and 8.75 of 43, centre 27.91; p + d − (p − d)² = 0.686047 − 0.077880 = 0.608167;
    # / 43 = 0.0141434; √ = 0.118926; × 195.9964 = 23.309 → 4.60 to 51.22 (from value and n alone, 26/14 with no
    # passives: −0.3 to 56.1).
    first = figures.honest[0].score
    assert (first.basis, first.low, first.high) == ("answers", D("4.60"), D("51.22"))
    # 30 → 70 on the answers: SEs 100·√((0.7 − 0.09)/40) = 12.35 and 100·√((0.8 − 0.49)/40) = 8.80; √(12.35² +
    # 8.80²) = 15.16; z = 40 / 15.16 = 2.64 > 1.96: a rise.
    assert figures.honest[1].verdict == "rise" and figures.trend == "improving"
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/kpis/{kpi.code}"))
    assert "30.0 4.6 to 51.3 40" in page
    assert "Intervals worked out from the answers themselves are exact." in page


def test_a_reading_typed_by_hand_stays_conservative(client_as):
    organisation, _touchpoint, _other = journey()
    survey, _month_before, _last_month = answered_months(organisation)
    typed = record_reading(survey.kpi, today() - timedelta(days=1), D("30"), 40, "Typed in")
    db.session.commit()
    assert typed.id not in services.tallies_of([survey.kpi], [typed])
    latest = services.kpi_board(organisation, today())[0].latest_honest
    # 26 promoters and 14 detractors with no passives: adjusted 26.75 and 14.75 of 43, centre 27.91;
    # √((0.965116 − 0.077880)/43) = 0.143643; × 195.9964 = 28.15 → −0.25 to 56.06, wider than the 4.60 to 51.22
    # of the answers.
    assert (latest.score.basis, latest.score.low, latest.score.high) == ("conservative", D("-0.25"), D("56.06"))
    # 70 (exact, 30/8/2) → 30 (conservative 26/14): SE 8.80 and 100·√((1 − 0.09)/40) = 15.08; √ = 17.46;
    # z = 40 / 17.46 = 2.29: a fall.
    assert latest.verdict == "fall"


def answered_days(survey, days_ago: list[int]) -> None:
    """An NPS answer these many days ago, its score following the day (so that each stretch adds up apart)."""
    for ago in days_ago:
        record_answer(survey, Given(score=ago % 11), "en", {}, now=utcnow() - timedelta(days=ago, minutes=1))
    db.session.commit()


def test_the_tallies_of_stretches_add_up_what_each_stretch_alone_does():
    """One statement counts every stretch between edges (a CASE that halves the edges) as a query for each stretch
    would, with the days before the first edge and from the last one counted only in the whole; two edges alike
    make an empty stretch."""
    from cxroadmap.surveys import tally

    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation, measure="nps")
    answered_days(survey, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 55, 89])
    for edges in ([today() - timedelta(days=60), today()],
                  [today() - timedelta(days=days) for days in (40, 22, 21, 13, 9, 5, 3, 2, 1)],
                  [today() - timedelta(days=days) for days in (30, 21, 21, 8, 1, 1, 0)],  # two alike: empty
                  [today() - timedelta(days=days) for days in range(100, -2, -1)]):
        stretches, overall = tally.stretch_counts(survey.id, edges)
        assert stretches == [tally.score_counts(survey.id, start, end) for start, end in zip(edges, edges[1:],
                                                                                               strict=False)]
        assert overall == tally.score_counts(survey.id)
        by_kpi = tally.kpi_stretch_counts({survey.kpi_id}, edges)
        assert by_kpi[survey.kpi_id] == stretches


def test_a_kpi_fed_by_a_weekly_and_a_monthly_survey_reads_each_period_from_both():
    """Each reading is read from the answers of both surveys in the first of its candidate periods (a month, a
    week: both when the first of a month is a Monday) whose answers number its n, as the KPI's own count says."""
    from cxroadmap.surveys import results, tally

    organisation, touchpoint, _other = journey()
    monthly = live_survey(organisation, measure="nps")
    weekly = live_survey(organisation, touchpoint, measure="nps", kpi=monthly.kpi, period="week", title="Weekly")
    answered_days(monthly, [3, 10, 40, 41, 70])
    answered_days(weekly, [2, 9, 12, 45, 46, 80])
    kpi = monthly.kpi
    readings = services.readings_by_kpi([kpi.id])[kpi.id]
    found = results.answered_tallies([kpi], readings)
    read = 0
    for reading in readings:
        matching = [counts for counts in (tally.kpi_counts(kpi.id, *period_bounds(period, reading.taken_on))
                                          for period in ("month", "week")
                                          if period_bounds(period, reading.taken_on)[0] == reading.taken_on)
                    if sum(counts.values()) == reading.respondents]
        assert found.get(reading.id) == (calc.tally_of("nps", matching[0]) if matching else None)
        read += bool(matching)
    assert read >= 4  # weeks and months both read


def test_the_kpi_page_asks_the_same_for_two_months_of_answers_as_for_eight(client_as, count_queries):
    """The readings' intervals are read from the tallies of all their periods in one statement, not one a reading;
    the survey's period, the two before it and all its answers in another."""
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation, measure="nps")
    browser = client_as("viewer", organisation)
    statements = []
    for months in (2, 8):
        answered_days(survey, list(range(0, months * 31, 3)))
        with count_queries:
            assert browser.get(f"/o/acme/kpis/{survey.kpi.code}").status_code == 200
        statements.append(count_queries.statements)
    readings = services.readings_by_kpi([survey.kpi_id])[survey.kpi_id]
    assert len(readings) >= 8
    assert len(statements[1]) == len(statements[0]), statements
    # the readings' periods; the survey's answers today, in its period, the two before and all
    assert sum("survey_tally" in statement for statement in statements[1]) == 2
