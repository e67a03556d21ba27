"""The demo organisation's customer journey: touchpoints of a spare-parts distributor, a year of scores, and
the initiatives that work on them."""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.initiatives.touchpoints import set_touchpoints
from cxroadmap.journey.services import add_score, add_touchpoint, journey_stages

# initiative number: the touchpoints it works on
WORKS_ON = {
    3: ["order-desk"], 7: ["on-site-before-10"], 8: ["delay-call"], 9: ["find-the-part", "order-confirmation"],
    11: ["return-pickup"], 12: ["invoice"], 13: ["find-the-part"], 17: ["on-site-before-10", "right-part"],
}


def touchpoints() -> list[dict]:
    """The demo's touchpoints with their scores, as demo_journey.toml writes them."""
    with Path(__file__).with_suffix(".toml").open("rb") as file:
        return tomllib.load(file)["touchpoints"]


def seed_journey(organisation, initiatives: dict, day) -> None:
    """Touchpoints on the eight default stages, scored over a year, named by the initiatives working on them."""
    stages = journey_stages(organisation)
    teams = {team.name: team for team in teams_with_roles(organisation)}
    for point in touchpoints():
        owner = teams[point["team"]].id if "team" in point else None
        touchpoint = add_touchpoint(organisation, stages[point["stage"]].id, point["name"], point["channel"], owner,
                                    point.get("moment_of_truth", False), key=point["key"])
        for days_ago, expectation, perception, respondents in point["scores"]:
            scored_on: date = day(-days_ago)
            add_score(organisation, touchpoint, scored_on, Decimal(str(expectation)), Decimal(str(perception)),
                      respondents, point["source"], recorded_by="Jeroen Bakker")
    for number, keys in WORKS_ON.items():
        set_touchpoints(organisation, initiatives[number], keys)
