"""The demo organisation: a Dutch B2B spare-parts distributor that wants webshop-grade delivery promises."""

import secrets
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import update

from cxroadmap.accounts.services import add_membership, create_user, membership_of, user_by_email
from cxroadmap.areas import DemoData, contributions
from cxroadmap.assessments.results import round_results
from cxroadmap.assessments.services import add_rater, confirm, open_round, save_answers
from cxroadmap.benefits.services import add_benefit, benefits_by_initiative, record_actual
from cxroadmap.coalition.services import add_member, create_team, log_role
from cxroadmap.demo_journey import seed_journey
from cxroadmap.demo_measures import seed_measures
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.governance.services import assign_action, plan_meeting, record_decision, set_action_done
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import StatusUpdate
from cxroadmap.initiatives.services import create_initiative
from cxroadmap.maturity.services import assess_stage
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import (
    create_organisation,
    delete_organisation,
    organisation_by_slug,
    slug_taken,
)
from cxroadmap.readiness.services import assess_readiness
from cxroadmap.timeutil import today

DEMO_SLUG = "van-dijk-onderdelen"
# Initiatives whose owners have not posted an update for a while, so the dashboard has someone to chase.
QUIET = (11, 12)
DEMO_ADMIN_EMAIL = "admin@vandijk-onderdelen.example"

MEMBERS = [  # name, email, function, title, role
    ("Marieke de Vries", "marieke.devries", "Executive board", "Chief Executive Officer", "sponsor"),
    ("Jeroen Bakker", "jeroen.bakker", "Customer service", "Customer Experience Lead", "lead"),
    ("Fatima El Amrani", "fatima.elamrani", "Customer service", "Head of Customer Service", "champion"),
    ("Pieter van den Berg", "pieter.vandenberg", "Sales", "Sales Director", "champion"),
    ("Ömer Yılmaz", "omer.yilmaz", "Logistics", "Logistics Manager", "champion"),
    ("Sanne Jansen", "sanne.jansen", "Marketing", "Marketing Manager", "member"),
    ("Lotte Visser", "lotte.visser", "Finance", "Financial Controller", "member"),
    ("Daan Mulder", "daan.mulder", "IT", "IT Manager", "member"),
    ("Anouk Smit", "anouk.smit", "HR", "HR Business Partner", "member"),
    ("Thijs de Boer", "thijs.deboer", "Product", "Product Manager, e-commerce", "member"),
    ("Chloé Martin", "chloe.martin", "Operations", "Operations Manager", "member"),
]

TEAMS = [  # name, function, [(days ago, statement, touchpoints, logged by)]
    ("Customer Service", "Customer service", [
        (400, "We answer questions about orders.", ["Phone", "Email"], "Fatima El Amrani"),
        (60, "We solve a customer's problem in the first contact and call back before the customer has to "
             "chase us: every delay is announced by us, not discovered by them.",
         ["Phone", "Email", "Chat", "Delivery-delay calls"], "Fatima El Amrani"),
    ]),
    ("Inside Sales", "Sales", [
        (90, "We quote the right part with a delivery promise we know the warehouse can keep, and we "
             "remember what each customer's fleet runs on.", ["Quotes", "Order intake", "Account reviews"],
         "Pieter van den Berg"),
    ]),
    ("Warehouse Tilburg", "Logistics", [
        (45, "Every order in before 18:00 leaves the same evening, picked right the first time; stock "
             "figures in the webshop are the stock on our shelves.", ["Picking", "Packing", "Stock levels"],
         "Ömer Yılmaz"),
    ]),
    ("Transport Planning", "Logistics", [
        (500, "We plan routes at the lowest cost.", ["Route planning"], "Ömer Yılmaz"),
    ]),
    ("E-commerce", "Product", [
        (30, "The webshop shows real stock, a real delivery time and the customer's own prices, and "
             "re-ordering a part takes three clicks.", ["Webshop", "Order confirmations", "Track & trace"],
         "Thijs de Boer"),
    ]),
    ("Finance & Credit Control", "Finance", [
        (120, "Invoices are right the first time and match the quote; disputes are settled within a week.",
         ["Invoices", "Credit checks", "Payment reminders"], "Lotte Visser"),
    ]),
    ("Field Service", "Operations", []),
]

