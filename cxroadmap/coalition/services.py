"""The coalition's members, the teams, and the role each team logs in delivering the brand promise."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from cxroadmap.coalition.models import CoalitionMember, RoleStatement, Team
from cxroadmap.coalition.roles import COALITION_ROLES
from cxroadmap.emails import email_problem, has_control_characters, normal_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation, hold
from cxroadmap.portions import Portion
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy

MAX_TOUCHPOINTS = 50


def check_member(values: dict) -> Problems:
    problems = Problems()
    check_line(problems, "name", values["name"], 200, required=True)
    problems.require(email_problem(values["email"]) is None, "email", email_problem(values["email"]) or "")
    check_line(problems, "email", values["email"], 254)
    check_line(problems, "function", values["function"], 100)
    check_line(problems, "title", values["title"], 200)
    problems.require(values["coalition_role"] in COALITION_ROLES, "coalition_role",
                     COALITION_ROLES.describe())
    problems.require(isinstance(values["active"], bool), "active", _("Say yes or no."))
    return problems


def _email_taken(organisation: Organisation, email: str, besides: CoalitionMember | None) -> bool:
    if has_control_characters(email):
        return False  # refused as an address anyway, and never sent to the database
    query = select(CoalitionMember.id).where(CoalitionMember.organisation_id == organisation.id,
                                             CoalitionMember.email == email)
    if besides is not None:
        query = query.where(CoalitionMember.id != besides.id)
    return db.session.scalar(query) is not None


def _member_values(name, email, function, title, coalition_role, active) -> dict:
    return {"name": tidy(name), "email": normal_email(email), "function": tidy(function),
            "title": tidy(title), "coalition_role": coalition_role, "active": active}


def add_member(organisation: Organisation, name: str, email: str, function: str = "", title: str = "",
               coalition_role: str = "member", active: bool = True) -> CoalitionMember:
    """A new coalition member; the email identifies them within the organisation."""
    values = _checked_member(organisation, None, name, email, function, title, coalition_role, active)
    member = CoalitionMember(organisation_id=organisation.id, **values)
    db.session.add(member)
    db.session.flush()
    return member


def update_member(organisation: Organisation, member: CoalitionMember, name: str, email: str,
                  function: str, title: str, coalition_role: str, active: bool,
                  expected_version: int | None = None) -> CoalitionMember:
    member.check_version(expected_version, _("this member"))
    values = _checked_member(organisation, member, name, email, function, title, coalition_role, active)
    for key, value in values.items():
        setattr(member, key, value)
    db.session.flush()
    return member


def _checked_member(organisation: Organisation, member: CoalitionMember | None, *fields) -> dict:
    """The member's values as they will be kept, or DomainError naming each problem (one email, one member)."""
    values = _member_values(*fields)
    problems = check_member(values)
    problems.require(not _email_taken(organisation, values["email"], member), "email",
                     _("Another member of this coalition has this email address."))
    problems.raise_if_any()
    return values


def coalition_members(organisation: Organisation, active_only: bool = False) -> list[CoalitionMember]:
    """Members ordered by role (sponsor first), then name."""
    query = CoalitionMember.scoped_to(organisation)
    if active_only:
        query = query.where(CoalitionMember.active.is_(True))
    members = list(db.session.scalars(query))
    return sorted(members, key=lambda m: (COALITION_ROLES.position(m.coalition_role), m.name.casefold(), m.id))


def owner_by_email(organisation: Organisation, email: str | None) -> CoalitionMember | None:
    """The coalition member an owner field names by email (as the API names owners); none for no email, and a
    refusal on the field `owner` for an email no member of the organisation has."""
    if not email:
        return None
    if has_control_characters(email):  # which no address has, and PostgreSQL refuses in any text (a NUL)
        raise DomainError({"owner": _("No coalition member of this organisation has the email %(email)s.",
                                      email=email.encode("unicode_escape").decode("ascii"))})
    owner = db.session.scalar(CoalitionMember.scoped_to(organisation).where(
        CoalitionMember.email == normal_email(email)).order_by(CoalitionMember.id).limit(1))
    if owner is None:
        raise DomainError({"owner": _("No coalition member of this organisation has the email %(email)s.",
                                      email=email)})
    return owner


def member_names(organisation: Organisation) -> list:
    """(id, name) of every member, in the order of `coalition_members`: for a list of names to choose from (the
    initiatives list's owner filter), read as two columns rather than as two hundred whole members."""
    rows = db.session.execute(CoalitionMember.scoped_to(organisation).with_only_columns(
        CoalitionMember.id, CoalitionMember.name, CoalitionMember.coalition_role)).all()
    rows.sort(key=lambda m: (COALITION_ROLES.position(m.coalition_role), m.name.casefold(), m.id))
    return rows


