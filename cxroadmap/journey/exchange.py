"""The optional key `journey` of a cxroadmap/1 document (stages, touchpoints, scores), written by every export and
checked with its JSON paths on import (the initiatives' touchpoints are the initiatives' part). And the workbook's
sheet of the touchpoints."""

from sqlalchemy.orm import selectinload

from cxroadmap.coalition.models import Team
from cxroadmap.decimals import decimal_text
from cxroadmap.exchangekit.parts import ExchangePart, SheetScope, WorkbookSheet
from cxroadmap.exchangekit.reading import read_fields, read_items, read_object, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet, yes_no
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.journey.models import JourneyStage, Touchpoint
from cxroadmap.journey.reading import journey_reading
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


def document_touchpoint_keys(document) -> set[str]:
    """The keys of the touchpoints the document's journey holds."""
    keys = set()
    journey = document.get("journey")
    if isinstance(journey, dict) and isinstance(journey.get("stages"), list):
        for stage in journey["stages"]:
            if isinstance(stage, dict) and isinstance(stage.get("touchpoints"), list):
                keys |= {t.get("key") for t in stage["touchpoints"] if isinstance(t, dict)}
    return keys


# -- import ---------------------------------------------------------------------------------------------

def _score_problems(values: dict) -> dict:
    problems = check_score_values({"scored_on": values["on"], "expectation": values["expectation"],
                                   "perception": values["perception"], "respondents": values["respondents"],
                                   "source": values["source"]})
    return {{"scored_on": "on"}.get(name, name): message for name, message in problems.items()}


def check_journey(reader, document, team_names: set[str], keys: set[str]) -> dict:
    """The journey checked; None for `stages` when the key is absent. keys gathers its touchpoints' keys."""
    plan = {"stages": None}
    if "journey" in document:
        journey = reader.obj(document["journey"], "journey")
        if journey is not None:
            plan["stages"] = _check_stages(reader, journey, team_names, keys)
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
    values = read_object(reader, item, path, TOUCHPOINT)
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
    for where, _score, score_values in read_items(reader, item, "scores", path, SCORE):
        score_values["source"] = score_values["source"] or ""
        for name, message in _score_problems(score_values).items():
            reader.note(f"{where}.{name}", message)
        scores.append(score_values)
    return values, scores


def write_journey(organisation: Organisation, plan: dict, teams: dict) -> None:
    """Write the checked journey in place of the default stages."""
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


def _check(reader, document, known: dict) -> dict:
    """The journey names the document's teams; the parts after it may name its touchpoints: known["touchpoints"]
    (every key the document's journey holds) and known["journey_keys"] (those of the touchpoints read)."""
    known["touchpoints"] = document_touchpoint_keys(document)
    known["journey_keys"] = set()
    return check_journey(reader, document, known["teams"], known["journey_keys"])


def _write(organisation: Organisation, plan: dict, _writing) -> dict:
    """The journey (a few rows, through its services)."""
    if plan["stages"] is None:
        return {}
    teams = {team.name.casefold(): team for team in db.session.scalars(Team.scoped_to(organisation))}
    write_journey(organisation, plan, teams)
    return {}


# -- the workbook -----------------------------------------------------------------------------------------

def touchpoints_sheet(organisation: Organisation, scope: SheetScope) -> Sheet:
    """The journey's touchpoints in journey order, each with its latest expectation, perception and gap."""
    rows = []
    for stage in journey_reading(organisation, scope.on).stages:
        for r in stage.touchpoints:
            touchpoint, latest = r.touchpoint, r.latest
            rows.append([stage.stage.name, touchpoint.key, touchpoint.name, touchpoint.channel,
                         touchpoint.team.name if touchpoint.team else None, yes_no(touchpoint.moment_of_truth),
                         latest.expectation if latest else None, latest.perception if latest else None,
                         latest.gap if latest else None, latest.respondents if latest else None,
                         latest.scored_on if latest else None])
    return Sheet(_l("Touchpoints"), [
        Column(_l("Stage")), Column(_l("Key")), Column(_l("Touchpoint"), width=40), Column(_l("Channel")),
        Column(_l("Owner")), Column(_l("Moment of truth")), Column(_l("Expectation"), "number"),
        Column(_l("Perception"), "number"), Column(_l("Gap"), "number"), Column(_l("Respondents"), "whole"),
        Column(_l("Scored on"), "date")], rows)


# The document's first part (the initiatives' touchpoints and the KPIs name its touchpoints); the sheet after the
# KPI readings.
PART = ExchangePart(order=10, export=lambda organisation, _answers: {"journey": export_journey(organisation)},
                    check=_check, write=_write, removes=(Touchpoint, JourneyStage),
                    sheets=(WorkbookSheet(90, touchpoints_sheet, "touchpoints"),))
