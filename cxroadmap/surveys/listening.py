"""What customers are saying across the organisation, right now: the panel the overview, the dashboard and the
journey page show (answers today and this week, the live surveys, the latest comments), worked out in a few
queries however many answers are stored."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import g, render_template
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cxroadmap.extensions import db
from cxroadmap.journey.views import journey_page_section
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyTally
from cxroadmap.surveys.results import newest_comments
from cxroadmap.timeutil import today

WEEK = 7  # days counted as "this week": today and the six before it


@dataclass(frozen=True)
class OrganisationListening:
    # The organisation's surveys, each with its touchpoint. Held here, they are what each comment's `survey` is:
    # the session finds an answer's survey among them, so reaching it asks the database nothing.
    surveys: list[Survey]
    today: int
    week: int
    comments: list[SurveyAnswer]  # the newest with a comment, newest first

    @property
    def live(self) -> int:
        return sum(1 for survey in self.surveys if survey.state == "live")

    @property
    def quiet(self) -> bool:
        return not (self.live or self.week or self.comments)


def organisation_listening(organisation_id: int, on: date, comments: int = 3) -> OrganisationListening:
    """Live surveys, answers today and in the last seven days, the latest comments: a few queries, none of them over
    every answer (the counts from the daily tallies; the comments from each survey's newest, by the index of the
    answers that have one)."""
    surveys = list(db.session.scalars(select(Survey).options(joinedload(Survey.touchpoint))
                                      .where(Survey.organisation_id == organisation_id).order_by(Survey.id)))
    since = on - timedelta(days=WEEK - 1)
    today_count, week = db.session.execute(
        select(func.sum(SurveyTally.answers).filter(SurveyTally.answered_on == on), func.sum(SurveyTally.answers))
        .join(Survey, Survey.id == SurveyTally.survey_id)
        .where(Survey.organisation_id == organisation_id, SurveyTally.answered_on >= since,
               SurveyTally.answered_on <= on)).one()
    latest = newest_comments([survey.id for survey in surveys], comments)
    return OrganisationListening(surveys, today_count or 0, week or 0, latest)


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
