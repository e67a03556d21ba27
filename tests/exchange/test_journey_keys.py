"""The journey in cxroadmap/1: `journey` and `initiatives[].touchpoints`, round trip and refusals by path."""

import json
from datetime import date
from decimal import Decimal

from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.demo import seed_demo
from cxroadmap.exchange.document.export import export_document
from cxroadmap.exchange.document.importer import import_text
from cxroadmap.extensions import db
from cxroadmap.initiatives.services import all_initiatives
from cxroadmap.initiatives.touchpoints import set_touchpoints
from cxroadmap.journey.services import add_score, add_stage, add_touchpoint, journey_stages, rename_stage
from cxroadmap.organisations.services import create_organisation
from tests.exchange.test_exchange import TRICKY, refusals, round_trip, tricky_organisation, valid_document


def test_the_demo_journey_travels_with_its_scores_and_initiatives():
    organisation = seed_demo()
    db.session.commit()
    first, second = round_trip(organisation)
    assert first == second
    document = json.loads(first)
    stages = document["journey"]["stages"]
    assert [s["name"] for s in stages][:2] == ["Awareness", "Discovery"]
    on_site = next(t for s in stages for t in s["touchpoints"] if t["key"] == "on-site-before-10")
    assert on_site["name"] == "The part is on site before 10:00" and on_site["moment_of_truth"] is True
    # Five scores from the journey's demo, and one a month from its CES survey's answers (source: the surveys).
    by_source = {}
    for score in on_site["scores"]:
        by_source[score["source"] == "Customer surveys"] = by_source.get(score["source"] == "Customer surveys", 0) + 1
    assert on_site["team"] == "Transport Planning" and by_source[False] == 5 and by_source[True] >= 12
    assert set(on_site["scores"][0]) == {"on", "expectation", "perception", "respondents", "source"}
    assert on_site["scores"][0]["expectation"] == "6.60" and on_site["scores"][0]["perception"] == "4.10"
    assert document["initiatives"][6]["touchpoints"] == ["on-site-before-10"]
    assert document["initiatives"][0]["touchpoints"] == []


def test_any_text_and_a_renamed_reordered_journey_round_trip_exactly():
    organisation = tricky_organisation()
    stages = journey_stages(organisation)
    rename_stage(organisation, stages[0], TRICKY)
    extra = add_stage(organisation, "Renewal 🚚")
    team = teams_with_roles(organisation)[0]
    touchpoint = add_touchpoint(organisation, extra.id, TRICKY, TRICKY[:100], team.id, True, key="tricky-1")
    add_score(organisation, touchpoint, date(2026, 2, 3), Decimal("6.25"), Decimal("1"), 7, TRICKY[:200])
    set_touchpoints(organisation, all_initiatives(organisation)[0], ["tricky-1"])
    db.session.commit()
    first, second = round_trip(organisation)
    assert first == second
    stage = json.loads(first)["journey"]["stages"][-1]
    assert stage["name"] == "Renewal 🚚" and stage["touchpoints"][0]["name"] == TRICKY
    assert stage["touchpoints"][0]["scores"][0]["perception"] == "1.00"
    assert json.loads(first)["journey"]["stages"][0]["name"] == TRICKY


def test_a_document_without_the_journey_gets_the_default_stages():
    document = valid_document()
    del document["journey"]
    for initiative in document["initiatives"]:
        del initiative["touchpoints"]
    imported = import_text(json.dumps(document))
    again = export_document(imported)
    assert [s["name"] for s in again["journey"]["stages"]][0] == "Bewustwording"  # the document's locale is nl
    assert again["initiatives"][0]["touchpoints"] == []


def test_bad_journey_values_are_refused_with_their_paths_and_nothing_is_written():
    document = valid_document()
    document["journey"] = {"stages": [
        {"name": "Use", "touchpoints": [
            {"key": "Bad Key", "name": "", "channel": 7, "team": "Nobody", "moment_of_truth": "yes"},
            {"key": "ok", "name": "Fine", "channel": "Phone", "team": None, "moment_of_truth": False,
             "scores": [{"on": "2026-02-30", "expectation": "8", "perception": "4.555", "respondents": 0},
                        {"on": "2026-01-01", "expectation": "5", "perception": "4", "respondents": 10,
                         "source": "x" * 201}]},
            {"key": "ok", "name": "Twin", "moment_of_truth": True}]},
        {"name": "USE"}]}
    document["initiatives"][0]["touchpoints"] = ["ok", "missing"]
    problems = refusals(document)
    for expected in (
        "journey.stages[0].touchpoints[0].channel: not a string",
        "journey.stages[0].touchpoints[0].moment_of_truth: not true or false",
        "journey.stages[0].touchpoints[1].scores[0].on: not an ISO date (YYYY-MM-DD)",
        "journey.stages[0].touchpoints[1].scores[1].source: At most 200 characters.",
        "journey.stages[0].touchpoints[2].key: another touchpoint has this key",
        "journey.stages[1].name: another stage has this name",
        "initiatives[0].touchpoints[1]: is not the key of a touchpoint in this document's journey",
    ):
        assert expected in problems, (expected, problems)
    document["journey"]["stages"][0]["touchpoints"][0].update(channel="Phone", moment_of_truth=True)
    document["journey"]["stages"][0]["touchpoints"][1]["scores"][0]["on"] = "2026-02-03"
    problems = refusals(document)
    for expected in (
        "journey.stages[0].touchpoints[0].key: Use lower-case letters, digits and single hyphens (at most 64).",
        "journey.stages[0].touchpoints[0].name: A touchpoint has a name of at most 200 characters.",
        "journey.stages[0].touchpoints[0].team: is not the name of a team in this document",
        "journey.stages[0].touchpoints[1].scores[0].expectation: A score runs from 1 to 7, with at most two "
        "decimals.",
        "journey.stages[0].touchpoints[1].scores[0].perception: A score runs from 1 to 7, with at most two "
        "decimals.",
        "journey.stages[0].touchpoints[1].scores[0].respondents: Give the number of customers who answered "
        "(at least 1).",
    ):
        assert expected in problems, (expected, problems)
    document["journey"] = {"stages": []}
    assert "journey.stages: A journey needs at least one stage." in refusals(document)
    document["journey"] = "a map"
    assert "journey: not an object" in refusals(document)


def test_an_organisation_made_here_exports_its_eight_stages():
    organisation = create_organisation("Eight", slug="eight")
    assert len(export_document(organisation)["journey"]["stages"]) == 8