def check_team(values: dict) -> Problems:
    problems = Problems()
    check_line(problems, "name", values["name"], 200, required=True)
    check_line(problems, "function", values["function"], 100)
    return problems


def _team_name_taken(organisation: Organisation, name: str, besides: Team | None) -> bool:
    # Compared here, not in SQL: SQLite's lower() folds only ASCII, and "Équipe" must clash with "équipe".
    query = select(Team.id, Team.name).where(Team.organisation_id == organisation.id)
    wanted = name.casefold()
    return any(other.casefold() == wanted for team_id, other in db.session.execute(query)
               if besides is None or team_id != besides.id)


def _checked_team(organisation: Organisation, team: Team | None, name: str, function: str) -> dict:
    """The team's values as they will be kept, or DomainError naming each problem (names are unique)."""
    values = {"name": tidy(name), "function": tidy(function)}
    problems = check_team(values)
    hold(organisation)
    problems.require(not _team_name_taken(organisation, values["name"], team), "name",
                     _("There is already a team of this name."))
    problems.raise_if_any()
    return values


def create_team(organisation: Organisation, name: str, function: str = "") -> Team:
    team = Team(organisation_id=organisation.id, **_checked_team(organisation, None, name, function))
    db.session.add(team)
    db.session.flush()
    return team


def update_team(organisation: Organisation, team: Team, name: str, function: str,
                expected_version: int | None = None) -> Team:
    team.check_version(expected_version, _("this team"))
    values = _checked_team(organisation, team, name, function)
    team.name, team.function = values["name"], values["function"]
    db.session.flush()
    return team


def parse_touchpoints(text: str) -> list[str]:
    """Touchpoints typed one per line or separated by commas, trimmed, without repeats."""
    seen, result = set(), []
    for part in tidy(text).replace(",", "\n").split("\n"):
        item = part.strip()
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            result.append(item)
    return result


def check_role_statement(values: dict) -> Problems:
    problems = Problems()
    check_text(problems, "statement", values["statement"], 5000, required=True)
    touchpoints = values["touchpoints"]
    problems.require(len(touchpoints) <= MAX_TOUCHPOINTS, "touchpoints",
                     _("At most %(count)s touchpoints.", count=MAX_TOUCHPOINTS))
    problems.require(all(isinstance(t, str) and 0 < len(t) <= 200 for t in touchpoints), "touchpoints",
                     _("Each touchpoint is a name of at most 200 characters."))
    check_date(problems, "logged_on", values["logged_on"], required=True,
               not_after=today() + timedelta(days=1))
    check_line(problems, "logged_by", values["logged_by"], 200)
    return problems


def log_role(team: Team, statement: str, touchpoints: list[str], logged_on: date,
             logged_by: str = "") -> RoleStatement:
    """Record the team's role in delivering the brand promise; the latest statement is its current one."""
    values = {"statement": tidy(statement), "touchpoints": [tidy(t) for t in touchpoints],
              "logged_on": logged_on, "logged_by": tidy(logged_by)}
    check_role_statement(values).raise_if_any()
    role = RoleStatement(team=team, **values)
    db.session.add(role)
    db.session.flush()
    return role


def teams_with_roles(organisation: Organisation) -> list[Team]:
    """Every team with its statements loaded (one query for all), ordered by name."""
    query = Team.scoped_to(organisation).options(selectinload(Team.statements)).order_by(
        func.lower(Team.name), Team.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RoleCoverage(Portion):
    """How many teams (the whole) have a statement of their role from the last `max_age_days` (the part): a
    direct readiness signal."""

    max_age_days: int


def is_current(statement: RoleStatement | None, on: date, max_age_days: int) -> bool:
    """Whether statement is recent enough to count as the team's current role."""
    return statement is not None and (on - statement.logged_on).days <= max_age_days


def organisation_role_coverage(organisation: Organisation, on: date, max_age_days: int) -> RoleCoverage:
    """Coverage of all the organisation's teams on a date, counted by the database (one query): what
    role_coverage says of them, without loading a team or a statement."""
    latest = (select(RoleStatement.team_id, func.max(RoleStatement.logged_on).label("logged_on"))
              .group_by(RoleStatement.team_id).subquery())
    current = case((latest.c.logged_on >= on - timedelta(days=max_age_days), 1))
    query = (select(func.count(Team.id), func.count(current)).select_from(Team)
             .outerjoin(latest, latest.c.team_id == Team.id).where(Team.organisation_id == organisation.id))
    teams, covered = db.session.execute(query).one()
    return RoleCoverage(part=covered, whole=teams, max_age_days=max_age_days)


def role_coverage(teams: list[Team], on: date, max_age_days: int) -> RoleCoverage:
    """Coverage of the given teams (as loaded by teams_with_roles) on a date."""
    covered = sum(1 for team in teams if is_current(team.current_statement, on, max_age_days))
    return RoleCoverage(part=covered, whole=len(teams), max_age_days=max_age_days)
