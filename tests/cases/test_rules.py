"""The alert rule, the service-level clock across a weekend, and the closed-loop figures, worked by hand."""

from datetime import UTC, datetime

import pytest

from cxroadmap.cases.clock import due_moment, working_days_between
from cxroadmap.cases.figures import loop_figures
from cxroadmap.cases.models import Case
from cxroadmap.cases.rules import AlertRule, keep_keys, meets_rule, read_causes
from cxroadmap.measures.feedback import FeedbackAnswer

AMS = "Europe/Amsterdam"


def answer(**values) -> FeedbackAnswer:
    return FeedbackAnswer(organisation_id=1, source="survey", answered_at=datetime(2026, 12, 4, tzinfo=UTC), **values)


@pytest.mark.parametrize(("measure", "score", "opens"), [
    ("nps", 0, True), ("nps", 6, True), ("nps", 7, False), ("nps", 10, False),
    ("csat", 1, True), ("csat", 2, True), ("csat", 3, False),
    ("ces", 1, True), ("ces", 3, True), ("ces", 4, False), ("ces", 7, False),
])
def test_the_default_rule_opens_cases_for_detractors_dissatisfied_and_high_effort(measure, score, opens):
    assert meets_rule(AlertRule(), answer(measure=measure, score=score)) is opens


@pytest.mark.parametrize(("expectation", "perception", "opens"), [(7, 5, True), (7, 4, True), (6, 5, False),
                                                                  (4, 6, False)])
def test_a_touchpoint_gap_of_minus_two_or_worse_opens_a_case_even_with_a_good_score(expectation, perception, opens):
    found = answer(measure="nps", score=9, touchpoint_id=3, expectation=expectation, perception=perception)
    assert meets_rule(AlertRule(), found) is opens


def test_a_measure_left_empty_in_the_rule_opens_no_cases():
    assert not meets_rule(AlertRule(nps_at_most=None), answer(measure="nps", score=0))
    assert meets_rule(AlertRule(nps_at_most=None), answer(measure="csat", score=1))


def test_the_clock_keeps_the_time_of_day_and_skips_the_weekend():
    # Friday 4 December 2026 16:00 in Amsterdam (15:00 UTC): two working days later is Tuesday 16:00.
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert due_moment(friday, 2, AMS) == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    # Monday 10:00 plus two: Wednesday 10:00.
    assert due_moment(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), 2, AMS) == datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


def test_a_case_opened_at_the_weekend_starts_on_monday_morning():
    # Saturday 5 December 11:00 local: the clock starts Monday 00:00, so it is due Wednesday 00:00 (Tuesday 23:00 UTC).
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert due_moment(saturday, 2, AMS) == datetime(2026, 12, 8, 23, 0, tzinfo=UTC)


def test_the_local_day_decides_not_the_utc_day():
    # Friday 23:30 UTC is already Saturday 00:30 in Amsterdam: a weekend opening.
    late_friday = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert due_moment(late_friday, 1, AMS) == datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    assert due_moment(late_friday, 1, "UTC") == datetime(2026, 12, 7, 23, 30, tzinfo=UTC)


def test_working_days_between_leave_the_weekend_out():
    # Friday 16:00 to Monday 10:00 local: 8 hours on Friday, 10 on Monday = 18 hours = 0.75 days.
    friday, monday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC), datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert working_days_between(friday, monday, AMS) == pytest.approx(0.75)
    assert working_days_between(monday, friday, AMS) == 0


def test_root_causes_are_read_one_a_line_with_every_problem_named():
    causes, problems = read_causes("Late delivery | Te late levering\n\nNo bar here\nLate Delivery | Laat\n | x")
    assert causes == [{"key": "late-delivery", "en": "Late delivery", "nl": "Te late levering"}]
    assert len(problems) == 3
    assert problems[0].startswith("Line 3:") and problems[1].startswith("Line 4:") and "line 1" in problems[1]


def _case(opened, due, followed=None, closed=None, cause="", status="new"):
    return Case(opened_at=opened, due_at=due, followed_up_at=followed, closed_at=closed, root_cause=cause,
                status=status)


def test_the_closed_loop_figures_against_hand_worked_numbers():
    d = lambda day, hour=9: datetime(2026, 11, day, hour, 0, tzinfo=UTC)  # noqa: E731
    now = d(30, 12)  # Monday 30 November 2026, 13:00 Amsterdam
    cases = [
        # Opened Mon 2 Nov, due Wed 4; contacted Tue 3, resolved Thu 5 10:00: in time; 3 working days + 1 hour.
        _case(d(2), d(4), d(3), d(5, 10), "late-delivery", "resolved"),
        # Opened Fri 6, due Tue 10; contacted Wed 11: late; closed Mon 16 same hour: 6 working days.
        _case(d(6), d(10), d(11), d(16), "late-delivery", "resolved"),
        # Opened Mon 9, due Wed 11; never followed up and past due: judged, not in time.
        _case(d(9), d(11)),
        # Opened Mon 30 (today), due Wed 2 December: not yet judged.
        _case(d(30), datetime(2026, 12, 2, 9, tzinfo=UTC)),
        # Opened Tue 17, due Thu 19, closed as not resolvable Wed 18 same hour: in time, 1 working day.
        _case(d(17), d(19), d(18), d(18), "invoice", "not_resolvable"),
    ]
    figures = loop_figures(cases, now, AMS)
    assert (figures.cases, figures.judged, figures.in_time, figures.closed) == (5, 4, 2, 3)
    assert figures.share_in_time == 0.5
    # Durations in working days: 3 + 1/24, 6, 1 → median 3.0417.
    assert figures.median_days_to_close == pytest.approx(3 + 1 / 24)
    assert figures.causes == [("late-delivery", 2), ("invoice", 1)]


def test_no_cases_no_figures():
    figures = loop_figures([], datetime(2026, 11, 30, tzinfo=UTC), AMS)
    assert figures.share_in_time is None and figures.median_days_to_close is None and figures.causes == []


def test_a_cause_renamed_in_one_language_keeps_its_key():
    old = [{"key": "late", "en": "Late", "nl": "Laat"}, {"key": "rude", "en": "Rude", "nl": "Onbeleefd"}]
    new, _problems = read_causes("Late delivery | Laat\nRude | Onvriendelijk\nNew one | Nieuw")
    assert [cause["key"] for cause in keep_keys(old, new)] == ["late", "rude", "new-one"]
