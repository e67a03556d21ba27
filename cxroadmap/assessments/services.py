"""Assessment rounds: opening one, its raters and their links, answering, closing, and confirming the outcome."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cxroadmap.assessments import links
from cxroadmap.assessments.calc import ANONYMITY_THRESHOLD
from cxroadmap.assessments.models import AssessmentRater, AssessmentResponse, AssessmentRound
from cxroadmap.assessments.questionnaire import allowed_values, items
from cxroadmap.audit.services import record
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.coalition.services import email_problem, normal_email
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import LANGUAGES, _, format_day
from cxroadmap.maturity.services import assess_stage
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.organisations.services import found_or_refuse
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS
from cxroadmap.readiness.services import assess_readiness
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import today, utcnow
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy

MAX_ROUND_DAYS = 366


def check_round(values: dict, on: date) -> Problems:
    problems = Problems()
    check_line(problems, "title", values["title"], 200, required=True)
    check_date(problems, "closes_on", values["closes_on"], required=True)
    if values["closes_on"] is not None:
        problems.require(values["closes_on"] >= on, "closes_on", _("A round cannot close before today."))
        problems.require(values["closes_on"] <= on + timedelta(days=MAX_ROUND_DAYS), "closes_on",
                         _("A round runs for at most a year."))
    return problems


def open_round(organisation: Organisation, title: str, closes_on: date | None, member_ids=(), opened_by: str = "",
               on: date | None = None) -> AssessmentRound:
    """A new round closing on closes_on, with the chosen coalition members as its first raters."""
    on = on or today()
    values = {"title": tidy(title), "closes_on": closes_on}
    problems = check_round(values, on)
    members = _members(organisation, member_ids)
    problems.require(len(members) == len(set(member_ids)), "member_ids", _("Choose members of this coalition."))
    problems.raise_if_any()
    assessment_round = AssessmentRound(organisation_id=organisation.id, opened_on=on, opened_by=opened_by[:254],
                                       **values)
    db.session.add(assessment_round)
    db.session.flush()
    for member in members:
        _new_rater(assessment_round, member.name, member.email, member.function, member.id)
    db.session.flush()
    return assessment_round


def _members(organisation: Organisation, member_ids) -> list[CoalitionMember]:
    ids = {int(i) for i in member_ids}
    if not ids:
        return []
    query = CoalitionMember.scoped_to(organisation).where(CoalitionMember.id.in_(ids)).order_by(CoalitionMember.id)
    return list(db.session.scalars(query))


def _new_rater(assessment_round, name, email, function, member_id=None) -> AssessmentRater:
    rater = AssessmentRater(organisation_id=assessment_round.organisation_id, round=assessment_round, name=name,
                            email=email, function=function, member_id=member_id)
    links.issue(rater)
    db.session.add(rater)
    return rater


def add_rater(assessment_round: AssessmentRound, name: str, email: str, function: str = "",
              on: date | None = None) -> AssessmentRater:
    """Someone from outside the coalition (or a member added late) as a rater of an open round."""
    _require_open(assessment_round, on or today())
    values = {"name": tidy(name), "email": normal_email(email), "function": tidy(function)}
    problems = Problems()
    check_line(problems, "name", values["name"], 200, required=True)
    problems.require(email_problem(values["email"]) is None, "email", email_problem(values["email"]) or "")
    check_line(problems, "function", values["function"], 100)
    taken = any(r.email == values["email"] for r in assessment_round.raters)
    problems.require(not taken, "email", _("This person is already a rater in this round."))
    problems.raise_if_any()
    member = db.session.scalar(select(CoalitionMember).where(
        CoalitionMember.organisation_id == assessment_round.organisation_id, CoalitionMember.email == values["email"]))
    rater = _new_rater(assessment_round, values["name"], values["email"], values["function"],
                       member.id if member else None)
    db.session.flush()
    return rater


def _require_open(assessment_round: AssessmentRound, on: date) -> None:
    if not assessment_round.is_open(on):
        raise DomainError(_("This round is closed."))


def round_in(organisation: Organisation, round_id: int) -> AssessmentRound:
    """The round with its raters and their answers (three queries however many raters); 404 elsewhere."""
    query = AssessmentRound.scoped_to(organisation).where(AssessmentRound.id == round_id).options(
        selectinload(AssessmentRound.raters).selectinload(AssessmentRater.response))
    return found_or_refuse(db.session.scalar(query), AssessmentRound)


def rater_in(assessment_round: AssessmentRound, rater_id: int) -> AssessmentRater:
    rater = next((r for r in assessment_round.raters if r.id == rater_id), None)
    if rater is None:
        raise NotInOrganisation(_("No such rater in this round."))
    return rater


def rounds(organisation: Organisation) -> list[AssessmentRound]:
    """Every round with its raters and answers, the most recent first, in three queries."""
    query = AssessmentRound.scoped_to(organisation).options(
        selectinload(AssessmentRound.raters).selectinload(AssessmentRater.response)).order_by(
        AssessmentRound.opened_on.desc(), AssessmentRound.id.desc())
    return list(db.session.scalars(query))


def withdraw(assessment_round: AssessmentRound, rater: AssessmentRater) -> None:
    """The rater's link stops working and their answers no longer count."""
    if rater.withdrawn:
        raise DomainError(_("This link is withdrawn already."))
    rater.withdrawn_at = utcnow()
    db.session.flush()


def reissue(assessment_round: AssessmentRound, rater: AssessmentRater, on: date | None = None) -> str:
    """A new link for the rater (the old one stops working); a withdrawn rater is back in. Returns the token."""
    _require_open(assessment_round, on or today())
    token = links.issue(rater)
    rater.withdrawn_at = None
    db.session.flush()
    record("assessment_link_reissued", organisation=assessment_round.organisation, object_type="Assessment rater",
           object_id=rater.id, object_label=rater.name)
    return token