# ref, title, question, owner, status, health, progress, start (days from today), due, target stage,
# one-off cost, running cost, benefits [(kind, description, volume, rate, unit value, amount, confidence, ramp)]
INITIATIVES = [
    ("Customer journey map for the repair-shop segment", "know_customers", "jeroen.bakker", "done", "green",
     100, -420, -240, "mobilise", "18000", "0",
     []),
    ("Relationship NPS survey twice a year", "know_customers", "sanne.jansen", "in_progress", "green", 70,
     -300, 40, "mobilise", "12000", "6000",
     [("revenue_retention", "Detractors called back within 48 hours", "1800", "0.01", "9500", None, "0.6", 6)]),
    ("Transactional CES after every service contact", "know_customers", "fatima.elamrani", "in_progress",
     "amber", 45, -150, 60, "operationalise", "9000", "4800",
     [("cost_reduction", "Fewer repeat contacts once root causes show", "42000", "0.08", "6.50", None, "0.7", 6)]),
    ("One customer view: ERP, CRM and webshop joined", "know_customers", "daan.mulder", "in_progress", "red",
     30, -200, -10, "operationalise", "145000", "22000",
     [("revenue_sales", "Cross-sell of consumables to repair shops", "1800", "0.04", "3200", None, "0.5", 9),
      ("cost_reduction", "No more re-keying of orders between systems", "26000", "0.5", "3.20", None, "0.8",
       3)]),
    ("Churn early-warning on order frequency", "know_customers", "pieter.vandenberg", "approved", "green", 0,
     30, 210, "operationalise", "25000", "3000",
     [("revenue_retention", "Saved accounts after an early call", "1800", "0.015", "9500", None, "0.5", 6)]),
    ("Customer advisory board of twelve fleet owners", "know_customers", "marieke.devries", "proposed",
     "green", 0, 90, 400, "align", "6000", "4000", []),
    ("Next-day-before-10:00 delivery promise", "know_experience", "omer.yilmaz", "in_progress", "amber", 55,
     -180, 20, "operationalise", "85000", "40000",
     [("revenue_sales", "Share of wallet from urgent orders now lost to competitors", "1800", "0.06", "4100",
       None, "0.6", 12)]),
    ("Proactive delay notifications by SMS and email", "know_experience", "fatima.elamrani", "in_progress",
     "green", 80, -120, 30, "operationalise", "22000", "5000",
     [("cost_reduction", "\"Where is my order?\" calls avoided", "18000", "0.4", "6.50", None, "0.8", 3)]),
    ("Real stock and delivery time in the webshop", "know_experience", "thijs.deboer", "in_progress", "green",
     60, -90, 75, "operationalise", "38000", "6000",
     [("revenue_sales", "Conversion uplift on webshop orders", "1800", "0.03", "2600", None, "0.6", 6),
      ("cost_reduction", "Fewer back-order calls", "9000", "0.6", "6.50", None, "0.8", 3)]),
    ("Experience principles: what 'easy to do business with' means here", "know_experience", "jeroen.bakker",
     "done", "green", 100, -260, -150, "mobilise", "8000", "0", []),
    ("Returns in five days, collected at the customer's site", "know_experience", "omer.yilmaz", "approved",
     "green", 10, 20, 180, "operationalise", "30000", "15000",
     [("cost_reduction", "Returns handled without a call", "5200", "0.5", "14", None, "0.7", 4),
      ("revenue_retention", "Fewer customers lost after a bad return", "1800", "0.005", "9500", None, "0.5",
       6)]),
    ("Invoice matches quote, first time", "know_experience", "lotte.visser", "on_hold", "amber", 20, -60, 120,
     "operationalise", "15000", "2000",
     [("cost_reduction", "Invoice disputes avoided", "2400", "0.7", "45", None, "0.7", 3)]),
    ("Self-service re-order for fleet customers", "know_experience", "thijs.deboer", "proposed", "green", 0,
     120, 420, "align", "55000", "9000",
     [("revenue_sales", "Repeat orders placed online", "900", "0.05", "5200", None, "0.4", 12)]),
    ("Brand promise workshops for every team", "know_roles", "anouk.smit", "in_progress", "green", 65, -100,
     45, "operationalise", "14000", "0", []),
    ("Role statements for all customer-facing teams", "know_roles", "jeroen.bakker", "in_progress", "amber",
     70, -80, -5, "operationalise", "0", "0", []),
    ("CX goals in performance reviews", "know_roles", "anouk.smit", "approved", "green", 5, 40, 300, "align",
     "10000", "2000", []),
    ("Warehouse floor dashboard: today's promises at risk", "know_roles", "omer.yilmaz", "in_progress", "red",
     25, -70, 15, "operationalise", "18000", "3000",
     [("cost_reduction", "Express shipments avoided by catching late picks", "1400", "0.5", "38", None, "0.7",
       2)]),
    ("Onboarding: a day in the customer's repair shop", "know_roles", "anouk.smit", "proposed", "green", 0, 60,
     240, "align", "7000", "3500", []),
    ("Service-recovery budget for front-line staff", "know_roles", "fatima.elamrani", "approved", "green", 0,
     14, 120, "operationalise", "2000", "12000",
     [("revenue_retention", "Customers kept after a failure was put right", "1800", "0.004", "9500", None,
       "0.5", 3)]),
    ("Loyalty programme with points", "know_customers", "sanne.jansen", "cancelled", "amber", 10, -200, -20,
     None, "5000", "0", []),
]


