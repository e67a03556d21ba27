"""Taking a customer's answer through a survey's public link: who may answer (not a flood), what the link carries,
and storing the answer with what it moves at once — the KPI's reading and the touchpoint's scores for the period —
and telling whoever listens (`measures.feedback.answer_recorded`)."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cxroadmap.audit.services import summarised
from cxroadmap.errors import Problems, line_problem, tidy
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.feedback import FeedbackAnswer, answer_recorded
from cxroadmap.measures.services import record_reading
from cxroadmap.organisations.models import hold_row
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.kinds import GAP_SCALE, HIDDEN_FIELDS, HIDDEN_VALUE_LENGTH
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyVersion
from cxroadmap.timeutil import utcnow

# How touchpoint scores worked out from survey answers name their source (one row per touchpoint and period).
SURVEY_SOURCE = "Customer surveys"
MIN_SECONDS = 3
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


# -- not a flood -----------------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-page-shown")


def shown_token(code: str, at: datetime | None = None) -> str:
    """What the answer page carries to prove when it was shown, and for which survey."""
    return _serializer().dumps([code, int((at or utcnow()).timestamp())])


def seconds_taken(token: str | None, code: str, now: datetime | None = None) -> float | None:
    """How long ago the page carrying token was shown; None when the token is not one we made for this survey."""
    try:
        shown_code, shown_at = _serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        return None
    if shown_code != code or not isinstance(shown_at, int):
        return None
    return (now or utcnow()).timestamp() - shown_at


def minimum_seconds() -> float:
    return float(current_app.config.get("SURVEY_MINIMUM_SECONDS", MIN_SECONDS))


def hidden_fields(values) -> dict[str, str]:
    """The allowed hidden fields the link carries, each a short line; the rest is left out."""
    kept = {}
    for name in HIDDEN_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value.strip() and line_problem(value) is None:
            kept[name] = tidy(value)[:HIDDEN_VALUE_LENGTH]
    return kept


def live_survey(code: str) -> Survey | None:
    """The survey of a public link with its versions, whatever its state; None for a code nobody made."""
    if not isinstance(code, str) or not code.isascii() or not code.isalnum() or len(code) > 16:
        return None
    return db.session.scalar(select(Survey).where(Survey.code == code).options(selectinload(Survey.versions)))


# -- the answer ------------------------------------------------------------------------------------------

@dataclass
class Given:
    """What the customer filled in, as typed; checked by `check_given`."""

    score: int | None
    expectation: int | None = None
    perception: int | None = None
    ratings: dict[int, int] = field(default_factory=dict)
    comment: str = ""
    consent: bool = False
    contact_name: str = ""
    contact: str = ""


def _on_scale(value, low: int, high: int) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and low <= value <= high)


def check_given(survey: Survey, version: SurveyVersion, given: Given) -> Problems:
    problems = Problems()
    low, high = SCALES[survey.measure]
    if problems.require(given.score is not None, "score", _("Choose a score: it is the one question we need.")):
        problems.require(_on_scale(given.score, low, high), "score",
                         _("Choose a score from %(low)s to %(high)s.", low=low, high=high))
    for name in ("expectation", "perception"):
        problems.require(_on_scale(getattr(given, name), *GAP_SCALE), name, _("Choose from 1 to 7."))
    problems.require(all(key in version.rated and _on_scale(value, *GAP_SCALE)
                         for key, value in given.ratings.items()), "ratings", _("Choose from 1 to 7."))
    problems.require(len(given.comment) <= 5000, "comment", _("At most 5,000 characters, please."))
    if given.consent and version.asks_contact:
        contact = given.contact.strip()
        if problems.require(bool(contact), "contact", _("Give an email address or phone number, or leave the "
                                                       "box unticked.")):
            problems.require(bool(EMAIL.match(contact) or PHONE.match(contact)), "contact",
                             _("That is neither an email address nor a phone number."))
        problems.require(len(given.contact_name) <= 200, "contact_name", _("At most 200 characters, please."))
    return problems


def record_answer(survey: Survey, given: Given, language: str, hidden: dict[str, str],
                  now: datetime | None = None) -> SurveyAnswer:
    """Store the answer on the survey's current version, recompute the KPI reading and the touchpoint's scores of
    the period from the stored answers, and send `answer_recorded`; the caller commits. Contact details are kept
    only with the customer's consent. A constant, small number of queries."""
    now = now or utcnow()
    version = survey.current
    check_given(survey, version, given).raise_if_any()
    consent = given.consent and version.asks_contact and bool(given.contact.strip())
    contact = given.contact.strip() if consent else None
    answer = SurveyAnswer(
        organisation_id=survey.organisation_id, survey_id=survey.id, version_id=version.id, answered_at=now,
        answered_on=now.date(), score=given.score,
        expectation=given.expectation if version.asks_gap else None,
        perception=given.perception if version.asks_gap else None,
        ratings={str(key): value for key, value in given.ratings.items() if value is not None},
        comment=tidy(given.comment), language=language, hidden=hidden,
        contact_name=tidy(given.contact_name)[:200] or None if consent else None,
        contact_email=contact if contact and "@" in contact else None,
        contact_phone=contact if contact and "@" not in contact else None)
    db.session.add(answer)
    with summarised():  # readings worked out by the product, not typed: one event each would flood the trail
        db.session.flush()
        tally.add_answer(answer)
        refresh_period(survey, now.date())
    answer_recorded.send(current_app._get_current_object(), answer=feedback_of(survey, answer))
    return answer


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