def close_round(assessment_round: AssessmentRound, on: date | None = None) -> None:
    """Close the round today, before its date: the links stop working, the results can be confirmed."""
    on = on or today()
    hold_row(assessment_round)  # two people closing it at once: the second is told it is closed
    _require_open(assessment_round, on)
    # The last day of answering is yesterday unless the round only opened today.
    assessment_round.closed_on = max(on - timedelta(days=1), assessment_round.opened_on)
    db.session.flush()


# -- answering -------------------------------------------------------------------------------------------

def check_answers(answers: dict) -> Problems:
    problems = Problems()
    for item, value in answers.items():
        problems.require(item in items(), item, _("Not a question of this round."))
        if item in items() and value:
            problems.require(value in allowed_values(item), item, _("Choose one of the answers offered."))
    return problems


def save_answers(rater: AssessmentRater, answers: dict[str, str], comment: str = "", language: str | None = None,
                 on: date | None = None) -> AssessmentResponse:
    """Keep the rater's answers (replacing earlier ones) while the round is open."""
    if rater.withdrawn or not rater.round.is_open(on or today()):
        raise DomainError(_("This round is closed."))
    kept = {item: value for item, value in answers.items() if value}
    comment = tidy(comment)
    problems = check_answers(kept)
    # A Save with nothing chosen is a slip, not an answer: the rater would be counted as having answered.
    problems.require(bool(kept), "", _("Choose at least one answer before saving: nothing chosen is not an answer."))
    check_text(problems, "comment", comment, 4000)
    problems.raise_if_any()
    response = rater.response or AssessmentResponse(rater=rater)
    response.answers = kept
    response.comment = comment
    rater.answered_at = utcnow()
    if language in LANGUAGES:
        rater.language = language
    db.session.add(response)
    db.session.flush()
    record("assessment_answered", organisation=rater.round.organisation, object_type="Assessment rater",
           object_id=rater.id, object_label=rater.name)
    return response


def answers_of(rater: AssessmentRater) -> dict:
    return dict(rater.response.answers) if rater.response else {}


# -- confirming -------------------------------------------------------------------------------------------

def evidence_text(assessment_round: AssessmentRound, answered: int, reason: str) -> str:
    text = _("From the assessment round “%(title)s” (closed %(date)s, %(count)s raters answered).",
             title=assessment_round.title, date=format_day(assessment_round.close_date), count=answered)
    if reason:
        text += " " + _("Overruled by steering: %(reason)s", reason=reason)
    return text


def confirm(assessment_round: AssessmentRound, stage: str, scores: dict[str, int | None], reason: str,
            suggested_stage: int | None, suggested_scores: dict[str, int | None], answered: int,
            confirmed_by: str = "", on: date | None = None) -> None:
    """Steering's word on a closed round: a stage assessment and readiness assessments dated its close.

    Differing from what the answers suggest is allowed, with a reason that is kept.
    """
    on = on or today()
    reason = tidy(reason)
    hold_row(assessment_round)  # of several confirming at once, one wins and the others read its confirmation
    problems = Problems()
    problems.require(not assessment_round.confirmed, "", _("This round is confirmed already."))
    problems.require(not assessment_round.is_open(on), "", _("Close the round before confirming it."))
    # Fewer answers than the results page needs would let the suggestion give someone's answers away.
    problems.require(answered >= ANONYMITY_THRESHOLD, "",
                     _("Fewer than three raters answered: record the stage on the maturity page instead."))
    problems.require(stage in STAGES, "stage", STAGES.describe())
    for question, score in scores.items():
        problems.require(question in QUESTIONS and (score is None or 0 <= score <= MAX_SCORE), question,
                         _("A score is a whole number from 0 to %(most)s.", most=MAX_SCORE))
    suggested_key = STAGES.keys[suggested_stage - 1] if suggested_stage else None
    differs = stage != suggested_key or any(scores.get(q) != suggested_scores.get(q) for q in QUESTIONS.keys)
    problems.require(not differs or bool(reason), "reason",
                     _("Say why the outcome differs from what the answers suggest."))
    check_text(problems, "reason", reason, 4000)
    problems.raise_if_any()
    evidence = evidence_text(assessment_round, answered, reason if differs else "")
    organisation = assessment_round.organisation
    assess_stage(organisation, stage, assessment_round.close_date, assessed_by=confirmed_by[:200],
                 rationale=evidence)
    for question in QUESTIONS.keys:
        if scores.get(question) is not None:
            assess_readiness(organisation, question, scores[question], assessment_round.close_date, evidence)
    assessment_round.confirmed_on = on
    assessment_round.confirmed_by = confirmed_by[:254]
    assessment_round.confirmed_stage = stage
    assessment_round.confirmed_scores = {q: s for q, s in scores.items() if s is not None}
    assessment_round.overrule_reason = reason if differs else ""
    db.session.flush()


def round_from_latest_stage(organisation: Organisation, latest) -> AssessmentRound | None:
    """The confirmed round the latest stage assessment came from, if it did."""
    if latest is None:
        return None
    query = AssessmentRound.scoped_to(organisation).where(
        AssessmentRound.confirmed_on.is_not(None), AssessmentRound.confirmed_stage == latest.stage).options(
        selectinload(AssessmentRound.raters).selectinload(AssessmentRater.response))
    return next((r for r in db.session.scalars(query) if r.close_date == latest.assessed_on), None)
