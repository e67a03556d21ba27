"""Changing the journey: its stages, their touchpoints and the touchpoints' scores."""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from cxroadmap.coalition.models import Team
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey import calc
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import on_new_organisation
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, tidy

# The well-known eight, in the organisation's language: stored as text, so each organisation renames freely.
DEFAULT_STAGES = {
    "en": ["Awareness", "Discovery", "Attraction", "Interaction", "Purchase", "Use", "Cultivation", "Advocacy"],
    "nl": ["Bewustwording", "Ontdekking", "Aantrekking", "Interactie", "Aankoop", "Gebruik", "Binding",
           "Ambassadeurschap"],
}
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX = 64
MAX_RESPONDENTS = 10_000_000


# -- stages ---------------------------------------------------------------------------------------------

def journey_stages(organisation: Organisation) -> list[JourneyStage]:
    """The organisation's stages from first to last."""
    query = JourneyStage.scoped_to(organisation).order_by(JourneyStage.position, JourneyStage.id)
    return list(db.session.scalars(query))


@on_new_organisation
def give_default_stages(organisation: Organisation) -> list[JourneyStage]:
    """The eight well-known stages, for an organisation that has no stages yet."""
    if journey_stages(organisation):
        return []
    names = DEFAULT_STAGES.get(organisation.locale, DEFAULT_STAGES["en"])
    stages = [JourneyStage(organisation_id=organisation.id, name=name, position=position)
              for position, name in enumerate(names, 1)]
    db.session.add_all(stages)
    db.session.flush()
    return stages


def _stage_problems(organisation: Organisation, name: str, besides: JourneyStage | None) -> Problems:
    problems = Problems()
    check_line(problems, "name", name, 100, required=True)
    wanted = name.casefold()
    taken = any(stage.name.casefold() == wanted for stage in journey_stages(organisation)
                if besides is None or stage.id != besides.id)
    problems.require(not taken, "name", _("There is already a stage of this name."))
    return problems


def add_stage(organisation: Organisation, name: str) -> JourneyStage:
    """A new stage at the end of the journey."""
    name = tidy(name)
    _stage_problems(organisation, name, None).raise_if_any()
    position = _next_position(JourneyStage.position, JourneyStage.organisation_id == organisation.id)
    stage = JourneyStage(organisation_id=organisation.id, name=name, position=position)
    db.session.add(stage)
    db.session.flush()
    return stage


def rename_stage(organisation: Organisation, stage: JourneyStage, name: str,
                 expected_version: int | None = None) -> JourneyStage:
    stage.check_version(expected_version, _("this stage"))
    name = tidy(name)
    _stage_problems(organisation, name, stage).raise_if_any()
    stage.name = name
    db.session.flush()
    return stage


def move_stage(organisation: Organisation, stage: JourneyStage, steps: int) -> JourneyStage:
    """Move a stage earlier (negative steps) or later in the journey; the others close up around it."""
    _move(journey_stages(organisation), stage, steps)
    return stage


def remove_stage(organisation: Organisation, stage: JourneyStage) -> None:
    """Remove an empty stage; a journey keeps at least one, and touchpoints are never removed by accident."""
    count = db.session.scalar(select(func.count(Touchpoint.id)).where(Touchpoint.stage_id == stage.id))
    if count:
        raise DomainError(_("%(stage)s still holds %(count)s touchpoints: move or remove them first.",
                            stage=stage.name, count=count))
    if len(journey_stages(organisation)) <= 1:
        raise DomainError(_("A journey needs at least one stage."))
    db.session.delete(stage)
    db.session.flush()
    _number(journey_stages(organisation))


def _next_position(position, *where) -> int:
    """The position after the last of those where holds: 1 for the first."""
    return (db.session.scalar(select(func.max(position)).where(*where)) or 0) + 1


def _move(ordered: list, moving, steps: int) -> None:
    """Move one of the ordered stages or touchpoints earlier (negative steps) or later, no further than either end;
    the others close up around it."""
    index = next(i for i, each in enumerate(ordered) if each.id == moving.id)
    ordered.insert(max(0, min(len(ordered) - 1, index + steps)), ordered.pop(index))
    _number(ordered)


def _number(ordered: list) -> None:
    """Number the stages or touchpoints 1, 2, 3 … in this order; those already in their place are left alone."""
    for position, each in enumerate(ordered, 1):
        if each.position != position:
            each.position = position
    db.session.flush()


# -- touchpoints ----------------------------------------------------------------------------------------

