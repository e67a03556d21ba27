"""factory_boy factories for the domain's tables; each one commits, so pages served in tests see it."""

from datetime import date
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.accounts.passwords import hash_password
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.coalition.models import CoalitionMember, RoleStatement, Team
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone
from cxroadmap.jobs.models import Job
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.measures.models import InitiativeKpi, Kpi, KpiReading
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.reports.models import IssuedReport


class Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


PASSWORD = "correct horse battery staple 9"
_PASSWORD_HASH = hash_password(PASSWORD)


class UserFactory(Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = _PASSWORD_HASH
    active = True
    site_admin = False


class MembershipFactory(Factory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "viewer"


class OrganisationFactory(Factory):
    class Meta:
        model = Organisation

    @factory.post_generation
    def site_administrators(organisation, create, extracted, **kwargs):
        """As when one sets it up through the form: the site administrators become its administrators."""
        for user in db.session.scalars(select(User).where(User.site_admin)):
            db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="admin"))
        db.session.commit()

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    brand_promise = "Right part, right place, next morning."
    currency = "EUR"
    discount_rate = Decimal("0.08")
    locale = "en"


class StageAssessmentFactory(Factory):
    class Meta:
        model = StageAssessment

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    stage = "explore"
    assessed_on = date(2026, 1, 15)
    assessed_by = "Assessor"
    rationale = ""

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class ReadinessAssessmentFactory(Factory):
    class Meta:
        model = ReadinessAssessment

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    question = "know_customers"
    score = 2
    assessed_on = date(2026, 1, 15)
    evidence = ""

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class MemberFactory(Factory):
    class Meta:
        model = CoalitionMember

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    function = "Sales"
    title = "Manager"
    coalition_role = "member"
    active = True

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class TeamFactory(Factory):
    class Meta:
        model = Team

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    name = factory.Sequence(lambda n: f"Team {n}")
    function = "Logistics"

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class RoleStatementFactory(Factory):
    class Meta:
        model = RoleStatement

    team = factory.SubFactory(TeamFactory)
    statement = "We ship every order the same day."
    touchpoints = factory.LazyFunction(lambda: ["Picking", "Packing"])
    logged_on = date(2026, 10, 1)
    logged_by = "Team lead"


class InitiativeFactory(Factory):
    class Meta:
        model = Initiative

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    ref = factory.Sequence(lambda n: f"INIT-{n + 1}")
    title = factory.Sequence(lambda n: f"Initiative {n}")
    description = ""
    readiness_question = "know_customers"
    status = "in_progress"
    health = "green"
    progress = 10
    one_off_cost = Decimal("10000.00")
    annual_running_cost = Decimal("0.00")
    archived = False

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class BenefitFactory(Factory):
    class Meta:
        model = BenefitEstimate

    initiative = factory.SubFactory(InitiativeFactory)
    kind = "cost_reduction"
    description = "Fewer calls"
    annual_amount = Decimal("12000.00")
    confidence = Decimal("1")
    ramp_months = 0


class IssuedReportFactory(Factory):
    class Meta:
        model = IssuedReport

    kind = "summary"
    issued_by = "someone@example.com"
    filename = "org-summary-2026-01-01.pdf"
    content = b"%PDF-1.4 stored bytes"
    sha256 = factory.LazyAttribute(lambda o: __import__("hashlib").sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))
    snapshot = factory.LazyFunction(dict)


class MilestoneFactory(Factory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = date(2026, 6, 30)
    original_due_on = factory.SelfAttribute("due_on")


class DependencyFactory(Factory):
    class Meta:
        model = Dependency


class MeetingFactory(Factory):
    class Meta:
        model = SteeringMeeting

    held_on = date(2026, 10, 1)
    title = "Steering committee"


class DecisionFactory(Factory):
    class Meta:
        model = Decision

    text = "Go ahead."


class ActionFactory(Factory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = date(2026, 10, 15)
    status = "open"


class JourneyStageFactory(Factory):
    class Meta:
        model = JourneyStage

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n + 1)

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class TouchpointFactory(Factory):
    class Meta:
        model = Touchpoint

    organisation_id = factory.LazyAttribute(lambda o: o.stage.organisation_id)
    stage_id = factory.LazyAttribute(lambda o: o.stage.id)
    key = factory.Sequence(lambda n: f"touchpoint-{n}")
    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    channel = "Phone"
    moment_of_truth = False
    position = factory.Sequence(lambda n: n + 1)

    class Params:
        stage = factory.SubFactory(JourneyStageFactory)


class TouchpointScoreFactory(Factory):
    class Meta:
        model = TouchpointScore

    touchpoint_id = factory.LazyAttribute(lambda o: o.touchpoint.id)
    scored_on = date(2026, 6, 1)
    expectation = Decimal("6.00")
    perception = Decimal("5.00")
    respondents = 40
    source = "Survey"

    class Params:
        touchpoint = factory.SubFactory(TouchpointFactory)


class KpiFactory(Factory):
    """An X-data NPS KPI from 20 (start of 2026) to 40 (start of 2027)."""

    class Meta:
        model = Kpi

    organisation_id = factory.LazyAttribute(lambda o: o.organisation.id)
    code = factory.Sequence(lambda n: f"KPI-{n + 1}")
    name = factory.Sequence(lambda n: f"KPI {n}")
    kind = "x_data"
    measure = "nps"
    unit = ""
    direction = "up"
    baseline_value = Decimal("20")
    baseline_on = date(2026, 1, 1)
    target_value = Decimal("40")
    target_on = date(2027, 1, 1)

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)


class KpiReadingFactory(Factory):
    class Meta:
        model = KpiReading

    taken_on = date(2026, 6, 1)
    value = Decimal("25")


class InitiativeKpiFactory(Factory):
    class Meta:
        model = InitiativeKpi

    expected_change = Decimal("5")


def assessment_round(organisation, raters: int = 3, title: str = "Spring check", opened_on: date | None = None,
                     closes_on: date | None = None, functions: tuple[str, ...] = ("Sales",)):
    """An open round (through the services, so that every rater has a real link) with `raters` coalition
    members as raters, their functions taken in turn from `functions`; returns (round, {rater id: token})."""
    from datetime import timedelta

    from cxroadmap.assessments import links, services
    from cxroadmap.timeutil import today

    opened_on = opened_on or today()
    members = [MemberFactory(organisation=organisation, function=functions[n % len(functions)])
               for n in range(raters)]
    made = services.open_round(organisation, title, closes_on or opened_on + timedelta(days=14),
                               [m.id for m in members], on=opened_on)
    db.session.commit()
    return made, {r.id: links.token_for(r) for r in made.raters}


class JobFactory(Factory):
    """A finished background report of organisation_id, asked for by user_id."""

    class Meta:
        model = Job

    kind = "report"
    parameters = factory.LazyFunction(lambda: {"kind": "summary", "issue": False})
    language = "en"
    state = "done"
    progress = 100
    message = ""
    result = b"%PDF-1.4 built in the background"
    result_filename = "org-summary-2026-01-01.pdf"
    result_type = "application/pdf"
    result_size = factory.LazyAttribute(lambda o: len(o.result or b""))
