"""Making and changing surveys: their questions (a new version once a version has answers), the KPI their
headline score feeds, their state; and finding them, scoped to the organisation."""

import secrets
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.models import Kpi
from cxroadmap.measures.services import create_kpi
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys.embedding import read_origins
from cxroadmap.surveys.kinds import (
    DEFAULT_TEXTS,
    HEADLINE_MEASURES,
    LANGUAGES,
    MAX_RATED,
    PERIODS,
    QUESTION_KEYS,
    SURVEY_STATES,
)
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyVersion
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_line, tidy

TEXT_LENGTH = 300
# A new KPI starts from a modest line: baseline now, a year to the target.
KPI_LINES = {"nps": (Decimal(0), Decimal(20)), "csat": (Decimal(70), Decimal(85)), "ces": (Decimal(4), Decimal("5.5"))}
MOVES = {"draft": ("live",), "live": ("closed",), "closed": ("live",)}


def default_texts(measure: str, organisation: Organisation, touchpoint: Touchpoint | None) -> dict:
    """The questions' texts in each language, filled in for this organisation and touchpoint."""
    names = {"organisation": organisation.name,
             "touchpoint": touchpoint.name if touchpoint else organisation.name}
    texts = {}
    for key in QUESTION_KEYS:
        source = DEFAULT_TEXTS[key][measure] if key == "score" else DEFAULT_TEXTS[key]
        texts[key] = {language: source[language].format(**names) for language in LANGUAGES}
    return texts


def new_code() -> str:
    """A public link's short code nobody holds."""
    while True:
        code = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
        if db.session.scalar(select(Survey.id).where(Survey.code == code)) is None:
            return code


def _check(organisation: Organisation, values: dict, survey: Survey | None) -> Problems:
    problems = Problems()
    check_line(problems, "title", values["title"], 200, required=True)
    check_line(problems, "title_nl", values["title_nl"], 200)
    problems.require(values["measure"] in HEADLINE_MEASURES, "measure", HEADLINE_MEASURES.describe())
    problems.require(values["period"] in PERIODS, "period", PERIODS.describe())
    touchpoint = values["touchpoint"]
    problems.require(touchpoint is None or touchpoint.organisation_id == organisation.id, "touchpoint",
                     _("Choose a touchpoint of this organisation's journey."))
    kpi = values["kpi"]
    if kpi is not None:
        problems.require(kpi.organisation_id == organisation.id and kpi.measure == values["measure"], "kpi",
                         _("Choose a KPI measured in %(measure)s, or let the survey make one.",
                           measure=HEADLINE_MEASURES.label(values["measure"])))
    problems.require(not values["asks_gap"] or touchpoint is not None, "asks_gap",
                     _("Expectation and perception are asked about a touchpoint: choose one first."))
    rated = values["rated"]
    problems.require(len(rated) <= MAX_RATED, "rated", _("Ask about at most %(count)s other touchpoints.",
                                                         count=MAX_RATED))
    problems.require(all(t.organisation_id == organisation.id for t in rated), "rated",
                     _("Choose touchpoints of this organisation's journey."))
    problems.require(touchpoint is None or touchpoint not in rated, "rated",
                     _("The survey's own touchpoint is asked about already."))
    for key, texts in values["texts"].items():
        for language in LANGUAGES:
            check_line(problems, f"{key}_{language}", texts.get(language, ""), TEXT_LENGTH)
    if survey is not None and survey.id is not None and has_answers(survey):
        problems.require(values["measure"] == survey.measure, "measure",
                         _("Customers answered on this scale already: make a new survey for another measure."))
        problems.require(values["touchpoint"] is survey.touchpoint, "touchpoint",
                         _("Customers answered about this touchpoint already: make a new survey for another."))
    return problems


def _texts(values: dict, organisation: Organisation) -> dict:
    """The texts typed, each left empty taking its default."""
    defaults = default_texts(values["measure"], organisation, values["touchpoint"])
    typed = values.get("texts") or {}
    return {key: {language: tidy((typed.get(key) or {}).get(language)) or defaults[key][language]
                  for language in LANGUAGES} for key in QUESTION_KEYS}


def _values(fields: dict) -> dict:
    values = {name: fields.get(name) for name in ("title", "touchpoint", "measure", "kpi", "period", "texts")}
    values["title"] = tidy(values["title"])
    values["title_nl"] = tidy(fields.get("title_nl"))
    values["period"] = values["period"] or "month"
    values["asks_gap"] = bool(fields.get("asks_gap"))
    values["asks_contact"] = bool(fields.get("asks_contact", True))
    values["rated"] = list(fields.get("rated") or [])
    values["texts"] = values["texts"] or {}
    return values


def _free_kpi_code(organisation: Organisation, base: str) -> str:
    taken = set(db.session.scalars(select(Kpi.code).where(Kpi.organisation_id == organisation.id,
                                                          Kpi.code.like(f"{base}%"))))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def kpi_for(organisation: Organisation, measure: str, title: str, touchpoint: Touchpoint | None) -> Kpi:
    """A new X-data KPI of measure for a survey, coded after its touchpoint (or REL for the relationship)."""
    subject = (touchpoint.key.upper()[:18] if touchpoint else "REL").replace("_", "-")
    baseline, target = KPI_LINES[measure]
    return create_kpi(organisation, code=_free_kpi_code(organisation, f"{measure.upper()}-{subject}"),
                      name=title[:200], kind="x_data", measure=measure, unit="", direction="up",
                      baseline_value=baseline, baseline_on=today(), target_value=target,
                      target_on=today() + timedelta(days=365), owner=None, touchpoint=touchpoint)


