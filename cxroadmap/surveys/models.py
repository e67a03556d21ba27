"""Surveys, the versions of their questions, the answers customers gave, and each organisation's privacy rules."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.database import choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.models import Kpi
from cxroadmap.organisations.models import OrganisationOwned, Versioned
from cxroadmap.surveys.kinds import HEADLINE_MEASURES, PERIODS, SURVEY_STATES
from cxroadmap.timeutil import utcnow


class Survey(Versioned, OrganisationOwned, db.Model):
    """What an organisation asks its customers about one touchpoint, or about the relationship as a whole."""

    __audit_name__ = "Survey"
    __table_args__ = (
        one_of("state", SURVEY_STATES.keys, "state_known"),
        one_of("measure", HEADLINE_MEASURES.keys, "measure_known"),
        one_of("period", PERIODS.keys, "period_known"),
    )

    # The public link's short code (/f/<code>): random, never reused.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The title in English (required: what the committee calls it, and what customers read without a Dutch one).
    title: Mapped[str] = mapped_column(String(200))
    # The title Dutch-speaking customers read; empty: they read the English one.
    title_nl: Mapped[str] = mapped_column(String(200), default="", server_default="")
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="SET NULL"), index=True)
    measure: Mapped[str] = mapped_column(String(4))
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="SET NULL"), index=True)
    period: Mapped[str] = mapped_column(String(5), default="month")
    state: Mapped[str] = mapped_column(String(6), default="draft")
    # The web origins (scheme://host[:port]) whose pages may show the survey in the snippet's frame, space
    # separated as a Content-Security-Policy source list; empty: no other site may frame it.
    allowed_origins: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    touchpoint: Mapped[Touchpoint | None] = relationship()
    kpi: Mapped[Kpi | None] = relationship()
    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", passive_deletes=True)

    state_label = choice_label(SURVEY_STATES, "state")
    measure_label = choice_label(HEADLINE_MEASURES, "measure")
    period_label = choice_label(PERIODS, "period")

    def title_in(self, language: str) -> str:
        """The title a customer reading `language` sees: the Dutch one when there is one, else the English."""
        return self.title_nl if language == "nl" and self.title_nl else self.title

    @property
    def origins(self) -> list[str]:
        return self.allowed_origins.split()

    @property
    def current(self) -> "SurveyVersion":
        return self.versions[-1]


class SurveyVersion(db.Model):
    """The questions of a survey as they were asked from one moment on; answers keep the version they answered."""

    __organisation_path__ = "survey"
    __table_args__ = (UniqueConstraint("survey_id", "number", name="uq_survey_version_number"),)

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    # {question key: {"en": text, "nl": text}}
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    asks_gap: Mapped[bool] = mapped_column(default=False)
    # The ids of the other touchpoints the customer rates (1–7), in the order asked.
    rated: Mapped[list] = mapped_column(JSON, default=list)
    asks_contact: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")

    def text(self, key: str, language: str) -> str:
        texts = self.texts.get(key) or {}
        return texts.get(language) or texts.get("en") or ""


class SurveyAnswer(OrganisationOwned, db.Model):
    """One customer's answer: scores, ratings, comment, the link's hidden fields; contact details only when the
    customer agreed to be contacted. Not in the audit trail: it would copy what privacy asks to keep short."""

    __table_args__ = (
        Index("ix_survey_answer_survey_day", "survey_id", "answered_on"),
        Index("ix_survey_answer_organisation_day", "organisation_id", "answered_on"),
        # The latest answers and comments of a survey, read from the end of this index however many there are.
        Index("ix_survey_answer_survey_moment", "survey_id", "answered_at"),
        # The latest comments, found without passing every answer that has none (HAS_COMMENT, as written here).
        Index("ix_survey_answer_survey_comment_moment", "survey_id", "answered_at",
              sqlite_where=text("comment <> ''"), postgresql_where=text("comment <> ''")),
        # The answers taken but not yet settled (counted, read into the KPI and the touchpoint): a handful at most.
        Index("ix_survey_answer_unsettled", "id", sqlite_where=text("NOT settled"),
              postgresql_where=text("NOT settled")),
    )

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_on: Mapped[date]
    score: Mapped[int]
    expectation: Mapped[int | None]
    perception: Mapped[int | None]
    # {touchpoint id (as text): 1–7}
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    hidden: Mapped[dict] = mapped_column(JSON, default=dict)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # False from the moment a public link's answer is stored until `surveys.settling` has counted it, worked out
    # the KPI's reading and the touchpoint's scores again and told whoever listens (within a second or so).
    settled: Mapped[bool] = mapped_column(default=True, server_default=true())

    survey: Mapped[Survey] = relationship()
    version: Mapped[SurveyVersion] = relationship()

    @property
    def contact(self) -> str | None:
        return self.contact_email or self.contact_phone


class SurveyTally(db.Model):
    """A survey's answers of one day with one headline score, counted (with the sums of the expectations and
    perceptions given with them): what the pages and the readings add up instead of reading every answer.
    Kept by `surveys.tally` wherever answers are stored or deleted."""

    __organisation_path__ = "survey"
    __table_args__ = (UniqueConstraint("survey_id", "answered_on", "score", name="uq_survey_tally_day_score"),)

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    answered_on: Mapped[date]
    score: Mapped[int]
    answers: Mapped[int] = mapped_column(default=0)
    # Answers giving both expectation and perception, and the sums of what they gave.
    gap_answers: Mapped[int] = mapped_column(default=0)
    expectation_sum: Mapped[int] = mapped_column(default=0)
    perception_sum: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship()


#: The condition of the partial index of answers not yet settled, written as it is there.
UNSETTLED = text("NOT survey_answer.settled")

#: The condition of the partial index of comments, written as it is there (a literal, not a parameter), so that the
#: database sees a query asking for it may read that index.
HAS_COMMENT = text("survey_answer.comment <> ''")


class SurveyPrivacy(OrganisationOwned, db.Model):
    """How long an organisation keeps its customers' answers (months), and its quiet period: how many days after
    one invitation none of its contacts is invited again; absent: the defaults."""

    __audit_name__ = "Survey privacy"
    __table_args__ = (
        UniqueConstraint("organisation_id", name="uq_survey_privacy_organisation"),
        CheckConstraint("retention_months >= 1", name="retention_positive"),
        CheckConstraint("quiet_days >= 0", name="quiet_days_not_negative"),
    )

    retention_months: Mapped[int] = mapped_column(default=24)
    quiet_days: Mapped[int] = mapped_column(default=30, server_default="30")


class SurveyTheme(OrganisationOwned, db.Model):
    """A theme the organisation listens for in customers' comments ("delivery times"): its name and keywords in
    English and in Dutch; a comment mentions it when a keyword of the comment's language appears in it."""

    __audit_name__ = "Comment theme"
    __table_args__ = (UniqueConstraint("organisation_id", "name_en", name="uq_survey_theme_name_en"),)

    name_en: Mapped[str] = mapped_column(String(80))
    name_nl: Mapped[str] = mapped_column(String(80))
    keywords_en: Mapped[list] = mapped_column(JSON, default=list)
    keywords_nl: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def name_in(self, language: str) -> str:
        return self.name_nl if language == "nl" else self.name_en

    def __str__(self) -> str:
        return self.name_en
