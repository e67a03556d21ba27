"""The survey tallies (`SurveyTally`): each survey's answers counted per day and headline score, with the sums of
the expectations and perceptions given. Whatever stores or deletes answers keeps them right here — an answer given
adds one, an import counts the days it touched again, retention and erasure take their days away — so that the
pages, the live figures and the readings of a period add up a few hundred rows instead of reading every answer.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import case, delete, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite

from cxroadmap.extensions import db
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyTally

SUMMED = ("answers", "gap_answers", "expectation_sum", "perception_sum")


def _adding():
    """The insert of a tally that adds to the row of its survey, day and score when there is one (two answers
    arriving together each add theirs)."""
    dialect = postgresql if db.session.connection().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SurveyTally)
    table = SurveyTally.__table__.c
    return statement.on_conflict_do_update(index_elements=["survey_id", "answered_on", "score"],
                                           set_={name: table[name] + statement.excluded[name] for name in SUMMED})


def add_answer(answer: SurveyAnswer) -> None:
    """Count one stored answer (one statement)."""
    gap = answer.expectation is not None and answer.perception is not None
    db.session.execute(_adding(), {
        "survey_id": answer.survey_id, "answered_on": answer.answered_on, "score": answer.score, "answers": 1,
        "gap_answers": int(gap), "expectation_sum": answer.expectation if gap else 0,
        "perception_sum": answer.perception if gap else 0})


def add_counted(survey_id: int, counted: dict[tuple[date, int], list[int]]) -> None:
    """Add answers counted elsewhere (an import counts as it stores): {(day, score): [answers, gap answers,
    sum of expectations, sum of perceptions]}; one statement for them all."""
    if counted:
        db.session.execute(_adding(), [{"survey_id": survey_id, "answered_on": day, "score": score,
                                        **dict(zip(SUMMED, sums, strict=True))}
                                       for (day, score), sums in counted.items()])


def recount(survey_id: int, first: date, last: date) -> None:
    """Count the survey's answers of the days from first to last (both included) again, from the answers settled
    (those not yet settled are counted when they are: `surveys.settling`)."""
    db.session.execute(delete(SurveyTally).where(SurveyTally.survey_id == survey_id,
                                                 SurveyTally.answered_on >= first, SurveyTally.answered_on <= last))
    both = func.sum(text("CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL THEN 1 ELSE 0 END"))
    counted = (select(SurveyAnswer.survey_id, SurveyAnswer.answered_on, SurveyAnswer.score, func.count(), both,
                      func.coalesce(func.sum(text("CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL "
                                                  "THEN expectation END")), 0),
                      func.coalesce(func.sum(text("CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL "
                                                  "THEN perception END")), 0))
               .where(SurveyAnswer.survey_id == survey_id, SurveyAnswer.answered_on >= first,
                      SurveyAnswer.answered_on <= last, SurveyAnswer.settled)
               .group_by(SurveyAnswer.survey_id, SurveyAnswer.answered_on, SurveyAnswer.score))
    db.session.execute(SurveyTally.__table__.insert().from_select(
        ["survey_id", "answered_on", "score", "answers", "gap_answers", "expectation_sum", "perception_sum"], counted))


def forget_before(organisation_id: int, first_kept: date) -> None:
    """The tallies of the days whose answers retention deleted, all of them, taken away."""
    surveys = select(Survey.id).where(Survey.organisation_id == organisation_id)
    db.session.execute(delete(SurveyTally).where(SurveyTally.survey_id.in_(surveys),
                                                 SurveyTally.answered_on < first_kept))


def _in(query, start: date | None, end: date | None):
    if start is not None:
        query = query.where(SurveyTally.answered_on >= start)
    if end is not None:
        query = query.where(SurveyTally.answered_on < end)
    return query


def score_counts(survey_id: int, start: date | None = None, end: date | None = None) -> dict[int, int]:
    """{score: answers} of the survey from start (included) to end (excluded), all days when not given."""
    query = select(SurveyTally.score, func.sum(SurveyTally.answers)).where(SurveyTally.survey_id == survey_id)
    return {score: int(count) for score, count in db.session.execute(_in(query, start, end).group_by(
        SurveyTally.score))}


def _stretch(edges: list[date]):
    """The number of the stretch a tally's day lies in, the edges ascending (at least two): 0 before the first
    edge, i from edges[i - 1] (included) to edges[i] (excluded), len(edges) from the last edge on (none between two
    edges alike). A day outside the edges is told so by one or two comparisons (most of a survey's days, when all
    its answers are counted too); one within them by a CASE that halves the edges at each step, about log2 of
    them, not every one (a KPI read daily has a year of edges)."""
    def within(low: int, high: int):
        if low == high:
            return literal(low)
        middle = (low + high) // 2
        return case((SurveyTally.answered_on < edges[middle], within(low, middle)), else_=within(middle + 1, high))

    last = len(edges) - 1
    return case((SurveyTally.answered_on < edges[0], literal(0)),
                (SurveyTally.answered_on >= edges[last], literal(last + 1)), else_=within(1, last)).label("stretch")


def stretch_counts(survey_id: int, edges: list[date]) -> tuple[list[dict[int, int]], dict[int, int]]:
    """{score: answers} of the survey in each stretch from one edge (included) to the next (excluded), the edges
    ascending (two alike make an empty stretch), and over all its days: one statement where a query a stretch and
    one for all would be five (a survey's page, its live figures and the KPI it feeds ask for today, its period,
    the two before it and all)."""
    days = select(_stretch(edges), SurveyTally.score, SurveyTally.answers).where(
        SurveyTally.survey_id == survey_id).subquery()
    stretches: list[dict[int, int]] = [{} for _edge in edges[1:]]
    overall: dict[int, int] = defaultdict(int)
    for stretch, score, count in db.session.execute(select(days.c.stretch, days.c.score, func.sum(days.c.answers))
                                                    .group_by(days.c.stretch, days.c.score)):
        overall[score] += int(count)
        if 0 < stretch < len(edges):
            stretches[stretch - 1][score] = int(count)
    return stretches, dict(overall)


def kpi_stretch_counts(kpi_ids: set[int], edges: list[date]) -> dict[int, list[dict[int, int]]]:
    """{kpi id: [{score: answers} of each stretch from one edge (included) to the next (excluded)]} of every survey
    feeding each KPI, the edges ascending: one statement, added up by the database, a row per KPI, stretch and
    score (a row per day and score would be thousands for the page of a KPI fed for a year, each added up here)."""
    days = (select(Survey.kpi_id, _stretch(edges), SurveyTally.score, SurveyTally.answers)
            .join(Survey, Survey.id == SurveyTally.survey_id)
            .where(Survey.kpi_id.in_(kpi_ids), SurveyTally.answered_on >= edges[0],
                   SurveyTally.answered_on < edges[-1]).subquery())
    found: dict[int, list[dict[int, int]]] = defaultdict(lambda: [{} for _edge in edges[1:]])
    for kpi_id, stretch, score, count in db.session.execute(
            select(days.c.kpi_id, days.c.stretch, days.c.score, func.sum(days.c.answers))
            .group_by(days.c.kpi_id, days.c.stretch, days.c.score)):
        found[kpi_id][stretch - 1][score] = int(count)
    return found


def kpi_counts(kpi_id: int, start: date, end: date) -> dict[int, int]:
    """{score: answers} of every survey feeding the KPI, in the period."""
    query = (select(SurveyTally.score, func.sum(SurveyTally.answers)).join(Survey, Survey.id == SurveyTally.survey_id)
             .where(Survey.kpi_id == kpi_id))
    return {score: int(count) for score, count in db.session.execute(_in(query, start, end).group_by(
        SurveyTally.score))}


def touchpoint_sums(touchpoint_id: int, start: date, end: date) -> tuple[int, int, int]:
    """(answers giving both, sum of expectations, sum of perceptions) of the surveys about the touchpoint."""
    query = (select(func.sum(SurveyTally.gap_answers), func.sum(SurveyTally.expectation_sum),
                    func.sum(SurveyTally.perception_sum)).join(Survey, Survey.id == SurveyTally.survey_id)
             .where(Survey.touchpoint_id == touchpoint_id))
    n, expected, perceived = db.session.execute(_in(query, start, end)).one()
    return int(n or 0), int(expected or 0), int(perceived or 0)


def answers_since(survey_id: int, since: date) -> int:
    """How many answers the survey took after the day `since`."""
    return int(db.session.scalar(select(func.sum(SurveyTally.answers)).where(
        SurveyTally.survey_id == survey_id, SurveyTally.answered_on > since)) or 0)


def about(number: int) -> int:
    """The number to three significant figures (exact below 1,000): what a result worked out from that many
    answers is kept for, as one more answer in a thousand does not change it."""
    step = 10 ** max(len(str(number)) - 3, 0)
    return number - number % step


def answers_on(survey_ids: list[int], on: date) -> int:
    """How many answers the surveys took on the day."""
    if not survey_ids:
        return 0
    return int(db.session.scalar(select(func.sum(SurveyTally.answers)).where(
        SurveyTally.survey_id.in_(survey_ids), SurveyTally.answered_on == on)) or 0)


def answers_per_survey(organisation_id: int) -> dict[int, int]:
    """{survey id: answers stored} of the organisation's surveys."""
    query = (select(SurveyTally.survey_id, func.sum(SurveyTally.answers))
             .join(Survey, Survey.id == SurveyTally.survey_id)
             .where(Survey.organisation_id == organisation_id).group_by(SurveyTally.survey_id))
    return {survey_id: int(count) for survey_id, count in db.session.execute(query)}