def create_survey(organisation: Organisation, **fields) -> Survey:
    """A draft survey with its first version of questions; without a KPI chosen, a new one of its measure."""
    values = _values(fields)
    _check(organisation, values, None).raise_if_any()
    kpi = values["kpi"] or kpi_for(organisation, values["measure"], values["title"], values["touchpoint"])
    survey = Survey(organisation_id=organisation.id, code=new_code(), title=values["title"],
                    title_nl=values["title_nl"], touchpoint=values["touchpoint"], measure=values["measure"], kpi=kpi,
                    period=values["period"])
    db.session.add(survey)
    db.session.flush()
    db.session.add(SurveyVersion(survey=survey, number=1, texts=_texts(values, organisation),
                                 asks_gap=values["asks_gap"], rated=[t.id for t in values["rated"]],
                                 asks_contact=values["asks_contact"]))
    db.session.flush()
    return survey


def update_survey(organisation: Organisation, survey: Survey, expected_version: int | None = None,
                  **fields) -> Survey:
    """Change a survey; changed questions of a version customers answered make a new version."""
    survey.check_version(expected_version, _("this survey"))
    values = _values(fields)
    _check(organisation, values, survey).raise_if_any()
    kpi = values["kpi"] or (survey.kpi if survey.kpi and survey.kpi.measure == values["measure"] else None) \
        or kpi_for(organisation, values["measure"], values["title"], values["touchpoint"])
    if values["measure"] != survey.measure:
        # The old measure's standard question does not fit the new scale: the new one's standard question replaces it.
        before = default_texts(survey.measure, organisation, survey.touchpoint)["score"]
        typed = values["texts"].setdefault("score", {})
        for language in LANGUAGES:
            if tidy(typed.get(language)) == before[language]:
                typed[language] = ""
    survey.title, survey.title_nl = values["title"], values["title_nl"]
    survey.touchpoint, survey.measure = values["touchpoint"], values["measure"]
    survey.kpi, survey.period = kpi, values["period"]
    questions = {"texts": _texts(values, organisation), "asks_gap": values["asks_gap"],
                 "rated": [t.id for t in values["rated"]], "asks_contact": values["asks_contact"]}
    current = survey.current
    if any(getattr(current, name) != value for name, value in questions.items()):
        if version_has_answers(current):
            db.session.add(SurveyVersion(survey=survey, number=current.number + 1, **questions))
        else:
            for name, value in questions.items():
                setattr(current, name, value)
    db.session.flush()
    db.session.expire(survey, ["versions"])
    return survey


def set_state(survey: Survey, state: str) -> Survey:
    """Put a survey live, close it, or open it again."""
    problems = Problems()
    problems.require(state in MOVES.get(survey.state, ()), "state",
                     _("A %(state)s survey cannot become %(next)s.", state=SURVEY_STATES.label(survey.state).lower(),
                       next=SURVEY_STATES.label(state).lower()))
    problems.raise_if_any()
    survey.state = state
    db.session.flush()
    return survey


def set_origins(survey: Survey, text: str, expected_version: int | None = None) -> Survey:
    """The sites (origins, one a line) allowed to show the survey in its snippet's frame; every line that is not
    an origin is named in one refusal, and nothing changes then."""
    survey.check_version(expected_version, _("this survey"))
    origins, problems = read_origins(text)
    problems.raise_if_any()
    survey.allowed_origins = " ".join(origins)
    db.session.flush()
    return survey


def has_answers(survey: Survey) -> bool:
    return db.session.scalar(select(SurveyAnswer.id).where(SurveyAnswer.survey_id == survey.id).limit(1)) is not None


def version_has_answers(version: SurveyVersion) -> bool:
    return db.session.scalar(select(SurveyAnswer.id).where(SurveyAnswer.version_id == version.id).limit(1)) \
        is not None


def all_surveys(organisation: Organisation) -> list[Survey]:
    """Every survey of the organisation, live first, with its touchpoint and KPI."""
    order = {"live": 0, "draft": 1, "closed": 2}
    query = Survey.scoped_to(organisation).options(joinedload(Survey.touchpoint), joinedload(Survey.kpi))
    return sorted(db.session.scalars(query), key=lambda s: (order.get(s.state, 3), s.title.lower(), s.id))


def answer_counts(organisation: Organisation) -> dict[int, int]:
    """{survey id: answers stored} (one query)."""
    from cxroadmap.surveys.tally import answers_per_survey

    return answers_per_survey(organisation.id)


def survey_in(organisation: Organisation, survey_id: int) -> Survey:
    """The organisation's survey with that id, with its versions; NotInOrganisation (404) otherwise."""
    survey = db.session.scalar(Survey.scoped_to(organisation).where(Survey.id == survey_id).options(
        joinedload(Survey.touchpoint), joinedload(Survey.kpi), selectinload(Survey.versions)))
    if survey is None:
        raise NotInOrganisation(_("No such survey in this organisation."))
    return survey


def rated_touchpoints(organisation_id: int, version: SurveyVersion) -> list[Touchpoint]:
    """The touchpoints a version asks the customer to rate, in the order asked (ones since removed left out)."""
    if not version.rated:
        return []
    found = {t.id: t for t in db.session.scalars(select(Touchpoint).where(
        Touchpoint.organisation_id == organisation_id, Touchpoint.id.in_(version.rated)))}
    return [found[i] for i in version.rated if i in found]


def surveys_feeding(organisation: Organisation, kpi) -> list[Survey]:
    """The organisation's surveys whose headline score feeds the KPI, live ones first."""
    return list(db.session.scalars(select(Survey).where(Survey.organisation_id == organisation.id,
                                                        Survey.kpi_id == kpi.id)
                                   .order_by((Survey.state == "live").desc(), Survey.title)))
