"""What customers say in a survey's comments: how they sound (positive, neutral, negative, by the sentiment lexicons
of `text_analysis`, each comment in its own language) and the phrases they repeat, most used first."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.kept import Kept
from cxroadmap.surveys import tally
from cxroadmap.surveys.models import HAS_COMMENT, Survey, SurveyAnswer
from cxroadmap.text_analysis.sentiment import sentiment
from cxroadmap.text_analysis.themes import Suggestion, suggest_themes

WINDOW_DAYS = 90
MOST_COMMENTS = 2000  # the latest, when there are more: enough to hear what recurs, quick to read
LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Voices:
    since: date
    comments: int
    sounds: dict[str, int]  # positive, neutral, negative → how many comments
    phrases: list[Suggestion]

    def share(self, label: str) -> float:
        return self.sounds.get(label, 0) / self.comments if self.comments else 0.0


_kept = Kept(64)


def survey_voices(survey: Survey, on: date) -> Voices | None:
    """The comments of the last 90 days (the latest 2,000 at most), or None when there are none; worked out once
    in this process for the day and the number of answers to three significant figures (tally.about)."""
    since = on - timedelta(days=WINDOW_DAYS)
    key = (survey.id, on, tally.about(tally.answers_since(survey.id, since)))
    return _kept.get(key, lambda: _worked_out(survey, since))


def _worked_out(survey: Survey, since: date) -> Voices | None:
    rows = db.session.execute(
        select(SurveyAnswer.comment, SurveyAnswer.language)
        .where(SurveyAnswer.survey_id == survey.id, HAS_COMMENT, SurveyAnswer.answered_on > since)
        .order_by(SurveyAnswer.answered_at.desc()).limit(MOST_COMMENTS)).all()
    if not rows:
        return None
    sounds = Counter(sentiment(comment, language if language in LANGUAGES else "en") for comment, language in rows)
    phrases = suggest_themes([comment for comment, _language in rows], minimum=3, limit=8, examples=1)
    return Voices(since, len(rows), dict(sounds), phrases)
