"""Issued reports: every PDF handed out is kept, byte for byte, with the figures it showed."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow


class IssuedReport(OrganisationOwned, db.Model):
    __audit_name__ = "Report"

    kind: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(254), default="")
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    # The figures it showed, for the next report's "since the last report".
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    # Loaded only when the file itself is asked for, not for lists.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