def _member_email(handle: str) -> str:
    return f"{handle}@vandijk-onderdelen.example"


def seed_demo(replace: bool = False) -> Organisation:
    """Create the demo organisation with its stage history, readiness, coalition, teams and initiatives."""
    if slug_taken(DEMO_SLUG):
        if not replace:
            raise DomainError(f"The demo organisation '{DEMO_SLUG}' exists already; use --replace.")
        delete_organisation(organisation_by_slug(DEMO_SLUG))
    now = today()

    def day(offset: int) -> date:
        return now + timedelta(days=offset)

    organisation = create_organisation(
        name="Van Dijk Onderdelen B.V.", slug=DEMO_SLUG, currency="EUR", discount_rate=Decimal("0.08"),
        brand_promise="The right part on your site tomorrow before 10:00 — and if anything slips, you hear "
                      "it from us first.",
        target_stage="operationalise", target_date=date(now.year + 1, 12, 31), locale="en",
        time_zone="Europe/Amsterdam")
    _seed_assessments(organisation, day)
    members = _seed_coalition(organisation, day)
    initiatives = _seed_initiatives(organisation, members, day)
    _seed_governance(organisation, initiatives, members, day)
    seed_journey(organisation, initiatives, day)
    seed_measures(organisation, members, initiatives, day)
    _seed_assessment_round(organisation, members, day)
    for share in contributions(DemoData):
        share.seed(organisation, now)
    return organisation


def _seed_assessments(organisation: Organisation, day) -> None:
    """Four years of stage history, and readiness scored twice."""
    for offset, stage, by, why in [
        (-1500, "ignore", "Marieke de Vries", "Service is a cost centre; no one measures how customers feel."),
        (-1000, "explore", "Marieke de Vries", "Two large fleet customers left for a competitor that delivers "
                                               "next day. The board asks what customer experience is worth."),
        (-560, "mobilise", "Jeroen Bakker", "CX coalition formed across eight functions; journey mapping of the "
                                            "repair-shop segment started."),
    ]:
        assess_stage(organisation, stage, day(offset), by, why)
    for offset, question, score, evidence in [
        (-400, "know_customers", 1, "Only order data; no experience data at all."),
        (-40, "know_customers", 3, "Relationship NPS (n = 412) and CES after service contacts; segments "
                                   "defined. O- and X-data not yet joined."),
        (-400, "know_experience", 1, "No shared idea of the experience we want to give."),
        (-40, "know_experience", 2, "Experience principles agreed; delivery promise defined but not yet kept "
                                    "everywhere."),
        (-40, "know_roles", 1, "Four of seven teams have described their role; performance reviews ignore CX."),
    ]:
        assess_readiness(organisation, question, score, day(offset), evidence)


def _seed_coalition(organisation: Organisation, day) -> dict:
    """The coalition's members (by handle) and the teams with their role statements over time."""
    members = {}
    for name, handle, function, title, role in MEMBERS:
        members[handle] = add_member(organisation, name, _member_email(handle), function, title, role)
    for name, function, statements in TEAMS:
        team = create_team(organisation, name, function)
        for offset, statement, touchpoints, by in statements:
            log_role(team, statement, touchpoints, day(-offset), by)
    return members