def key_from(name: str) -> str:
    """A key made from a name: 'Part on site before 10:00' -> 'part-on-site-before-10-00'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return key[:KEY_MAX - 4].rstrip("-") or "touchpoint"


def _key_taken(organisation: Organisation, key: str) -> bool:
    return db.session.scalar(select(Touchpoint.id).where(Touchpoint.organisation_id == organisation.id,
                                                         Touchpoint.key == key)) is not None


def _free_key(organisation: Organisation, name: str) -> str:
    base = key_from(name)
    key, number = base, 1
    while _key_taken(organisation, key):
        number += 1
        key = f"{base}-{number}"
    return key


def touchpoint_by_key(organisation: Organisation, key: str) -> Touchpoint:
    found = db.session.scalar(Touchpoint.scoped_to(organisation).where(Touchpoint.key == key))
    if found is None:
        raise NotInOrganisation(_("No touchpoint '%(key)s' in this organisation.", key=key))
    return found


def _touchpoint_values(organisation: Organisation, stage_id, name, channel, team_id,
                       moment_of_truth) -> tuple[dict, Problems]:
    values = {"stage_id": stage_id, "name": tidy(name), "channel": tidy(channel), "team_id": team_id or None,
              "moment_of_truth": bool(moment_of_truth)}
    problems = Problems()
    check_line(problems, "name", values["name"], 200, required=True)
    check_line(problems, "channel", values["channel"], 100)
    stage_ok = stage_id is not None and db.session.scalar(
        select(JourneyStage.id).where(JourneyStage.id == stage_id,
                                      JourneyStage.organisation_id == organisation.id)) is not None
    problems.require(stage_ok, "stage_id", _("Choose one of this journey's stages."))
    team_ok = values["team_id"] is None or db.session.scalar(
        select(Team.id).where(Team.id == values["team_id"], Team.organisation_id == organisation.id)) is not None
    problems.require(team_ok, "team_id", _("Choose one of this organisation's teams, or none."))
    return values, problems


def add_touchpoint(organisation: Organisation, stage_id: int | None, name: str, channel: str = "",
                   team_id: int | None = None, moment_of_truth: bool = False,
                   key: str | None = None) -> Touchpoint:
    """A new touchpoint at the end of its stage; its key is made from the name unless given."""
    values, problems = _touchpoint_values(organisation, stage_id, name, channel, team_id, moment_of_truth)
    key = tidy(key).lower() if key else None
    if key is not None:
        problems.require(bool(KEY_PATTERN.match(key)) and len(key) <= KEY_MAX, "key",
                         _("Use lower-case letters, digits and single hyphens (at most 64)."))
        problems.require(not _key_taken(organisation, key), "key", _("Another touchpoint has this key."))
    problems.raise_if_any()
    touchpoint = Touchpoint(organisation_id=organisation.id, key=key or _free_key(organisation, values["name"]),
                            position=_next_position(Touchpoint.position, Touchpoint.stage_id == stage_id), **values)
    db.session.add(touchpoint)
    db.session.flush()
    return touchpoint


def update_touchpoint(organisation: Organisation, touchpoint: Touchpoint, stage_id: int | None, name: str,
                      channel: str, team_id: int | None, moment_of_truth: bool,
                      expected_version: int | None = None) -> Touchpoint:
    """Change a touchpoint; its key stays, so what refers to it keeps doing so."""
    touchpoint.check_version(expected_version, _("this touchpoint"))
    values, problems = _touchpoint_values(organisation, stage_id, name, channel, team_id, moment_of_truth)
    problems.raise_if_any()
    if values["stage_id"] != touchpoint.stage_id:
        touchpoint.position = _next_position(Touchpoint.position, Touchpoint.stage_id == values["stage_id"])
    for field, value in values.items():
        setattr(touchpoint, field, value)
    db.session.flush()
    return touchpoint


def move_touchpoint(organisation: Organisation, touchpoint: Touchpoint, steps: int) -> Touchpoint:
    """Move a touchpoint earlier (negative steps) or later within its stage; the others close up around it."""
    query = (Touchpoint.scoped_to(organisation).where(Touchpoint.stage_id == touchpoint.stage_id)
             .order_by(Touchpoint.position, Touchpoint.id))
    _move(list(db.session.scalars(query)), touchpoint, steps)
    return touchpoint


def remove_touchpoint(organisation: Organisation, touchpoint: Touchpoint) -> None:
    """Remove a touchpoint with its scores; initiatives simply stop naming it."""
    db.session.delete(touchpoint)
    db.session.flush()


# -- scores ---------------------------------------------------------------------------------------------

def check_score(values: dict, on: date | None = None) -> Problems:
    problems = Problems()
    check_date(problems, "scored_on", values["scored_on"], required=True, not_after=on or today())
    for field in ("expectation", "perception"):
        value = values[field]
        if value is None:
            problems.require(False, field, _("This field is required."))
        else:
            problems.require(calc.on_scale(value), field,
                             _("A score runs from 1 to 7, with at most two decimals."))
    respondents = values["respondents"]
    problems.require(isinstance(respondents, int) and 1 <= respondents <= MAX_RESPONDENTS, "respondents",
                     _("Give the number of customers who answered (at least 1)."))
    check_line(problems, "source", values["source"], 200)
    return problems


def add_score(organisation: Organisation, touchpoint: Touchpoint, scored_on: date | None,
              expectation: Decimal | None, perception: Decimal | None, respondents: int | None,
              source: str = "", recorded_by: str = "") -> TouchpointScore:
    """Record a dated expectation and perception; earlier scores are kept, the latest counts."""
    values = {"scored_on": scored_on, "expectation": expectation, "perception": perception,
              "respondents": respondents, "source": tidy(source)}
    check_score(values).raise_if_any()
    score = TouchpointScore(touchpoint=touchpoint, recorded_by=tidy(recorded_by)[:254], **values)
    db.session.add(score)
    db.session.flush()
    return score


def remove_score(organisation: Organisation, score: TouchpointScore) -> None:
    db.session.delete(score)
    db.session.flush()


def touchpoint_names(organisation_id: int) -> dict[str, str]:
    """{key: name} of every touchpoint of the organisation, read once a request (a page of the trail names them
    all)."""
    from flask import g

    kept = g.setdefault("touchpoint_names", {})
    if organisation_id not in kept:
        kept[organisation_id] = dict(db.session.execute(
            select(Touchpoint.key, Touchpoint.name).where(Touchpoint.organisation_id == organisation_id)).all())
    return kept[organisation_id]
