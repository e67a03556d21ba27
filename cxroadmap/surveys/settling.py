"""Settling answers: what an answer moves once it is stored — its survey's daily count, the KPI's reading and the
touchpoint's scores for the period, and `answer_recorded` (a follow-up case, a webhook event) — done for many
answers at once.

An answer through a public link is stored on its own (`take_answer_if_current`: one statement, by the answer lane),
not yet settled, and the request hands the settling to the background (`settle_soon`): a thread of the same process
settles every answer waiting, within a second or so, in one transaction. Under a flood of answers each settling
takes the hundreds that arrived meanwhile, so the readings are worked out once per period for all of them instead
of once per answer. Whatever a stopped process left unsettled the scheduler settles within a minute
(`SETTLE_WORK`). An invitation's answer, which may replace the one given before, is settled in its own request
(`answering.record_answer`), as is an import's.
"""

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import Connection, Insert, bindparam, exists, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from cxroadmap.audit.services import Actor, reset_actor, set_actor, summarised
from cxroadmap.extensions import db, unit_of_work
from cxroadmap.i18n import _
from cxroadmap.jobs.runner import soon
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.mail import send_queued_soon
from cxroadmap.measures.feedback import FeedbackAnswer, answer_recorded
from cxroadmap.measures.services import record_reading
from cxroadmap.organisations.data_version import note_change
from cxroadmap.organisations.models import hold_row
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.models import UNSETTLED, Survey, SurveyAnswer, SurveyVersion

if TYPE_CHECKING:
    from cxroadmap.surveys.answering import PublicForm

# How touchpoint scores worked out from survey answers name their source (one row per touchpoint and period).
SURVEY_SOURCE = "Customer surveys"

#: The most answers one transaction settles; a settling run goes on until none wait.
BATCH = 1000
ACTOR = "customer surveys"


def take_answer_if_current(values: dict, form: "PublicForm", connection: Connection) -> bool:
    """Store an answer as it came, not yet settled, in a transaction of its own on the connection, committed here
    (the caller then calls `settle_soon`), and only while the form it was checked against (read now, or a few
    seconds ago) is still its survey's: live, the same measure and allowed sites, the same current version. One
    statement, a guarded INSERT … SELECT. False, with nothing stored, when the survey has changed since."""
    names = (*values, "settled")
    statement = _TAKE_IF_CURRENT.get(names)
    if statement is None:
        statement = _TAKE_IF_CURRENT[names] = _take_if_current(list(names))
    taken = connection.execute(statement, {**values, "settled": False, "form_survey": form.id,
                                           "form_measure": form.measure, "form_origins": form.allowed_origins,
                                           "form_version": form.version.id}).rowcount
    connection.commit()
    return taken == 1


_TAKE_IF_CURRENT: dict[tuple, Insert] = {}  # by the columns given, built on first use


def _take_if_current(names: list[str]) -> Insert:
    """INSERT INTO survey_answer (names) SELECT :names WHERE the form is still the survey's (each parameter typed as
    its column, which PostgreSQL's driver states in the statement: a SELECT's parameters take no type from the
    columns they go into)."""
    table = SurveyAnswer.__table__
    current = (select(SurveyVersion.id).where(SurveyVersion.survey_id == Survey.id)
               .order_by(SurveyVersion.number.desc()).limit(1).scalar_subquery())
    still = exists().where(Survey.id == bindparam("form_survey"), Survey.state == "live",
                           Survey.measure == bindparam("form_measure"),
                           Survey.allowed_origins == bindparam("form_origins"),
                           current == bindparam("form_version"))
    # An INSERT's rowcount is kept only when asked for (SQLAlchemy 2 reads it by default for UPDATE and DELETE).
    values = [bindparam(name, type_=table.c[name].type) for name in names]
    return (insert(table).from_select(names, select(*values).where(still))
            .execution_options(preserve_rowcount=True))


def settle(answers: list[SurveyAnswer]) -> None:
    """Settle stored answers waiting to be (`waiting`), in the caller's transaction: mark them settled and do what
    they move (`move`)."""
    if not answers:
        return
    db.session.execute(update(SurveyAnswer).where(SurveyAnswer.id.in_([answer.id for answer in answers]))
                       .values(settled=True).execution_options(synchronize_session=False))
    for answer in answers:
        set_committed_value(answer, "settled", True)  # as the statement above left it, not a change to flush
    surveys = {survey.id: survey for survey in db.session.scalars(
        select(Survey).where(Survey.id.in_({answer.survey_id for answer in answers})))}
    move(answers, surveys)


