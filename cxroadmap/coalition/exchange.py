"""The keys `coalition` and `teams` of a cxroadmap/1 document: the guiding coalition's members, and the teams
with their role statements. The rest of the document names members by email and teams by name."""

from cxroadmap.coalition.models import CoalitionMember, RoleStatement, Team
from cxroadmap.coalition.services import check_member, check_role_statement, check_team, teams_with_roles
from cxroadmap.emails import normal_email
from cxroadmap.exchangekit.parts import ExchangePart, Writing
from cxroadmap.exchangekit.reading import Reader, note_repeats, read_each, read_one
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.validation import tidy

MEMBER = {"name": ("text", True), "email": ("text", True), "function": ("text", False),
          "title": ("text", False), "coalition_role": ("text", True), "active": ("boolean", True)}
TEAM = {"name": ("text", True), "function": ("text", False)}
ROLE = {"statement": ("text", True), "touchpoints": ("strings", False), "logged_on": ("date", True),
        "logged_by": ("text", False)}


def _day(value):
    return value.isoformat() if value else None


def export_coalition(organisation, _with_answers: bool) -> dict:
    members = db.session.scalars(CoalitionMember.scoped_to(organisation).order_by(CoalitionMember.id))
    return {
        "coalition": [
            {"name": m.name, "email": m.email, "function": m.function, "title": m.title,
             "coalition_role": m.coalition_role, "active": m.active}
            for m in members
        ],
        "teams": [
            {"name": t.name, "function": t.function,
             "role_statements": [
                 {"statement": s.statement, "touchpoints": list(s.touchpoints), "logged_on": _day(s.logged_on),
                  "logged_by": s.logged_by}
                 for s in t.statements]}
            for t in sorted(teams_with_roles(organisation), key=lambda t: t.id)
        ],
    }


def check_coalition(reader: Reader, document: dict, known: dict) -> dict:
    """The members and the teams, checked; the rest of the document may name them: known["emails"] (members'),
    known["teams"] (teams' names, casefolded)."""
    members = read_each(reader, document, "coalition", MEMBER, check_member,
                        prepare=lambda v: {**v, "email": normal_email(v["email"])})
    note_repeats(reader, "coalition", [m and m["email"] for m in members], "email",
                 _("another coalition member has this email"))
    teams = _check_teams(reader, document)
    known["emails"] = {m["email"] for m in members if m}
    known["teams"] = {t["name"].casefold() for t, _roles in teams if t}
    return {"members": members, "teams": teams}


def _check_teams(reader: Reader, document: dict) -> list[tuple]:
    """Each team with its role statements: (team, [statement, …])."""
    teams = []
    for index, item in enumerate(reader.items(document, "teams", "")):
        path = f"teams[{index}]"
        team = read_one(reader, item, path, TEAM, check_team)
        roles = []
        if isinstance(item, dict):
            roles = [read_one(reader, role, f"{path}.role_statements[{n}]", ROLE, check_role_statement,
                          prepare=lambda v: {**v, "touchpoints": [tidy(t) for t in v["touchpoints"] or []]})
                     for n, role in enumerate(reader.items(item, "role_statements", f"{path}."))]
        teams.append((team, roles))
    note_repeats(reader, "teams", [t and t["name"].casefold() for t, _ in teams], "name",
            _("another team has this name"))
    return teams


def write_coalition(organisation, plan: dict, writing: Writing) -> dict:
    """The members (their ids, by email, into writing.member_ids), the teams and their role statements."""
    owned = {"organisation_id": organisation.id}
    members, teams = plan["members"], plan["teams"]
    writing.member_ids.update(zip([m["email"] for m in members],
                                  writing.insert(CoalitionMember, [{**owned, **m} for m in members]), strict=True))
    team_ids = writing.insert(Team, [{**owned, **team} for team, _roles in teams])
    writing.insert(RoleStatement, [{"team_id": team_id, **role}
                                   for team_id, (_team, roles) in zip(team_ids, teams, strict=True)
                                   for role in roles])
    return {"coalition": len(members), "teams": len(teams)}


# After the assessments, before the initiatives (which name their owners by email).
PART = ExchangePart(order=-5, export=export_coalition, check=check_coalition, write=write_coalition,
                    removes=(Team, CoalitionMember))
