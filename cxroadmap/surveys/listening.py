"""What customers are saying across the organisation, right now: the panel the overview, the dashboard and the
journey page show (answers today and this week, the live surveys, the latest comments), worked out in a few
queries however many answers are stored."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import g, render_template
from markupsafe import Markup
from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.journey.views import journey_page_section
from cxroadmap.surveys.models import Survey, SurveyAnswer
from cxroadmap.timeutil import today

WEEK = 7  # days counted as "this week": today and the six before it


@dataclass(frozen=True)
class Comment:
    """One recent comment, with where it was given."""

    answer: SurveyAnswer
    survey: Survey
    touchpoint: Touchpoint | None


@dataclass(frozen=True)
class OrganisationListening:
    live: int
    today: int
    week: int
    comments: list[Comment]

    @property
    def quiet(self) -> bool:
        return not (self.live or self.week or self.comments)


def organisation_listening(organisation_id: int, on: date, comments: int = 3) -> OrganisationListening:
    """Live surveys, answers today and in the last seven days, the latest comments: three queries."""
    live = db.session.scalar(select(func.count()).where(Survey.organisation_id == organisation_id,
                                                        Survey.state == "live")) or 0
    since = on - timedelta(days=WEEK - 1)
    today_count, week = db.session.execute(
        select(func.count().filter(SurveyAnswer.answered_on == on), func.count())
        .where(SurveyAnswer.organisation_id == organisation_id, SurveyAnswer.answered_on >= since,
               SurveyAnswer.answered_on <= on)).one()
    latest = db.session.execute(
        select(SurveyAnswer, Survey, Touchpoint).join(Survey, Survey.id == SurveyAnswer.survey_id)
        .outerjoin(Touchpoint, Touchpoint.id == Survey.touchpoint_id)
        .where(SurveyAnswer.organisation_id == organisation_id, SurveyAnswer.comment != "")
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()).limit(comments)).all()
    return OrganisationListening(live, today_count or 0, week or 0, [Comment(*row) for row in latest])


def listening_panel() -> Markup:
    """The panel of what customers say, for the overview and the dashboard (never kept: it moves with each answer)."""
    organisation = g.get("organisation")
    if organisation is None:
        return Markup("")
    return Markup(render_template("surveys/_listening_panel.html",
                                  listening=organisation_listening(organisation.id, today())))


@journey_page_section("surveys/_listening_section.html", place=20)
def journey_listening_section(organisation) -> dict | None:
    """The journey page hears customers too: the same panel, under what to fix first."""
    listening = organisation_listening(organisation.id, today())
    return None if listening.quiet else {"listening": listening}
