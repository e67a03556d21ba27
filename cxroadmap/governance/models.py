"""Steering meetings: who attended, what was on the agenda, what was decided and who owes what."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.database import Versioned
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow

meeting_attendee = Table(
    "meeting_attendee", db.metadata,
    Column("meeting_id", ForeignKey("steering_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("coalition_member.id", ondelete="CASCADE"), primary_key=True),
)
meeting_agenda_initiative = Table(
    "meeting_agenda_initiative", db.metadata,
    Column("meeting_id", ForeignKey("steering_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
)
decision_initiative = Table(
    "decision_initiative", db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
)



class SteeringMeeting(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "Steering meeting"

    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200), default="Steering committee")
    other_items: Mapped[str] = mapped_column(Text, default="")  # agenda items besides initiatives, one a line
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attendees: Mapped[list[CoalitionMember]] = relationship(secondary=meeting_attendee, order_by=CoalitionMember.name)
    agenda: Mapped[list[Initiative]] = relationship(secondary=meeting_agenda_initiative, order_by=Initiative.id)
    decisions: Mapped[list["Decision"]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                       order_by="Decision.id", passive_deletes=True)
    actions: Mapped[list["ActionItem"]] = relationship(back_populates="meeting", order_by="ActionItem.id")

    @property
    def other_item_lines(self) -> list[str]:
        return [line.strip() for line in self.other_items.splitlines() if line.strip()]


class Decision(db.Model):
    __organisation_path__ = "meeting"
    __audit_name__ = "Decision"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("steering_meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    meeting: Mapped[SteeringMeeting] = relationship(back_populates="decisions")
    initiatives: Mapped[list[Initiative]] = relationship(secondary=decision_initiative, order_by=Initiative.id)


class ActionItem(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "Action"
    __table_args__ = (CheckConstraint("status IN ('open', 'done')", name="status_known"),)

    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("steering_meeting.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("coalition_member.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[date | None]
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    meeting: Mapped[SteeringMeeting | None] = relationship(back_populates="actions")
    owner: Mapped[CoalitionMember | None] = relationship()
    initiative: Mapped[Initiative | None] = relationship()

    def is_overdue(self, on: date) -> bool:
        return self.status == "open" and self.due_on is not None and self.due_on < on
