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
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyTally
from cxroadmap.surveys.results import newest_comments
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
    """Live surveys, answers today and in the last seven days, the latest comments: a few queries, none of them over
    every answer (the counts from the daily tallies; the comments from each survey's newest, by the index of the
    answers that have one)."""
    surveys = db.session.execute(
        select(Survey, Touchpoint).outerjoin(Touchpoint, Touchpoint.id == Survey.touchpoint_id)
        .where(Survey.organisation_id == organisation_id).order_by(Survey.id)).all()
    since = on - timedelta(days=WEEK - 1)
    today_count, week = db.session.execute(
        select(func.sum(SurveyTally.answers).filter(SurveyTally.answered_on == on), func.sum(SurveyTally.answers))
        .join(Survey, Survey.id == SurveyTally.survey_id)
        .where(Survey.organisation_id == organisation_id, SurveyTally.answered_on >= since,
               SurveyTally.answered_on <= on)).one()
    where = {survey.id: (survey, touchpoint) for survey, touchpoint in surveys}
    latest = [Comment(answer, *where[answer.survey_id]) for answer in newest_comments(list(where), comments)]
    return OrganisationListening(sum(1 for survey, _ in surveys if survey.state == "live"), today_count or 0,
                                 week or 0, latest)


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
