"""Customers' answers and the law: how long they are kept, and one person's answers found, exported and erased —
each act in the audit trail."""

import json
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from cxroadmap.audit.services import record
from cxroadmap.emails import masked
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys import tally
from cxroadmap.surveys.invitations import services as invitations
from cxroadmap.surveys.invitations.models import SurveyInvitation
from cxroadmap.surveys.models import SurveyAnswer, SurveyPrivacy
from cxroadmap.validation import Problems, tidy

DEFAULT_RETENTION_MONTHS = 24


def retention_months(organisation_id: int) -> int:
    months = db.session.scalar(select(SurveyPrivacy.retention_months).where(
        SurveyPrivacy.organisation_id == organisation_id))
    return months or DEFAULT_RETENTION_MONTHS


def set_retention(organisation: Organisation, months: int, quiet_days: int | None = None) -> SurveyPrivacy:
    """The retention period and, when given, the quiet period between two invitations of one contact."""
    problems = Problems()
    problems.require(isinstance(months, int) and 1 <= months <= 120, "retention_months",
                     _("Keep answers for 1 to 120 months."))
    problems.require(quiet_days is None or (isinstance(quiet_days, int) and 0 <= quiet_days <= 365), "quiet_days",
                     _("A quiet period of 0 to 365 days."))
    problems.raise_if_any()
    privacy = db.session.scalar(SurveyPrivacy.scoped_to(organisation))
    if privacy is None:
        privacy = SurveyPrivacy(organisation_id=organisation.id)
        db.session.add(privacy)
    privacy.retention_months = months
    if quiet_days is not None:
        privacy.quiet_days = quiet_days
    db.session.flush()
    return privacy


def kept_from(months: int, on: date) -> date:
    """The first day whose answers are still kept `months` months after: older ones are due for deletion."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    day = min(on.day, 28)
    return date(year, month + 1, day)


def _expired(now: datetime):
    """(organisation id, first day kept) for every organisation with answers or invitations; the default where
    none was set."""
    months = dict(db.session.execute(select(SurveyPrivacy.organisation_id, SurveyPrivacy.retention_months)).all())
    with_answers = db.session.scalars(select(SurveyAnswer.organisation_id).union(
        select(SurveyInvitation.organisation_id)))
    return [(organisation_id, kept_from(months.get(organisation_id, DEFAULT_RETENTION_MONTHS), now.date()))
            for organisation_id in with_answers]


def expired_count(now: datetime) -> int:
    """How many answers are older than their organisation's retention period (what `delete_expired` deletes)."""
    return sum((db.session.scalar(select(func.count()).where(
        SurveyAnswer.organisation_id == organisation_id, SurveyAnswer.answered_on < first_kept)) or 0)
        + invitations.expired_invitations(organisation_id, first_kept)
        for organisation_id, first_kept in _expired(now))


def delete_expired(now: datetime) -> int:
    """Delete the answers and the invitations older than their organisation's retention period, one audit event
    per organisation; commits. The KPI readings and touchpoint scores worked out from them stay: they hold no one's
    answer. The suppression list stays too: it is what the people on it asked for."""
    deleted = 0
    for organisation_id, first_kept in _expired(now):
        result = db.session.execute(delete(SurveyAnswer).where(
            SurveyAnswer.organisation_id == organisation_id, SurveyAnswer.answered_on < first_kept))
        tally.forget_before(organisation_id, first_kept)
        purged = invitations.delete_expired_invitations(organisation_id, first_kept)
        if result.rowcount or purged:
            deleted += result.rowcount + purged
            record("answers_expired", db.session.get(Organisation, organisation_id), object_type="Survey answers",
                   object_label=_("answers from before %(day)s", day=first_kept.isoformat()),
                   changes={"deleted": result.rowcount, "invitations": purged})
    db.session.commit()
    return deleted


def answers_of_person(organisation: Organisation, email: str) -> list[SurveyAnswer]:
    """The answers of the organisation that carry this email address (given with consent to be contacted)."""
    email = tidy(email).lower()
    if not email:
        return []
    query = (SurveyAnswer.scoped_to(organisation).where(func.lower(SurveyAnswer.contact_email) == email)
             .options(joinedload(SurveyAnswer.survey)).order_by(SurveyAnswer.answered_at))
    return list(db.session.scalars(query))


def export_person(organisation: Organisation, email: str) -> str:
    """The person's answers as a JSON document (what they are entitled to see), recorded in the trail."""
    answers = answers_of_person(organisation, email)
    document = {"organisation": organisation.name, "email": tidy(email), "answers": [_exported(a) for a in answers]}
    record("answers_exported", organisation, object_type="Survey answers", object_label=masked(tidy(email)),
           changes={"answers": len(answers)})
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def _exported(answer: SurveyAnswer) -> dict:
    return {"survey": answer.survey.title, "answered_at": answer.answered_at.isoformat(), "score": answer.score,
            "expectation": answer.expectation, "perception": answer.perception, "ratings": answer.ratings,
            "comment": answer.comment, "language": answer.language, "hidden_fields": answer.hidden,
            "contact_name": answer.contact_name, "email": answer.contact_email, "phone": answer.contact_phone}


def erase_person(organisation: Organisation, email: str) -> int:
    """Erase every answer of the organisation carrying this email address, and the invitations sent to it; the
    counts are recorded, not the address. The KPI readings worked out before stay as they were, and so does the
    address on the suppression list: it is the person's wish to be asked no more."""
    answers = answers_of_person(organisation, email)
    days = {(answer.survey_id, answer.answered_on) for answer in answers}
    for answer in answers:
        db.session.delete(answer)
    db.session.flush()
    for survey_id, day in days:
        tally.recount(survey_id, day, day)
    erased_invitations = invitations.erase_invitations(organisation, email)
    record("answers_erased", organisation, object_type="Survey answers", object_label=masked(tidy(email)),
           changes={"erased": len(answers), "invitations": erased_invitations})
    return len(answers)


def surveys_with_answers(organisation: Organisation) -> int:
    return db.session.scalar(select(func.count(func.distinct(SurveyAnswer.survey_id))).where(
        SurveyAnswer.organisation_id == organisation.id)) or 0


def oldest_answer(organisation: Organisation) -> date | None:
    return db.session.scalar(select(func.min(SurveyAnswer.answered_on)).where(
        SurveyAnswer.organisation_id == organisation.id))


def retention_window(organisation: Organisation, on: date) -> tuple[int, date]:
    months = retention_months(organisation.id)
    return months, kept_from(months, on)


