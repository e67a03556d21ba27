"""Stage assessments: where the organisation stood on the maturity scale, and when."""

from datetime import date, datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.database import choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import utcnow


class StageAssessment(OrganisationOwned, db.Model):
    __audit_name__ = "Stage assessment"
    __table_args__ = (one_of("stage", STAGES.keys, "stage_known"),)

    stage: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[date]
    assessed_by: Mapped[str] = mapped_column(String(200), default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    stage_label = choice_label(STAGES, "stage")
