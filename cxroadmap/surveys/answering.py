"""Taking a customer's answer through a survey's public link: who may answer (not a flood), what the link carries,
and storing the answer with what it moves at once — the KPI's reading and the touchpoint's scores for the period —
and telling whoever listens (`measures.feedback.answer_recorded`)."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import selectinload

from cxroadmap.extensions import db
from cxroadmap.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, known
from cxroadmap.measures.calc import SCALES
from cxroadmap.surveys import settling
from cxroadmap.surveys.kinds import GAP_SCALE, HIDDEN_FIELDS, HIDDEN_VALUE_LENGTH
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyVersion
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems, line_problem, tidy

MIN_SECONDS = 3
LONGEST_SECONDS = 24 * 3600  # a page shown longer ago than this is taken as copied, not answered
ANSWER_LIMIT = "20 per 10 minutes"  # answers through public links, per network address
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


# -- not a flood -----------------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="survey-page-shown")


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


def flood_sign(form, code: str) -> str | None:
    """What marks a posted answer page as no person's answer, or None: "filled" (a bot filled in the field hidden
    from people), "stale" (shown over a day ago, or for another survey, or not by us), "quick" (sent faster than
    anyone reads)."""
    if form.get("website"):
        return "filled"
    taken = seconds_taken(form.get("shown"), code)
    if taken is None or taken > LONGEST_SECONDS:
        return "stale"
    if taken < minimum_seconds():
        return "quick"
    return None


def respondent_language(asked, accept_languages) -> str:
    """The language a respondent reads: the one the link or the page asked for (lang), else their browser's."""
    return known(asked) or accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def answer_limit(config) -> str:
    """The limit on answers through public links from one network address, as Flask-Limiter reads it."""
    return config.get("SURVEY_ANSWER_LIMIT_PER_ADDRESS", ANSWER_LIMIT)


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


def _a_code(code) -> bool:
    return isinstance(code, str) and code.isascii() and code.isalnum() and len(code) <= 16


def live_survey(code: str) -> Survey | None:
    """The survey of a public link with its versions, whatever its state; None for a code nobody made."""
    if not _a_code(code):
        return None
    return db.session.scalar(select(Survey).where(Survey.code == code).options(selectinload(Survey.versions)))


@dataclass(frozen=True)
class FormVersion:
    """The questions of a survey's current version, as taking an answer checks and stores it."""

    id: int
    rated: list
    asks_gap: bool
    asks_contact: bool


@dataclass(frozen=True)
class PublicForm:
    """What taking an answer through a public link needs of its survey, read in one statement: enough to check and
    store the answer, and to say which sites may frame the page."""

    id: int
    organisation_id: int
    state: str
    measure: str
    allowed_origins: str
    version: FormVersion

    @property
    def origins(self) -> list[str]:
        return self.allowed_origins.split()


# Built once: each answer taken runs it (the database's plan and SQLAlchemy's compiled form are reused too).
_FORM_OF_CODE = (
    select(Survey.id, Survey.organisation_id, Survey.state, Survey.measure, Survey.allowed_origins,
           SurveyVersion.id, SurveyVersion.rated, SurveyVersion.asks_gap, SurveyVersion.asks_contact)
    .join(SurveyVersion, SurveyVersion.survey_id == Survey.id).where(Survey.code == bindparam("code"))
    .order_by(SurveyVersion.number.desc()).limit(1))


def public_form(code: str, connection: Connection) -> PublicForm | None:
    """The public link's survey and its current questions, read on the connection; None for a code nobody made."""
    if not _a_code(code):
        return None
    row = connection.execute(_FORM_OF_CODE, {"code": code}).first()
    if row is None:
        return None
    return PublicForm(*row[:5], version=FormVersion(*row[5:]))


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


def check_given(survey: Survey | PublicForm, version: SurveyVersion | FormVersion, given: Given) -> Problems:
    """What is wrong with an answer, every field at once (each message made only for a field that is wrong: most
    answers are right, and the answer lane checks each one)."""
    problems = Problems()
    low, high = SCALES[survey.measure]
    if given.score is None:
        problems["score"] = _("Choose a score: it is the one question we need.")
    elif not _on_scale(given.score, low, high):
        problems["score"] = _("Choose a score from %(low)s to %(high)s.", low=low, high=high)
    for name in ("expectation", "perception"):
        if not _on_scale(getattr(given, name), *GAP_SCALE):
            problems[name] = _("Choose from 1 to 7.")
    if not all(key in version.rated and _on_scale(value, *GAP_SCALE) for key, value in given.ratings.items()):
        problems["ratings"] = _("Choose from 1 to 7.")
    if len(given.comment) > 5000:
        problems["comment"] = _("At most 5,000 characters, please.")
    if given.consent and version.asks_contact:
        contact = given.contact.strip()
        if not contact:
            problems["contact"] = _("Give an email address or phone number, or leave the box unticked.")
        elif not (EMAIL.match(contact) or PHONE.match(contact)):
            problems["contact"] = _("That is neither an email address nor a phone number.")
        if len(given.contact_name) > 200:
            problems["contact_name"] = _("At most 200 characters, please.")
    return problems


def answer_values(survey: Survey | PublicForm, version: SurveyVersion | FormVersion, given: Given, language: str,
                  hidden: dict[str, str], now: datetime) -> dict:
    """The stored answer's columns from what the customer gave (checked): contact details only with the customer's
    consent, expectation and perception only where the version asks for them."""
    consent = given.consent and version.asks_contact and bool(given.contact.strip())
    contact = given.contact.strip() if consent else None
    return dict(
        organisation_id=survey.organisation_id, survey_id=survey.id, version_id=version.id, answered_at=now,
        answered_on=now.date(), score=given.score,
        expectation=given.expectation if version.asks_gap else None,
        perception=given.perception if version.asks_gap else None,
        ratings={str(key): value for key, value in given.ratings.items() if value is not None},
        comment=tidy(given.comment), language=language, hidden=hidden,
        contact_name=tidy(given.contact_name)[:200] or None if consent else None,
        contact_email=contact if contact and "@" in contact else None,
        contact_phone=contact if contact and "@" not in contact else None)


def record_answer(survey: Survey, given: Given, language: str, hidden: dict[str, str],
                  now: datetime | None = None) -> SurveyAnswer:
    """Store the answer on the survey's current version, settled at once (`settling.move`: the tally, the KPI
    reading and the touchpoint's scores of the period, `answer_recorded`); the caller commits. A constant, small
    number of queries."""
    now = now or utcnow()
    version = survey.current
    check_given(survey, version, given).raise_if_any()
    answer = SurveyAnswer(**answer_values(survey, version, given, language, hidden, now), settled=True)
    db.session.add(answer)
    db.session.flush()
    settling.move([answer], {survey.id: survey})
    return answer
