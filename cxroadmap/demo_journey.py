"""The demo organisation's customer journey: touchpoints of a spare-parts distributor, a year of scores, and
the initiatives that work on them."""

from datetime import date
from decimal import Decimal

from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.initiatives.touchpoints import set_touchpoints
from cxroadmap.journey.services import add_score, add_touchpoint, journey_stages

SURVEY = "Quarterly transactional survey"
PANEL = "Fleet-owner panel (12 customers)"
NPS = "Relationship NPS survey"

# stage (0–7 of the eight defaults), key, name, channel, owning team (None: nobody yet), moment of truth,
# scores [(days ago, expectation, perception, respondents, source)]
TOUCHPOINTS = [
    (0, "trade-fair", "Stand at the Transport & Logistics fair", "Trade fair", None, False,
     [(300, "4.8", "5.1", 36, "Visitor cards")]),
    (1, "find-the-part", "Finding the part by number plate or part number", "Webshop", "E-commerce", False,
     [(350, "6.0", "4.6", 210, SURVEY), (260, "6.0", "4.9", 198, SURVEY), (170, "6.1", "5.4", 224, SURVEY),
      (80, "6.1", "5.9", 231, SURVEY), (15, "6.2", "6.1", 240, SURVEY)]),
    (2, "quote", "Quote with price and delivery time the same day", "Email", "Inside Sales", False,
     [(340, "5.5", "5.6", 64, SURVEY), (160, "5.6", "5.9", 71, SURVEY), (25, "5.6", "6.1", 70, SURVEY)]),
    (3, "order-desk", "Calling the order desk", "Phone", "Customer Service", False,
     [(355, "5.8", "5.0", 180, SURVEY), (265, "5.8", "5.2", 172, SURVEY), (175, "5.9", "5.3", 190, SURVEY),
      (85, "5.9", "5.6", 188, SURVEY), (10, "6.0", "5.7", 195, SURVEY)]),
    (4, "order-confirmation", "Order confirmation with a delivery promise", "Email", "E-commerce", False,
     [(200, "6.0", "5.2", 240, SURVEY), (20, "6.1", "5.8", 236, SURVEY)]),
    (4, "credit-check", "Credit check for a new account", "Email", "Finance & Credit Control", False, []),
    (5, "on-site-before-10", "The part is on site before 10:00", "Delivery", "Transport Planning", True,
     [(360, "6.6", "4.1", 310, SURVEY), (270, "6.6", "4.3", 296, SURVEY), (180, "6.7", "4.6", 322, SURVEY),
      (90, "6.7", "5.0", 315, SURVEY), (12, "6.8", "5.2", 330, SURVEY)]),
    (5, "right-part", "Right part, first time", "Delivery", "Warehouse Tilburg", True,
     [(350, "6.9", "6.2", 300, SURVEY), (170, "6.9", "6.4", 318, SURVEY), (14, "6.9", "6.6", 325, SURVEY)]),
    (5, "delay-call", "We call before the customer notices a delay", "Phone", "Customer Service", True,
     [(330, "5.2", "3.4", 58, PANEL), (150, "5.6", "4.9", 61, PANEL), (30, "5.9", "6.2", 66, PANEL)]),
    (5, "field-engineer", "Field engineer fits a failed part", "Field service", "Field Service", False,
     [(120, "6.2", "5.8", 42, PANEL)]),
    (6, "invoice", "Invoice matches the quote", "Invoice", "Finance & Credit Control", True,
     [(400, "6.4", "4.4", 150, SURVEY), (230, "6.4", "4.7", 141, SURVEY)]),
    (6, "return-pickup", "Return collected at the customer's site", "Field service", "Transport Planning", False,
     [(210, "5.4", "4.2", 48, SURVEY), (40, "5.5", "4.5", 52, SURVEY)]),
    (6, "account-review", "Account review with the sales manager", "Sales visit", "Inside Sales", False,
     [(190, "4.9", "5.6", 28, NPS)]),
    (7, "recommendation", "Recommending us to another repair shop", "Word of mouth", None, False,
     [(180, "4.5", "4.0", 412, NPS), (30, "4.6", "4.4", 398, NPS)]),
]

# initiative number: the touchpoints it works on
WORKS_ON = {
    3: ["order-desk"], 7: ["on-site-before-10"], 8: ["delay-call"], 9: ["find-the-part", "order-confirmation"],
    11: ["return-pickup"], 12: ["invoice"], 13: ["find-the-part"], 17: ["on-site-before-10", "right-part"],
}


def seed_journey(organisation, initiatives: dict, day) -> None:
    """Touchpoints on the eight default stages, scored over a year, named by the initiatives working on them."""
    stages = journey_stages(organisation)
    teams = {team.name: team for team in teams_with_roles(organisation)}
    for stage, key, name, channel, team, moment, scores in TOUCHPOINTS:
        owner = teams[team].id if team else None
        touchpoint = add_touchpoint(organisation, stages[stage].id, name, channel, owner, moment, key=key)
        for days_ago, expectation, perception, respondents, source in scores:
            scored_on: date = day(-days_ago)
            add_score(organisation, touchpoint, scored_on, Decimal(expectation), Decimal(perception), respondents,
                      source, recorded_by="Jeroen Bakker")
    for number, keys in WORKS_ON.items():
        set_touchpoints(organisation, initiatives[number], keys)
