"""The optional journey keys of a cxroadmap/1 document: `journey` (stages, touchpoints, scores) and
`initiatives[].touchpoints`, written by every export and checked with their JSON paths on import."""

from sqlalchemy.orm import selectinload

from cxroadmap.decimals import decimal_text
from cxroadmap.exchangekit.reading import read_fields, with_defaults
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.touchpoints import set_touchpoints, touchpoint_keys_by_initiative
from cxroadmap.journey.models import JourneyStage, Touchpoint
from cxroadmap.journey.services import KEY_MAX, KEY_PATTERN, add_score, add_stage, add_touchpoint, journey_stages
from cxroadmap.journey.services import check_score as check_score_values
from cxroadmap.organisations.models import Organisation

STAGE = {"name": ("text", True)}
TOUCHPOINT = {"key": ("text", True), "name": ("text", True), "channel": ("text", False), "team": ("text", False),
              "moment_of_truth": ("boolean", True)}
SCORE = {"on": ("date", True), "expectation": ("decimal", True), "perception": ("decimal", True),
         "respondents": ("integer", True), "source": ("text", False)}


# -- export ---------------------------------------------------------------------------------------------

def export_journey(organisation: Organisation) -> dict:
    """The journey as plain JSON values: stages and touchpoints in their order, scores oldest first."""
    query = (JourneyStage.scoped_to(organisation).order_by(JourneyStage.position, JourneyStage.id)
             .options(selectinload(JourneyStage.touchpoints).options(selectinload(Touchpoint.team),
                                                                     selectinload(Touchpoint.scores))))
    return {"stages": [
        {"name": stage.name, "touchpoints": [
            {"key": t.key, "name": t.name, "channel": t.channel, "team": t.team.name if t.team else None,
             "moment_of_truth": t.moment_of_truth,
             "scores": [{"on": s.scored_on.isoformat(), "expectation": decimal_text(s.expectation, 2),
                         "perception": decimal_text(s.perception, 2), "respondents": s.respondents,
                         "source": s.source} for s in t.scores]}
            for t in stage.touchpoints]}
        for stage in db.session.scalars(query)]}


def initiative_touchpoint_keys(organisation: Organisation) -> dict[int, list[str]]:
    return touchpoint_keys_by_initiative(organisation)


# -- import ---------------------------------------------------------------------------------------------

def _score_problems(values: dict) -> dict:
    problems = check_score_values({"scored_on": values["on"], "expectation": values["expectation"],
                                   "perception": values["perception"], "respondents": values["respondents"],
                                   "source": values["source"]})
    return {{"scored_on": "on"}.get(name, name): message for name, message in problems.items()}


def check_journey(reader, document, team_names: set[str], initiatives: list) -> dict:
    """The journey and the initiatives' touchpoints, checked; None for `stages` when the key is absent."""
    plan = {"stages": None, "initiative_touchpoints": {}}
    keys: set[str] = set()
    if "journey" in document:
        journey = reader.obj(document["journey"], "journey")
        if journey is not None:
            plan["stages"] = _check_stages(reader, journey, team_names, keys)
    for index, item in enumerate(document.get("initiatives") or []):
        if not isinstance(item, dict) or "touchpoints" not in item:
            continue
        where = f"initiatives[{index}].touchpoints"
        named = reader.get(item, "touchpoints", f"initiatives[{index}]", "strings", required=False)
        if not isinstance(named, list):
            continue
        for number, key in enumerate(named):
            if key not in keys:
                reader.note(f"{where}[{number}]", _("is not the key of a touchpoint in this document's journey"))
        if len(set(named)) != len(named):
            reader.note(where, _("names a touchpoint twice"))
        initiative = initiatives[index][0] if index < len(initiatives) else None
        if initiative:
            plan["initiative_touchpoints"][initiative["ref"]] = named
    return plan


def _check_stages(reader, journey: dict, team_names: set[str], keys: set[str]) -> list:
    stages, names = [], set()
    items = reader.items(journey, "stages", "journey.")
    if not items and isinstance(journey.get("stages"), list):
        reader.note("journey.stages", _("A journey needs at least one stage."))
    for index, item in enumerate(items):
        path = f"journey.stages[{index}]"
        if reader.obj(item, path) is None:
            continue
        stage = read_fields(reader, item, path, STAGE)
        if stage is not None:
            stage = with_defaults(stage)
            if not stage["name"] or len(stage["name"]) > 100:
                reader.note(f"{path}.name", _("A stage has a name of at most 100 characters."))
            elif stage["name"].casefold() in names:
                reader.note(f"{path}.name", _("another stage has this name"))
            names.add(stage["name"].casefold())
        touchpoints = [_check_touchpoint(reader, touchpoint, f"{path}.touchpoints[{number}]", team_names, keys)
                       for number, touchpoint in enumerate(reader.items(item, "touchpoints", f"{path}."))]
        stages.append((stage, touchpoints))
    return stages


def _check_touchpoint(reader, item, path: str, team_names: set[str], keys: set[str]):
    if reader.obj(item, path) is None:
        return None
    values = read_fields(reader, item, path, TOUCHPOINT)
    if values is None:
        return None
    values = with_defaults(values)
    values["channel"] = values["channel"] or ""
    key = values["key"]
    if not KEY_PATTERN.match(key) or len(key) > KEY_MAX:
        reader.note(f"{path}.key", _("Use lower-case letters, digits and single hyphens (at most 64)."))
    elif key in keys:
        reader.note(f"{path}.key", _("another touchpoint has this key"))
    keys.add(key)
    if not values["name"] or len(values["name"]) > 200:
        reader.note(f"{path}.name", _("A touchpoint has a name of at most 200 characters."))
    if len(values["channel"]) > 100:
        reader.note(f"{path}.channel", _("At most %(count)s characters.", count=100))
    if values["team"] is not None and values["team"].casefold() not in team_names:
        reader.note(f"{path}.team", _("is not the name of a team in this document"))
    scores = []
    for number, score in enumerate(reader.items(item, "scores", f"{path}.")):
        where = f"{path}.scores[{number}]"
        if reader.obj(score, where) is None:
            continue
        score_values = read_fields(reader, score, where, SCORE)
        if score_values is None:
            continue
        score_values["source"] = score_values["source"] or ""
        for name, message in _score_problems(score_values).items():
            reader.note(f"{where}.{name}", message)
        scores.append(score_values)
    return values, scores


def write_journey(organisation: Organisation, plan: dict, teams: dict, initiatives: dict) -> None:
    """Write the checked journey in place of the default stages, then link initiatives to touchpoints."""
    if plan["stages"] is not None:
        for stage in journey_stages(organisation):
            db.session.delete(stage)
        db.session.flush()
        for stage_values, touchpoints in plan["stages"]:
            stage = add_stage(organisation, stage_values["name"])
            for touchpoint_values, scores in touchpoints:
                team = teams.get(touchpoint_values["team"].casefold()) if touchpoint_values["team"] else None
                touchpoint = add_touchpoint(organisation, stage.id, touchpoint_values["name"],
                                            touchpoint_values["channel"], team.id if team else None,
                                            touchpoint_values["moment_of_truth"], key=touchpoint_values["key"])
                for score in scores:
                    add_score(organisation, touchpoint, score["on"], score["expectation"], score["perception"],
                              score["respondents"], score["source"])
    for ref, keys in plan["initiative_touchpoints"].items():
        if keys:
            set_touchpoints(organisation, initiatives[ref], keys)

