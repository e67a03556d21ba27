"""A job: work one person asked for in one organisation, run in the background, with its progress and result."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow

STATES = ("queued", "running", "done", "failed")
FINISHED = ("done", "failed")


def new_job_id() -> str:
    """An id nobody can guess or count through: 192 random bits."""
    return secrets.token_urlsafe(24)


class Job(OrganisationOwned, db.Model):
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_job_id)
    # Who asked for it: only they see it, and it runs in their name and language.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    kind: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    # The file it works on (an upload to import); loaded only by the job itself.
    payload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    # What its page shows when it is over: a summary, a preview (kind-specific, plain JSON).
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[list] = mapped_column(JSON, default=list)
    result_filename: Mapped[str] = mapped_column(String(200), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    result_size: Mapped[int] = mapped_column(default=0)
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self):
        return f"<Job {self.kind} {self.state}>"
