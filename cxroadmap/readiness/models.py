"""Readiness assessments: how well the organisation answers each of the three questions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.database import choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS
from cxroadmap.timeutil import utcnow


class ReadinessAssessment(OrganisationOwned, db.Model):
    __audit_name__ = "Readiness assessment"
    __table_args__ = (
        one_of("question", QUESTIONS.keys, "question_known"),
        CheckConstraint(f"score BETWEEN 0 AND {MAX_SCORE}", name="score_range"),
    )

    question: Mapped[str] = mapped_column(String(30))
    score: Mapped[int]
    evidence: Mapped[str] = mapped_column(Text, default="")
    assessed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    question_label = choice_label(QUESTIONS, "question")
