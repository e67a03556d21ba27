"""The stage's paragraph of the reports' executive story, told first: where the organisation stands, whether it
moved since the stage before, why (or what confirmed it: `StageConfirmation`, which a higher area adds) and the
target."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from cxroadmap.areas import StoryLine, contributions
from cxroadmap.extensions import db
from cxroadmap.i18n import Texts, format_day
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.stages import STAGES

TEXTS = Texts.beside(__file__)

REASON_LENGTH = 160


@dataclass(frozen=True)
class StageConfirmation:
    """What confirmed the current stage, told in the stage's paragraph in place of the assessor's reason (an
    assessment round the raters answered …): `facts(data)` gives its facts from the report's data, None when it did
    not confirm this stage; `sentence(facts)` words them. The first that confirmed the stage is told."""

    facts: Callable[[Any], Any]
    sentence: Callable[[Any], str]


@dataclass(frozen=True)
class StageFacts:
    """What the paragraph tells, as plain values."""

    stage: str | None
    stage_on: date | None = None
    previous_stage: str | None = None
    target_stage: str | None = None
    target_date: date | None = None
    reason: str = ""
    # What confirmed the stage: how to word it, and its facts.
    confirmed: tuple[Callable[[Any], str], Any] | None = None


def stage_facts(data) -> StageFacts:
    """The stage's facts for a report's data: one query for the stage before this one."""
    stage, organisation = data.stage, data.organisation
    if stage is None:
        return StageFacts(stage=None)
    return StageFacts(stage=stage.stage, stage_on=stage.assessed_on,
                      previous_stage=_previous_stage(organisation, stage), target_stage=organisation.target_stage,
                      target_date=organisation.target_date,
                      reason=(stage.rationale or "").strip(), confirmed=_confirmed(data))


def _previous_stage(organisation, stage) -> str | None:
    query = (select(StageAssessment.stage).where(StageAssessment.organisation_id == organisation.id,
                                                 StageAssessment.id != stage.id,
                                                 StageAssessment.assessed_on <= stage.assessed_on)
             .order_by(StageAssessment.assessed_on.desc(), StageAssessment.id.desc()).limit(1))
    return db.session.scalar(query)


def _confirmed(data) -> tuple[Callable[[Any], str], Any] | None:
    for confirmation in contributions(StageConfirmation):
        facts = confirmation.facts(data)
        if facts is not None:
            return confirmation.sentence, facts
    return None


def stage_sentence(facts: StageFacts) -> str:
    if facts.stage is None:
        return TEXTS.say("stage.none")
    stage, on = STAGES.label(facts.stage), format_day(facts.stage_on)
    previous = facts.previous_stage
    if previous and previous != facts.stage:
        moved_up = STAGES.position(facts.stage) > STAGES.position(previous)
        words = [TEXTS.say("stage.up" if moved_up else "stage.down", previous=STAGES.label(previous), stage=stage,
                           date=on)]
    else:
        words = [TEXTS.say("stage.same", stage=stage, date=on)]
    if facts.confirmed:
        sentence, confirmed = facts.confirmed
        words.append(sentence(confirmed))
    elif facts.reason:
        words.append(TEXTS.say("stage.reason", reason=_short(facts.reason, REASON_LENGTH)))
    if facts.target_stage:
        target = STAGES.label(facts.target_stage)
        if STAGES.position(facts.stage) >= STAGES.position(facts.target_stage):
            words.append(TEXTS.say("stage.reached", target=target))
        elif facts.target_date:
            words.append(TEXTS.say("stage.target", target=target, date=format_day(facts.target_date)))
        else:
            words.append(TEXTS.say("stage.target_open", target=target))
    return " ".join(words)


def _short(words: str, length: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= length else words[: length - 1].rstrip() + "…"


# Told first, before every other area's line.
LINE = StoryLine(name="stage", facts=stage_facts, sentence=stage_sentence, rank=0)