def _seed_initiatives(organisation: Organisation, members: dict, day) -> dict:
    """The initiatives (by number), each with its first status update, a recent one and its benefits."""
    now = day(0)
    initiatives = {}
    for number, (title, question, owner, status, health, progress, start, due, stage, one_off, running,
                 benefits) in enumerate(INITIATIVES, start=1):
        initiative = create_initiative(
            organisation, ref=f"INIT-{number}", title=title, readiness_question=question,
            description=f"{title}. Part of the programme to keep the brand promise.",
            owner=members[owner], status=status, health=health, progress=progress, start_date=day(start),
            due_date=day(due), target_stage=stage, one_off_cost=Decimal(one_off),
            annual_running_cost=Decimal(running))
        initiatives[number] = initiative
        # Its history starts when it did, as approved, and ends with a recent update saying where it stands.
        db.session.execute(update(StatusUpdate).where(StatusUpdate.initiative_id == initiative.id).values(
            posted_on=min(day(start), now - timedelta(days=60)), author=members[owner].name, status="approved",
            health="green", progress=0, note="Approved by the steering committee."))
        if status != "proposed":
            quiet = number in QUIET
            db.session.add(StatusUpdate(
                initiative=initiative, posted_on=day(-45 - number if quiet else -2 - number % 9),
                author=members[owner].name, status=status, health=health, progress=progress,
                note="Update to the steering committee."))
        for kind, description, volume, rate, unit_value, amount, confidence, ramp in benefits:
            add_benefit(initiative, kind=kind, description=description, volume=Decimal(volume),
                        rate=Decimal(rate), unit_value=Decimal(unit_value),
                        annual_amount=Decimal(amount) if amount else None, confidence=Decimal(confidence),
                        ramp_months=ramp)
    return initiatives


# The coalition and three colleagues from the floor say where Van Dijk stands (ig/ex/mo/op/al/em are the
# stages): leadership (lead), brand values (brand), engagement (people), customer insight (insight), the three
# readiness scores, the two views, a comment. Sales sees more than the service desk does.
ROUND_ANSWERS = {  # handle or outsider's name: (lead, brand, people, insight, know_customers, know_experience,
                   # know_roles, experience, service, comment)
    "marieke.devries": ("op", "mo", "ex", "mo", "3", "2", "1", "intentional", "reactive", ""),
    "jeroen.bakker": ("mo", "ex", "ex", "mo", "3", "2", "1", "random", "reactive",
                      "The journey map is done, but nothing in our processes has changed because of it yet."),
    "fatima.elamrani": ("mo", "ex", "ig", "op", "3", "2", "1", "random", "negative",
                        "Customers still have to chase us about late deliveries."),
    "pieter.vandenberg": ("mo", "mo", "op", "op", "3", "3", "2", "intentional", "reactive",
                          "Sales already works from the new delivery promise."),
    "omer.yilmaz": ("mo", "ex", "ex", "mo", "2", "2", "1", "random", "reactive", ""),
    "sanne.jansen": ("mo", "mo", "mo", "op", "3", "3", "dont_know", "intentional", "reactive", ""),
    "lotte.visser": ("mo", "ex", "dont_know", "mo", "2", "dont_know", "dont_know", "random", "reactive",
                     "Hard to judge from finance; we see costs, not customers."),
    "daan.mulder": ("mo", "ex", "ex", "mo", "3", "2", "1", "random", "reactive", ""),
    "anouk.smit": ("mo", "mo", "ex", "ex", "2", "2", "1", "intentional", "reactive",
                   "Performance reviews do not mention customers at all."),
    "chloe.martin": ("mo", "ex", "mo", "mo", "3", "2", "2", "intentional", "reactive", ""),
    "Eva Kramer": ("mo", "ex", "ex", "mo", "3", "2", "1", "random", "negative", ""),
    "Ruben Koster": ("mo", "ex", "ex", "mo", "2", "2", "1", "random", "reactive", ""),
}
OUTSIDERS = [("Eva Kramer", "eva.kramer", "Customer service"), ("Ruben Koster", "ruben.koster", "Logistics")]
_STAGE_SHORT = {"ig": "ignore", "ex": "explore", "mo": "mobilise", "op": "operationalise", "al": "align",
                "em": "embed"}
_ITEMS = ("leadership", "brand_values", "engagement", "customer_insight", "know_customers", "know_experience",
          "know_roles", "experience", "service")


def _seed_assessment_round(organisation, members, day) -> None:
    """One round, answered by twelve of thirteen raters and confirmed: the current stage came from it."""
    made = open_round(organisation, "Maturity check, autumn", day(-30), [m.id for m in members.values()],
                      opened_by=members["jeroen.bakker"].name, on=day(-50))
    for name, handle, function in OUTSIDERS:
        add_rater(made, name, _member_email(handle), function, on=day(-50))
    raters = {r.email: r for r in made.raters}
    outsiders = {name: handle for name, handle, _function in OUTSIDERS}
    for number, (who, answers) in enumerate(ROUND_ANSWERS.items()):
        rater = raters[_member_email(outsiders.get(who, who))]
        values = dict(zip(_ITEMS, answers[:9], strict=True))
        for item in _ITEMS[:4]:
            values[item] = _STAGE_SHORT.get(values[item], values[item])
        save_answers(rater, values, answers[9], "en", on=day(-45))
        rater.answered_at = datetime.combine(day(-48 + number), time(9 + number % 8, 7 * number % 60), UTC)
    results = round_results(made)
    confirm(made, results.suggested_stage_key, dict(results.suggested_scores), "", results.suggested_stage,
            results.suggested_scores, results.answered, confirmed_by=members["marieke.devries"].name, on=day(-28))


