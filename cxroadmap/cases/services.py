"""Follow-up cases: the settings, opening a case from an answer, working it, and the lists of cases."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as sql_case
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cxroadmap.accounts.models import Membership, User
from cxroadmap.cases import clock, customer_message, rules
from cxroadmap.cases.kinds import CASE_STATUSES, CLOSED, OPEN
from cxroadmap.cases.models import Case, CaseSettings
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.feedback import IMPORT_WINDOW_DAYS, FeedbackAnswer
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.timeutil import aware, local_date, utcnow
from cxroadmap.validation import Problems, check_text, tidy

# Answers imported from a CSV open cases only when given within IMPORT_WINDOW_DAYS: importing last year's answers
# must not flood the teams with cases nobody can still follow up.
SCALE_OF = {"nps_at_most": (0, 10), "csat_at_most": (1, 5), "ces_at_most": (1, 7), "gap_at_most": (-6, 0)}


# -- the settings ------------------------------------------------------------------------------------------

def settings_of(organisation: Organisation) -> CaseSettings:
    """The organisation's settings as kept, or the defaults (not added to the session) when none are kept."""
    kept = db.session.get(CaseSettings, organisation.id)
    if kept is not None:
        return kept
    return CaseSettings(organisation_id=organisation.id, nps_at_most=6, csat_at_most=2, ces_at_most=3,
                        gap_at_most=-2, service_days=2, root_causes=[], version=0, tells_customer=False,
                        customer_message_en="", customer_message_nl="")


_OPENING = "cxroadmap_case_rules_read"  # organisation id -> (its settings, its time zone), until the transaction ends


def _opening_settings(organisation_id: int) -> tuple[CaseSettings, str] | None:
    """The settings and time zone the answers of one transaction are held against, read once for all of them (a
    flood of answers settled together asks for each); None for an organisation that is gone."""
    read = db.session().info.setdefault(_OPENING, {})
    if organisation_id not in read:
        organisation = db.session.get(Organisation, organisation_id)
        read[organisation_id] = None if organisation is None else (settings_of(organisation), organisation.time_zone)
    return read[organisation_id]


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_opening_settings(session, transaction):
    if transaction.parent is None:  # a change of the settings committed since is read by the next transaction
        session.info.pop(_OPENING, None)


def rule_of(settings: CaseSettings) -> rules.AlertRule:
    return rules.AlertRule(settings.nps_at_most, settings.csat_at_most, settings.ces_at_most, settings.gap_at_most)


def root_causes(settings: CaseSettings) -> list[dict]:
    return rules.causes_or_defaults(settings.root_causes)


def _message_problems(problems: Problems, tells_customer: bool, messages: dict[str, str]) -> None:
    """Each template must read (known placeholders only); when the customer is told, each must say something."""
    for language, text in messages.items():
        field = f"customer_message_{language}"
        problems.require(not tells_customer or bool(tidy(text)), field,
                         _("Write the message, or stop telling customers."))
        problem = customer_message.template_problem(tidy(text))
        problems.require(problem is None, field, problem or "")


def settings_problems(nps_at_most, csat_at_most, ces_at_most, gap_at_most, service_days,
                      root_causes_text: str, tells_customer: bool = False, customer_message_en: str = "",
                      customer_message_nl: str = "", **_ignored) -> Problems:
    """What update_settings would refuse, each beside its field; checks and writes nothing."""
    problems = Problems()
    _message_problems(problems, tells_customer, {"en": customer_message_en, "nl": customer_message_nl})
    values = {"nps_at_most": nps_at_most, "csat_at_most": csat_at_most, "ces_at_most": ces_at_most,
              "gap_at_most": gap_at_most}
    for name, value in values.items():
        low, high = SCALE_OF[name]
        problems.require(value is None or low <= value <= high, name,
                         _("A whole number from %(low)s to %(high)s, or empty to open no cases by it.",
                           low=low, high=high))
    problems.require(service_days is not None and 1 <= service_days <= 30, "service_days",
                     _("A whole number of working days from 1 to 30."))
    causes, cause_problems = rules.read_causes(root_causes_text)
    problems.require(not cause_problems, "root_causes", " ".join(cause_problems))
    problems.require(bool(causes), "root_causes", _("Name at least one root cause."))
    return problems


