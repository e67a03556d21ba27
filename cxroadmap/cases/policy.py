"""Who may work follow-up cases: the same answer for the pages, the API and background work."""

from sqlalchemy import func, select

from cxroadmap.access import Act, Person, role_allows
from cxroadmap.accounts.models import User
from cxroadmap.coalition.models import RoleStatement, Team
from cxroadmap.extensions import db


def _steers_or_works_the_team(person: Person, case) -> bool:
    """Steering works every case; a contributor those they own and those of the teams whose role statements they
    log (as the coalition lets them speak for a team, they answer its customers)."""
    if role_allows(person.role, "steering"):
        return True
    if person.email is None:
        return False
    if case.owner is not None and case.owner.email.lower() == person.email.lower():
        return True
    return case.team_id is not None and case.team_id in _logged_teams(case.organisation_id, person.email)


def _logged_teams(organisation_id: int, email: str) -> set[int]:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    names = {email.lower()} | ({user.name.lower()} if user is not None and user.name else set())
    return set(db.session.scalars(select(RoleStatement.team_id).join(Team).where(
        Team.organisation_id == organisation_id, func.lower(RoleStatement.logged_by).in_(names))))


WORK = Act("case.work", "contributor", rule=_steers_or_works_the_team)
SETTINGS = Act("case.settings", "steering")
