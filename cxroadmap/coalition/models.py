"""The CX coalition's members, the teams, and each team's statements of its role in the brand promise."""

from datetime import date, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.coalition.roles import COALITION_ROLES
from cxroadmap.database import Versioned, choice_label, last_of
from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow


class CoalitionMember(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "Coalition member"
    __table_args__ = (UniqueConstraint("organisation_id", "email", name="uq_coalition_member_email"),)

    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-case: the member's identity within the organisation (exports refer to owners by it).
    email: Mapped[str] = mapped_column(String(254))
    function: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    coalition_role: Mapped[str] = mapped_column(String(20), default="member")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    role_label = choice_label(COALITION_ROLES, "coalition_role")


class Team(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "Team"
    __table_args__ = (UniqueConstraint("organisation_id", "name", name="uq_team_name"),)

    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    statements: Mapped[list["RoleStatement"]] = relationship(
        back_populates="team", order_by="(RoleStatement.logged_on, RoleStatement.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    current_statement = last_of("statements", "The latest statement logged, which is the team's current role.")


class RoleStatement(db.Model):
    __organisation_path__ = "team"
    __audit_name__ = "Role statement"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    touchpoints: Mapped[list[str]] = mapped_column(JSON, default=list)
    logged_on: Mapped[date]
    logged_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship(back_populates="statements")
