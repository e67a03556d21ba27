"""Audit events: an append-only record of who changed what, signed in, or was refused, and when."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow


class AuditEvent(db.Model):
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # Plain numbers, not foreign keys: the trail outlives what it speaks of.
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    user_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    object_label: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [before, after]
    address: Mapped[str] = mapped_column(String(64), default="")