def update_settings(organisation: Organisation, nps_at_most, csat_at_most, ces_at_most, gap_at_most,
                    service_days, root_causes_text: str, expected_version: int | None = None,
                    tells_customer: bool = False, customer_message_en: str = "",
                    customer_message_nl: str = "") -> CaseSettings:
    """Keep the alert rule, service level, root causes and the message to customers whose case is resolved;
    DomainError naming every problem at once."""
    settings_problems(nps_at_most, csat_at_most, ces_at_most, gap_at_most, service_days, root_causes_text,
                      tells_customer, customer_message_en, customer_message_nl).raise_if_any()
    settings = db.session.get(CaseSettings, organisation.id)
    if settings is None:
        settings = CaseSettings(organisation_id=organisation.id, root_causes=[])
        db.session.add(settings)
    elif expected_version:
        settings.check_version(expected_version, _("the follow-up settings"))
    settings.nps_at_most, settings.csat_at_most = nps_at_most, csat_at_most
    settings.ces_at_most, settings.gap_at_most = ces_at_most, gap_at_most
    settings.service_days = service_days
    settings.root_causes = rules.keep_keys(root_causes(settings), rules.read_causes(root_causes_text)[0])
    settings.tells_customer = bool(tells_customer)
    settings.customer_message_en, settings.customer_message_nl = tidy(customer_message_en), tidy(customer_message_nl)
    db.session.flush()
    return settings


# -- opening a case from an answer -----------------------------------------------------------------------

def team_of(touchpoint: Touchpoint | None) -> Team | None:
    return touchpoint.team if touchpoint is not None else None


def opens_case(settings: CaseSettings, answer: FeedbackAnswer, now: datetime, time_zone: str) -> bool:
    """Whether the answer opens a case: it meets the rule, and an imported one is recent."""
    if not rules.meets_rule(rule_of(settings), answer):
        return False
    if answer.source == "import":
        answered_on = local_date(aware(answer.answered_at), time_zone)
        return (local_date(now, time_zone) - answered_on).days < IMPORT_WINDOW_DAYS
    return True


def open_case(answer: FeedbackAnswer, now: datetime | None = None) -> Case | None:
    """The case the answer opens for the team that owns its touchpoint (the CX lead's when none), or None when
    it does not meet the organisation's rule. Flushes, never commits: it belongs to the answer's transaction."""
    now = now or utcnow()
    read = _opening_settings(answer.organisation_id)
    if read is None:
        return None
    settings, time_zone = read
    if not opens_case(settings, answer, now, time_zone):
        return None
    organisation = db.session.get_one(Organisation, answer.organisation_id)
    touchpoint = None
    if answer.touchpoint_id is not None:
        touchpoint = db.session.get(Touchpoint, answer.touchpoint_id)
        if touchpoint is not None and touchpoint.organisation_id != organisation.id:
            touchpoint = None
    team = team_of(touchpoint)
    agreed = bool(answer.contact)
    found = Case(
        organisation=organisation, touchpoint=touchpoint, team=team, status="new", source=answer.source[:20],
        answer_id=answer.answer_id,
        survey_title=tidy(answer.survey_title)[:200], answered_at=answer.answered_at, measure=answer.measure,
        score=answer.score, expectation=answer.expectation, perception=answer.perception,
        comment=tidy(answer.comment)[:5000], language=answer.language if answer.language in ("en", "nl") else "en",
        contact_name=tidy(answer.contact_name)[:200] or None if agreed else None,
        contact=tidy(answer.contact)[:254] if agreed else None,
        opened_at=now, due_at=clock.due_moment(now, settings.service_days, organisation.time_zone),
        updated_by="cxroadmap")
    db.session.add(found)
    db.session.flush()
    return found