def move(answers: list[SurveyAnswer], surveys: dict[int, Survey]) -> None:
    """What stored answers move, in the caller's transaction: count them in their surveys' daily tallies, work out
    the KPI reading and the touchpoint's scores of each period they fall in once, and send `answer_recorded` for
    each. Constant queries per survey and period, however many answers."""
    counted: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    periods: dict[int, set] = defaultdict(set)
    for answer in answers:
        sums = counted[answer.survey_id][(answer.answered_on, answer.score)]
        gap = answer.expectation is not None and answer.perception is not None
        sums[0] += 1
        if gap:
            sums[1] += 1
            sums[2] += answer.expectation
            sums[3] += answer.perception
        periods[answer.survey_id].add(calc.period_bounds(surveys[answer.survey_id].period, answer.answered_on)[0])
    # In one order everywhere (survey, day, score): two settlings adding to the same tallies wait for each other
    # instead of each holding a row the other needs.
    for survey_id in sorted(counted):
        tally.add_counted(survey_id, dict(sorted(counted[survey_id].items())))
    with summarised():  # readings worked out by the product, not typed: one event each would flood the trail
        for survey_id in sorted(periods):
            for start in sorted(periods[survey_id]):
                refresh_period(surveys[survey_id], start)
    app = current_app._get_current_object()
    for answer in answers:
        answer_recorded.send(app, answer=feedback_of(surveys[answer.survey_id], answer))
    for organisation_id in sorted({survey.organisation_id for survey in surveys.values()}):
        note_change(organisation_id, touched=(SurveyAnswer.__tablename__, None))


def feedback_of(survey: Survey, answer: SurveyAnswer) -> FeedbackAnswer:
    return FeedbackAnswer(
        organisation_id=survey.organisation_id, source="survey", answered_at=answer.answered_at,
        answer_id=answer.id, survey_title=survey.title, measure=survey.measure, score=answer.score,
        touchpoint_id=survey.touchpoint_id, expectation=answer.expectation, perception=answer.perception,
        comment=answer.comment, language=answer.language, contact_name=answer.contact_name,
        contact=answer.contact)


def refresh_period(survey: Survey, on) -> None:
    """The KPI reading and the touchpoint's scores of the period holding `on`, from every answer stored for it."""
    start, end = calc.period_bounds(survey.period, on)
    # Answers arriving together queue here, each then counting the ones committed before it (PostgreSQL reads
    # afresh at each statement): no reading misses an answer, and none is written twice.
    if survey.kpi_id is not None:
        hold_row(survey.kpi)
        refresh_reading(survey, start, end)
    if survey.touchpoint_id is not None:
        hold_row(survey.touchpoint)
        refresh_touchpoint(survey, start, end)


def refresh_reading(survey: Survey, start, end) -> None:
    counts = tally.kpi_counts(survey.kpi_id, start, end)
    kpi = survey.kpi
    if not counts:
        return
    score = calc.score_of(kpi.measure, counts)
    record_reading(kpi, start, score.value, score.respondents,
                   _("Worked out from %(count)s survey answers.", count=score.respondents))


def refresh_touchpoint(survey: Survey, start, end) -> None:
    n, expected, perceived = tally.touchpoint_sums(survey.touchpoint_id, start, end)
    score = db.session.scalar(select(TouchpointScore).where(
        TouchpointScore.touchpoint_id == survey.touchpoint_id, TouchpointScore.scored_on == start,
        TouchpointScore.source == SURVEY_SOURCE))
    if not n:
        if score is not None:
            db.session.delete(score)
        return
    if score is None:
        score = TouchpointScore(touchpoint_id=survey.touchpoint_id, scored_on=start, source=SURVEY_SOURCE,
                                recorded_by=SURVEY_SOURCE)
        db.session.add(score)
    score.expectation = calc.mean_score(int(expected), n)
    score.perception = calc.mean_score(int(perceived), n)
    score.respondents = n
    db.session.flush()


def waiting(limit: int = BATCH) -> list[SurveyAnswer]:
    """The oldest answers not yet settled, held for this transaction: on PostgreSQL another settler passes over
    them (SKIP LOCKED) and takes the next; on SQLite the caller holds the write lock already."""
    query = select(SurveyAnswer).where(UNSETTLED).order_by(SurveyAnswer.id).limit(limit)
    if db.session.connection().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def settle_waiting(now: datetime | None = None) -> int:
    """Settle every answer waiting, a batch per transaction; how many. Commits as it goes."""
    done = 0
    token = set_actor(Actor(ACTOR))
    try:
        while True:
            with unit_of_work():
                answers = waiting()
                settle(answers)
            done += len(answers)
            if len(answers) < BATCH:
                break
    finally:
        reset_actor(token)
    if done:
        send_queued_soon()  # the mail of a follow-up case an unhappy answer opened
    return done


def waiting_count(now: datetime | None = None) -> int:
    """How many answers wait to be settled (`flask notify --dry-run`)."""
    return int(db.session.scalar(select(func.count()).select_from(SurveyAnswer).where(UNSETTLED)) or 0)


def _settle_in_background(app: Flask) -> None:
    try:
        settle_waiting()
    except Exception:
        app.logger.exception("settling survey answers failed; the scheduler tries again within a minute")
        db.session.rollback()


def settle_soon() -> None:
    """Have this process's background thread settle what waits in SURVEY_SETTLE_SECONDS (call it once the answer
    is committed); while a run waits to start, asking again adds nothing: a flood is settled a batch at a time,
    and the write lock SQLite has one of is taken for settling a few times a second at most."""
    app = current_app._get_current_object()
    soon(app, _settle_in_background, after=float(app.config["SURVEY_SETTLE_SECONDS"]))
