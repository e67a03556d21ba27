"""The demo organisation's follow-up cases: a few unhappy answers of the last weeks, worked to different points."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from cxroadmap.cases import services
from cxroadmap.cases.kinds import DEFAULT_ROOT_CAUSES
from cxroadmap.cases.rules import causes_as_text
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.feedback import FeedbackAnswer

# days ago, touchpoint key, measure, score, (expectation, perception), comment, language, contact,
# then what was done: (status, owner's email handle, outcome, root cause, initiative ref, days to work it)
CASES = [
    (1, "order-desk", "ces", 2, None, "I was on hold for twenty minutes and then had to call again.", "en",
     ("Garage Hendriks", "inkoop@garagehendriks.example"), None),
    (6, "on-site-before-10", "nps", 3, None, "Third time this month the part came after lunch. The van stood "
     "still all morning.", "nl", ("Transport Bakker", "+31 6 1234 5678"), None),
    (9, "invoice", "csat", 1, None, "De factuur klopt weer niet met de offerte.", "nl", None,
     ("contacted", "lotte.visser", "Credit note sent; the quote had the old price list.", "invoice-error", "", 1)),
    (20, "on-site-before-10", None, None, (7, 4), "Promised before 10, arrived at 13:30.", "en",
     ("Fleet desk, Van Leeuwen", "fleet@vanleeuwen.example"),
     ("resolved", "omer.yilmaz", "Called the customer; the route was planned too tight. Route changed.",
      "late-delivery", "INIT-7", 1)),
    (13, None, "nps", 5, None, "Prices went up again without a word.", "en", None,
     ("not_resolvable", "pieter.vandenberg", "No contact left; the price change was announced in the "
      "newsletter.", "other", "", 4)),
    (30, "delay-call", "nps", 6, None, "Nobody told us the part was late.", "nl",
     ("Autobedrijf De Wit", "info@dewit.example"),
     ("resolved", "fatima.elamrani", "Apologised; the delay call was missed during the holidays.",
      "hard-to-reach-us", "", 2)),
]


def _handle(email: str) -> str:
    return email.split("@", 1)[0]


def seed_cases(organisation, today: date) -> None:
    """Its own root causes, and six cases: two new (one overdue), one contacted, two resolved, one not
    resolvable."""
    causes = [*DEFAULT_ROOT_CAUSES[:-1], {"en": "Wrong part number in the catalogue",
                                          "nl": "Verkeerd onderdeelnummer in de catalogus"}, DEFAULT_ROOT_CAUSES[-1]]
    services.update_settings(organisation, 6, 2, 3, -2, 2, causes_as_text(causes))
    touchpoints = {t.key: t for t in db.session.scalars(Touchpoint.scoped_to(organisation))}
    members = {_handle(m.email): m for m in db.session.scalars(CoalitionMember.scoped_to(organisation))}
    for days_ago, key, measure, score, rated, comment, language, contact, worked in CASES:
        opened = datetime.combine(today - timedelta(days=days_ago), time(9, 30), tzinfo=UTC)
        touchpoint = touchpoints.get(key) if key else None
        answer = FeedbackAnswer(
            organisation_id=organisation.id, source="survey", answered_at=opened - timedelta(minutes=5),
            survey_title="After-delivery survey", measure=measure, score=score,
            touchpoint_id=touchpoint.id if touchpoint else None,
            expectation=rated[0] if rated else None, perception=rated[1] if rated else None, comment=comment,
            language=language, contact_name=contact[0] if contact else None, contact=contact[1] if contact else None)
        case = services.open_case(answer, now=opened)
        if case is None or worked is None:
            continue
        status, owner, outcome, cause, ref, days = worked
        owner_id = members[owner].id if owner in members else None
        known_ref = ref if ref and db.session.scalar(select(Initiative.id).where(
            Initiative.organisation_id == organisation.id, Initiative.ref == ref)) else ""
        services.update_case(organisation, case, status=status, owner_id=owner_id, outcome=outcome,
                             root_cause=cause, notes="", initiative_ref=known_ref, seen_status="new",
                             now=opened + timedelta(days=days, hours=3))
