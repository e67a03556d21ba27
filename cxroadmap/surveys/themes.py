"""The organisation's comment themes: kept (added, changed, removed with every problem said at once), found in a
survey's comments by the keywords of each comment's language (whole words, any case, with their inflections, see
`text_analysis.themes`), counted with an example each, and the comments searched.

A theme's keywords are typed as a list separated by commas or new lines; "factu*" matches every word it begins.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language
from cxroadmap.organisations.models import Organisation, hold
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyTheme
from cxroadmap.text_analysis.themes import Theme, ThemeMatcher
from cxroadmap.text_analysis.words import words

NAME_LENGTH, KEYWORD_LENGTH, MOST_KEYWORDS = 80, 60, 30
WINDOW_DAYS = 90  # the same comments as "What customers say"
MOST_COMMENTS = 2000
SEARCH_PAGE = 20
# An unhappy answer by each headline measure (the alert rule's defaults): NPS detractors, dissatisfied, high effort.
UNHAPPY_UP_TO = {"nps": 6, "csat": 2, "ces": 3}


def unhappy_rule(measure: str) -> str:
    """Which answers count as unhappy, in words."""
    return _("score %(low)s to %(high)s", low=0 if measure == "nps" else 1, high=UNHAPPY_UP_TO[measure])


# -- keeping the list --------------------------------------------------------------------------------------------

def all_themes(organisation: Organisation) -> list[SurveyTheme]:
    """The organisation's themes by their name in the reader's language."""
    themes = db.session.scalars(SurveyTheme.scoped_to(organisation)).all()
    language = current_language()
    return sorted(themes, key=lambda theme: (theme.name_in(language).lower(), theme.id))


def theme_in(organisation: Organisation, theme_id: int) -> SurveyTheme:
    return get_in_organisation(organisation, SurveyTheme, id=theme_id)


def keyword_list(text: str | None) -> list[str]:
    """The keywords typed, split at commas and new lines, spaces tidied, each once (whatever its case)."""
    found: dict[str, str] = {}
    for part in (text or "").replace("\n", ",").split(","):
        keyword = " ".join(part.split())
        if keyword:
            found.setdefault(keyword.lower(), keyword)
    return list(found.values())


def _keyword_problem(keywords: list[str]) -> str | None:
    if len(keywords) > MOST_KEYWORDS:
        return _("At most %(count)s keywords.", count=MOST_KEYWORDS)
    for keyword in keywords:
        if len(keyword) > KEYWORD_LENGTH:
            return _("“%(keyword)s” is longer than %(count)s characters.", keyword=keyword[:20] + "…",
                     count=KEYWORD_LENGTH)
        if not words(keyword.rstrip("*")):
            return _("“%(keyword)s” holds no word to look for.", keyword=keyword)
    return None


def _name_problem(organisation: Organisation, column, name: str, theme: SurveyTheme | None) -> str | None:
    if not name:
        return _("Give the name.")
    if len(name) > NAME_LENGTH:
        return _("At most %(count)s characters.", count=NAME_LENGTH)
    clash = select(SurveyTheme.id).where(SurveyTheme.organisation_id == organisation.id,
                                         func.lower(column) == name.lower())
    if theme is not None and theme.id is not None:
        clash = clash.where(SurveyTheme.id != theme.id)
    if db.session.scalar(clash) is not None:
        return _("The organisation already has a theme of that name.")
    return None


def theme_problems(organisation: Organisation, name_en: str, name_nl: str, keywords_en: list[str],
                   keywords_nl: list[str], theme: SurveyTheme | None = None) -> dict[str, str]:
    """Everything wrong with these values, by field; nothing written."""
    problems = {"name_en": _name_problem(organisation, SurveyTheme.name_en, name_en, theme),
                "name_nl": _name_problem(organisation, SurveyTheme.name_nl, name_nl, theme),
                "keywords_en": _keyword_problem(keywords_en), "keywords_nl": _keyword_problem(keywords_nl)}
    if not keywords_en and not keywords_nl:
        problems["keywords_en"] = _("Give at least one keyword, in English or in Dutch.")
    return {field: problem for field, problem in problems.items() if problem}


def save_theme(organisation: Organisation, theme: SurveyTheme | None, name_en: str, name_nl: str,
               keywords_en: list[str], keywords_nl: list[str]) -> SurveyTheme:
    """Add a theme (theme None) or change one; refused with every problem at once. Names are checked for clashes
    while holding the organisation, so two people adding the same name at once get one theme and one refusal."""
    name_en, name_nl = " ".join(name_en.split()), " ".join(name_nl.split())
    hold(organisation)
    problems = theme_problems(organisation, name_en, name_nl, keywords_en, keywords_nl, theme)
    if problems:
        raise DomainError(problems)
    if theme is None:
        theme = SurveyTheme(organisation_id=organisation.id)
        db.session.add(theme)
    theme.name_en, theme.name_nl = name_en, name_nl
    theme.keywords_en, theme.keywords_nl = keywords_en, keywords_nl
    return theme


def theme_from_phrase(organisation: Organisation, phrase: str) -> SurveyTheme:
    """A suggested phrase made a theme at one click: named after it, the phrase its keyword in both languages
    (customers write it in either); the names can be changed afterwards."""
    phrase = " ".join(phrase.split())[:NAME_LENGTH]
    return save_theme(organisation, None, phrase, phrase, [phrase], [phrase])


def remove_theme(organisation: Organisation, theme: SurveyTheme) -> None:
    db.session.delete(theme)


def as_matched(themes: list[SurveyTheme]) -> list[Theme]:
    """The themes as the text analysis matches them, keyed by id."""
    return [Theme(str(theme.id), theme.keywords_en, theme.keywords_nl) for theme in themes]


def matcher_of(themes: list[SurveyTheme]) -> ThemeMatcher:
    return ThemeMatcher(as_matched(themes))


# -- themes heard in a survey's comments ----------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeHeard:
    theme: SurveyTheme
    count: int
    example: str | None


@dataclass(frozen=True)
class ThemesHeard:
    since: date
    comments: int  # the comments read (only the unhappy ones when so filtered)
    unhappy_only: bool
    themes: list[ThemeHeard]  # most mentioned first; themes no comment mentions last, with 0


def _comments(survey_ids: list[int], organisation_id: int, since: date, unhappy: dict[int, int] | None):
    query = (select(SurveyAnswer.comment, SurveyAnswer.language, SurveyAnswer.score, SurveyAnswer.survey_id)
             .where(SurveyAnswer.organisation_id == organisation_id, SurveyAnswer.survey_id.in_(survey_ids),
                    SurveyAnswer.comment != "", SurveyAnswer.answered_on > since)
             .order_by(SurveyAnswer.answered_at.desc()).limit(MOST_COMMENTS))
    rows = db.session.execute(query).all()
    if unhappy is None:
        return rows
    return [row for row in rows if row.score is not None and row.score <= unhappy[row.survey_id]]


def themes_heard(organisation: Organisation, surveys: list[Survey], on: date,
                 unhappy_only: bool = False) -> ThemesHeard | None:
    """How many of the surveys' comments of the last 90 days mention each of the organisation's themes (by the
    keywords of the comment's language), with the latest such comment; None when the organisation has no themes.
    unhappy_only: only the comments of unhappy answers (NPS detractors, CSAT 1–2, CES 1–3)."""
    themes = all_themes(organisation)
    if not themes or not surveys:
        return None
    since = on - timedelta(days=WINDOW_DAYS)
    unhappy = {survey.id: UNHAPPY_UP_TO[survey.measure] for survey in surveys} if unhappy_only else None
    rows = _comments([survey.id for survey in surveys], organisation.id, since, unhappy)
    matcher = matcher_of(themes)
    counts: Counter = Counter()
    examples: dict[str, str] = {}
    for comment, language, _score, _survey in rows:
        for key in matcher.matches(comment, language if language in ("en", "nl") else None):
            counts[key] += 1
            examples.setdefault(key, comment)
    heard = [ThemeHeard(theme, counts[str(theme.id)], examples.get(str(theme.id))) for theme in themes]
    heard.sort(key=lambda item: -item.count)
    return ThemesHeard(since, len(rows), unhappy_only, heard)


# -- searching comments -------------------------------------------------------------------------------------------

def search_comments(organisation: Organisation, survey: Survey, text: str, page: int):
    """One page of the survey's comments holding text (any case), the latest first; only this organisation's."""
    query = (select(SurveyAnswer)
             .where(SurveyAnswer.organisation_id == organisation.id, SurveyAnswer.survey_id == survey.id,
                    SurveyAnswer.comment != "",
                    func.lower(SurveyAnswer.comment).contains(text.lower(), autoescape=True))
             .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()))
    return db.paginate(query, page=page, per_page=SEARCH_PAGE, error_out=False)