# -- who is told, who works it ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def cx_leads(organisation_id: int) -> list[CoalitionMember]:
    return list(db.session.scalars(select(CoalitionMember).where(
        CoalitionMember.organisation_id == organisation_id, CoalitionMember.active.is_(True),
        CoalitionMember.coalition_role == "lead").order_by(CoalitionMember.name)))


def team_members(team: Team) -> list[CoalitionMember]:
    """The team's people: the active coalition members from the team's function (the coalition keeps no other
    tie between a member and a team)."""
    if not team.function:
        return []
    return list(db.session.scalars(select(CoalitionMember).where(
        CoalitionMember.organisation_id == team.organisation_id, CoalitionMember.active.is_(True),
        func.lower(CoalitionMember.function) == team.function.lower()).order_by(CoalitionMember.name)))


def recipients(case: Case) -> list[Recipient]:
    """Who hears of the case: its owner; else the team's members; else the CX lead; else steering."""
    people: list = []
    if case.owner is not None and case.owner.active:
        people = [case.owner]
    elif case.team is not None:
        people = team_members(case.team)
    if not people:
        people = cx_leads(case.organisation_id)
    if people:
        return [Recipient(person.name, person.email) for person in people]
    steering = db.session.execute(
        select(User.name, User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == case.organisation_id, Membership.role.in_(("steering", "admin")))
        .order_by(User.email))
    return [Recipient(name or email, email) for name, email in steering]


def owner_choices(organisation: Organisation, team: Team | None) -> list[CoalitionMember]:
    """Whom a case may be given to: the team's members first, then every other active member."""
    everyone = list(db.session.scalars(CoalitionMember.scoped_to(organisation).where(
        CoalitionMember.active.is_(True)).order_by(CoalitionMember.name)))
    ours = {member.id for member in team_members(team)} if team is not None else set()
    return [m for m in everyone if m.id in ours] + [m for m in everyone if m.id not in ours]


# -- working a case --------------------------------------------------------------------------------------

def _member(organisation: Organisation, member_id: int | None) -> CoalitionMember | None:
    if member_id is None:
        return None
    return db.session.scalar(CoalitionMember.scoped_to(organisation).where(CoalitionMember.id == member_id))


def _initiative(organisation: Organisation, ref: str) -> Initiative | None:
    return db.session.scalar(Initiative.scoped_to(organisation).where(Initiative.ref == ref.strip().upper()))


def case_problems(organisation: Organisation, case: Case, *, status: str, owner_id: int | None, outcome: str,
                  root_cause: str, notes: str, initiative_ref: str, seen_status: str | None) -> Problems:
    """What update_case would refuse, each beside its field; checks and writes nothing."""
    problems = Problems()
    problems.require(status in CASE_STATUSES, "status", CASE_STATUSES.describe())
    changes_status = status != case.status
    if changes_status and seen_status and seen_status != case.status:
        problems.require(False, "status", _("Someone else marked this case %(status)s after you opened it; "
                                            "nothing was saved. Reload the page to see it.",
                                            status=CASE_STATUSES.label(case.status).lower()))
    if changes_status and case.closed:
        problems.require(False, "status", _("This case is closed; its status no longer changes."))
    if changes_status and status == "new":
        problems.require(False, "status", _("A case that was followed up cannot become new again."))
    problems.require(owner_id is None or _member(organisation, owner_id) is not None, "owner_id",
                     _("Choose one of the organisation's coalition members, or nobody."))
    causes = root_causes(settings_of(organisation))
    problems.require(not root_cause or any(c["key"] == root_cause for c in causes) or root_cause == case.root_cause,
                     "root_cause", _("Choose one of the organisation's root causes."))
    ref = tidy(initiative_ref)
    problems.require(not ref or _initiative(organisation, ref) is not None, "initiative_ref",
                     _("No initiative %(ref)s in this organisation.", ref=ref[:32]))
    check_text(problems, "outcome", tidy(outcome), 5000)
    check_text(problems, "notes", tidy(notes), 10000)
    problems.require(status not in CLOSED or bool(tidy(outcome)), "outcome",
                     _("Say what came of it before you close the case."))
    return problems


