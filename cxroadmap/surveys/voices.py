"""What customers say in a survey's comments: how they sound (positive, neutral, negative, by the sentiment lexicons
of `text_analysis`, each comment in its own language) and the phrases they repeat, most used first."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from cxroadmap.caches import Cache
from cxroadmap.extensions import db
from cxroadmap.surveys import tally
from cxroadmap.surveys.models import HAS_COMMENT, Survey, SurveyAnswer
from cxroadmap.text_analysis.sentiment import sentiment
from cxroadmap.text_analysis.themes import Suggestion, Theme, ThemeMatcher, suggest_themes

WINDOW_DAYS = 90
MOST_COMMENTS = 2000  # the latest, when there are more: enough to hear what recurs, quick to read
LANGUAGES = ("en", "nl")
SUGGESTIONS = 8
COVERED = 0.8  # a phrase whose comments a theme already counts, four in five or more, suggests nothing new


@dataclass(frozen=True)
class Voices:
    since: date
    comments: int
    sounds: dict[str, int]  # positive, neutral, negative → how many comments
    phrases: list[Suggestion]

    def share(self, label: str) -> float:
        return self.sounds.get(label, 0) / self.comments if self.comments else 0.0


def _uncovered(suggestions: list[Suggestion], themes: Sequence[Theme]) -> list[Suggestion]:
    """The suggestions whose comments the themes do not already count (most of them), with one example each:
    "site" says nothing new when a theme's "on site" counts the comments that use it."""
    matcher = ThemeMatcher(themes)
    kept = []
    for suggestion in suggestions:
        covered = sum(1 for comment in suggestion.examples if matcher.matches(comment))
        if not themes or covered < COVERED * len(suggestion.examples):
            kept.append(Suggestion(suggestion.phrase, suggestion.count, suggestion.examples[:1]))
    return kept[:SUGGESTIONS]


_cache = Cache(64)


def survey_voices(survey: Survey, on: date, themes: Sequence[Theme] = ()) -> Voices | None:
    """The comments of the last 90 days (the latest 2,000 at most), or None when there are none; the phrases
    repeated are those no theme of `themes` covers (suggestions for new themes). Worked out once in this process
    for the day, the themes and the number of answers to three significant figures (tally.about)."""
    since = on - timedelta(days=WINDOW_DAYS)
    kept_themes = tuple((theme.key, tuple(theme.keywords_en), tuple(theme.keywords_nl)) for theme in themes)
    key = (survey.id, on, kept_themes, tally.about(tally.answers_since(survey.id, since)))
    return _cache.get(key, lambda: _worked_out(survey, since, themes))


def _worked_out(survey: Survey, since: date, themes: Sequence[Theme]) -> Voices | None:
    rows = db.session.execute(
        select(SurveyAnswer.comment, SurveyAnswer.language)
        .where(SurveyAnswer.survey_id == survey.id, HAS_COMMENT, SurveyAnswer.answered_on > since)
        .order_by(SurveyAnswer.answered_at.desc()).limit(MOST_COMMENTS)).all()
    if not rows:
        return None
    sounds = Counter(sentiment(comment, language if language in LANGUAGES else "en") for comment, language in rows)
    phrases = _uncovered(suggest_themes([comment for comment, _language in rows], themes, minimum=3,
                                        limit=SUGGESTIONS * 2, examples=MOST_COMMENTS), themes)
    return Voices(since, len(rows), dict(sounds), phrases)