def _seed_governance(organisation, initiatives, members, day) -> None:
    """A few months of steering: history, milestones (one slipped), dependencies, realised savings, meetings."""
    for number, notes in {
        4: [(-120, "in_progress", "green", 10, "Data model agreed with IT and sales."),
            (-45, "in_progress", "amber", 25, "ERP vendor needs six more weeks for the connector.")],
        7: [(-150, "in_progress", "green", 20, "Two carriers shortlisted."),
            (-30, "in_progress", "amber", 50, "Carrier contract not yet signed; pilot region ready.")],
        17: [(-40, "in_progress", "amber", 15, "Warehouse screens ordered.")],
    }.items():
        for offset, status, health, progress, note in notes:
            db.session.add(StatusUpdate(initiative=initiatives[number], posted_on=day(offset), author="Jeroen Bakker",
                                        status=status, health=health, progress=progress, note=note))
    model = tracking.add_milestone(initiatives[4], "Customer data model agreed", day(-120))
    tracking.complete_milestone(model, day(-118))
    connector = tracking.add_milestone(initiatives[4], "ERP connector live", day(-40))
    tracking.move_milestone(connector, day(30), on=day(-45))
    tracking.add_milestone(initiatives[7], "Carrier contract signed", day(-10))
    feed = tracking.add_milestone(initiatives[9], "Real stock feed in the webshop", day(-20))
    tracking.complete_milestone(feed, day(-24))
    tracking.add_milestone(initiatives[9], "Delivery time shown per postcode", day(40))
    tracking.add_dependency(organisation, initiatives[9], initiatives[4])
    tracking.add_dependency(organisation, initiatives[13], initiatives[9])
    calls = benefits_by_initiative([initiatives[8]])[initiatives[8].id][0]
    for months_ago, amount in ((4, "1400"), (3, "1850"), (2, "2100"), (1, "2300")):
        month = day(-30 * months_ago)
        record_actual(calls, month, Decimal(amount), "Where-is-my-order calls avoided, from the phone system.")
    lead, sponsor, logistics = members["jeroen.bakker"], members["marieke.devries"], members["omer.yilmaz"]
    august = plan_meeting(organisation, day(-60), "Steering committee", [lead.id, sponsor.id, logistics.id],
                          [initiatives[4].id, initiatives[7].id], "Budget for 2027\nNPS results of the spring wave")
    record_decision(organisation, august, "Go ahead with two carriers for the next-day promise, one per region.",
                    [initiatives[7].id])
    done = assign_action(organisation, august, "Share the NPS verbatims with every team lead", lead.id, day(-45))
    set_action_done(done, True, on=day(-40))
    assign_action(organisation, august, "Sign the carrier contract", logistics.id, day(-20), initiatives[7].id)
    september = plan_meeting(organisation, day(-30), "Steering committee", [lead.id, sponsor.id],
                             [initiatives[4].id, initiatives[17].id])
    record_decision(organisation, september, "Accept the six-week delay of the ERP connector; the webshop stock "
                    "feed goes ahead on the old interface.", [initiatives[4].id, initiatives[9].id])
    assign_action(organisation, september, "Agree a fallback with the ERP vendor", members["daan.mulder"].id,
                  day(14), initiatives[4].id)
    plan_meeting(organisation, day(5), "Steering committee", [lead.id, sponsor.id],
                 [initiatives[4].id, initiatives[7].id, initiatives[17].id], "Approve the 2027 roadmap")


def ensure_demo_admin(organisation: Organisation) -> str | None:
    """Make the demo administrator an admin of the demo; returns a new random password when it was created."""
    user = user_by_email(DEMO_ADMIN_EMAIL)
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = create_user(DEMO_ADMIN_EMAIL, "Demo Administrator", password, site_admin=True)
    if membership_of(user, organisation) is None:
        add_membership(organisation, user.email, "admin")
    return password