def update_case(organisation: Organisation, case: Case, *, status: str, owner_id: int | None, outcome: str,
                root_cause: str, notes: str, initiative_ref: str, seen_status: str | None,
                now: datetime | None = None) -> Case:
    """Record what was done. A status change is checked against the case as it is now (someone may have closed
    it since the form was opened: the first wins); every problem is named at once."""
    now = now or utcnow()
    hold_row(case)
    case_problems(organisation, case, status=status, owner_id=owner_id, outcome=outcome, root_cause=root_cause,
                  notes=notes, initiative_ref=initiative_ref, seen_status=seen_status).raise_if_any()
    if status != case.status:
        case.status = status
        if case.followed_up_at is None:
            case.followed_up_at = now
        if status in CLOSED:
            case.closed_at = now
    case.owner = _member(organisation, owner_id)
    case.outcome, case.root_cause, case.notes = tidy(outcome), root_cause, tidy(notes)
    case.initiative = _initiative(organisation, initiative_ref) if tidy(initiative_ref) else None
    db.session.flush()
    return case


# -- lists -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFilter:
    status: str = ""  # a status, "open" or "" for all
    team_id: int | None = None  # 0: no team (the CX lead's)
    touchpoint_id: int | None = None
    overdue: bool = False


def _overdue_first(now: datetime):
    late = sql_case((((Case.status == "new") & (Case.due_at < now)), 0), else_=1)
    still_open = sql_case((Case.status.in_(OPEN), 0), else_=1)
    return late, still_open, Case.due_at, Case.id


def cases(organisation: Organisation, wanted: CaseFilter, now: datetime, limit: int = 500) -> list[Case]:
    """The organisation's cases that match, overdue first, then open ones by due date, then closed ones."""
    return list(db.session.scalars(cases_query(organisation, wanted, now).limit(limit)))


def cases_query(organisation: Organisation, wanted: CaseFilter, now: datetime):
    """The query of `cases`, unlimited (the API pages it)."""
    query = Case.scoped_to(organisation).options(
        selectinload(Case.team), selectinload(Case.touchpoint), selectinload(Case.owner),
        selectinload(Case.initiative), selectinload(Case.organisation))
    if wanted.status == "open":
        query = query.where(Case.status.in_(OPEN))
    elif wanted.status in CASE_STATUSES:
        query = query.where(Case.status == wanted.status)
    if wanted.team_id == 0:
        query = query.where(Case.team_id.is_(None))
    elif wanted.team_id is not None:
        query = query.where(Case.team_id == wanted.team_id)
    if wanted.touchpoint_id is not None:
        query = query.where(Case.touchpoint_id == wanted.touchpoint_id)
    if wanted.overdue:
        query = query.where(Case.status == "new", Case.due_at < now)
    return query.order_by(*_overdue_first(now))


def overdue_count(organisation: Organisation, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Case).where(
        Case.organisation_id == organisation.id, Case.status == "new", Case.due_at < now)) or 0


def open_count(organisation: Organisation) -> int:
    return db.session.scalar(select(func.count()).select_from(Case).where(
        Case.organisation_id == organisation.id, Case.status.in_(OPEN))) or 0


def cases_of_initiative(initiative: Initiative) -> list[Case]:
    return list(db.session.scalars(select(Case).where(
        Case.organisation_id == initiative.organisation_id, Case.initiative_id == initiative.id)
        .options(selectinload(Case.touchpoint)).order_by(Case.opened_at.desc(), Case.id.desc())))


def overdue_unreminded(now: datetime, limit: int = 500) -> list[Case]:
    """Cases past their service level that nobody followed up and nobody was reminded of yet."""
    return list(db.session.scalars(select(Case).where(
        Case.status == "new", Case.due_at < now, Case.reminded_at.is_(None)).order_by(Case.id).limit(limit)))
