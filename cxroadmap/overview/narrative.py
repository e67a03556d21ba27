"""The executive story: a few sentences written from the report's figures, in the reader's language.

`gather_facts` reads what the figures alone do not hold (decisions about red initiatives, money realised) and asks
each area's story line (`cxroadmap.areas.StoryLine`: the stage, the KPIs, the journey's gaps) for its facts;
`narrative` turns the facts into sentences and is a pure function of them.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from cxroadmap.areas import StoryLine, contributions
from cxroadmap.benefits.services import realised_by_year
from cxroadmap.extensions import db
from cxroadmap.governance.models import Decision, SteeringMeeting, decision_initiative
from cxroadmap.i18n import Texts, current_language, format_day, format_share
from cxroadmap.money import format_money

TEXTS = Texts.beside(__file__)

REDS_TOLD = 4
REASON_LENGTH = 160


@dataclass(frozen=True)
class RedInitiative:
    ref: str
    title: str
    decision: str | None = None
    decided_on: date | None = None


@dataclass(frozen=True)
class Facts:
    """What the story tells, as plain values."""

    reds: list[RedInitiative] = field(default_factory=list)
    year: int = 0
    estimated: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    currency: str = "EUR"
    # What the areas' story lines tell (cxroadmap.areas.StoryLine), by the line's name.
    told: dict[str, Any] = field(default_factory=dict)


# -- gathering -------------------------------------------------------------------------------------------

def gather_facts(data) -> Facts:
    """The story's facts for a report's data (ReportData): two small queries besides what data holds, and what
    the areas' story lines read from it."""
    organisation = data.organisation
    reds = [f.initiative for f in data.initiatives if f.initiative.health == "red"
            and f.initiative.status not in ("done", "cancelled")]
    decided = _latest_decisions([i.id for i in reds])
    return Facts(
        reds=[RedInitiative(i.ref, i.title, *decided.get(i.id, (None, None))) for i in reds],
        year=data.on.year, estimated=data.by_year.get(data.on.year, Decimal(0)),
        realised=realised_by_year(organisation).get(data.on.year, Decimal(0)), currency=organisation.currency,
        told={line.name: line.facts(data) for line in story_lines()})


def story_lines() -> list[StoryLine]:
    """The areas' lines, in the order the story tells them."""
    return sorted(contributions(StoryLine), key=lambda line: line.rank)


def told_sentence(facts: Facts, name: str) -> str:
    """One area's line of the story, on its own (the deck's stage slide opens with the stage's)."""
    line = next(line for line in story_lines() if line.name == name)
    return line.sentence(facts.told[name])


def _latest_decisions(initiative_ids: list[int]) -> dict[int, tuple[str, date]]:
    """Each initiative's latest steering decision: (text, meeting date)."""
    if not initiative_ids:
        return {}
    query = (select(decision_initiative.c.initiative_id, Decision.text, SteeringMeeting.held_on)
             .join(Decision, Decision.id == decision_initiative.c.decision_id).join(SteeringMeeting)
             .where(decision_initiative.c.initiative_id.in_(initiative_ids))
             .order_by(SteeringMeeting.held_on, Decision.id))
    return {initiative_id: (words, held_on) for initiative_id, words, held_on in db.session.execute(query)}


# -- the sentences -----------------------------------------------------------------------------------------

def narrative(facts: Facts) -> list[str]:
    """The story, one paragraph per subject: what the areas tell (the stage, the KPIs, the journey's gaps), the
    red initiatives, the money."""
    told = [line.sentence(facts.told[line.name]) for line in story_lines() if line.name in facts.told]
    return [*told, red_sentence(facts), money_sentence(facts)]


def red_sentence(facts: Facts) -> str:
    if not facts.reds:
        return TEXTS.say("reds.none")
    items = [TEXTS.say("red.decided", ref=r.ref, title=r.title, date=format_day(r.decided_on),
                       decision=_short(r.decision, REASON_LENGTH)) if r.decision
             else TEXTS.say("red.undecided", ref=r.ref, title=r.title) for r in facts.reds[:REDS_TOLD]]
    if len(facts.reds) > REDS_TOLD:
        items.append(TEXTS.say("reds.more", count=len(facts.reds) - REDS_TOLD))
    if len(facts.reds) == 1:
        return TEXTS.say("reds.one", items=items[0])
    return TEXTS.say("reds.count", count=len(facts.reds), items="; ".join(items))


def money_sentence(facts: Facts) -> str:
    money = lambda amount: format_money(amount, facts.currency, current_language())  # noqa: E731
    if not facts.estimated and not facts.realised:
        return TEXTS.say("money.none", year=facts.year)
    if not facts.realised:
        return TEXTS.say("money.nothing_yet", year=facts.year, estimated=money(facts.estimated))
    share = format_share(facts.realised / facts.estimated) if facts.estimated else "—"
    return TEXTS.say("money.realised", year=facts.year, estimated=money(facts.estimated),
                     realised=money(facts.realised), share=share)


def _short(words: str, length: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= length else words[: length - 1].rstrip() + "…"
