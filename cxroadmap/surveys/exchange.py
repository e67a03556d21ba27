"""The optional keys `surveys` and `survey_privacy` of a cxroadmap/1 document: each survey with its settings, the
sites it allows and every version of its questions; the customers' answers only when asked (`--with-answers`),
never the contact lists of invitations. Touchpoints and KPIs are named by their keys and codes in the document.
And the workbook's sheet of the customers' answers (never their contact details)."""


from datetime import UTC

from sqlalchemy import select

from cxroadmap.exchangekit.parts import ExchangePart, SheetScope, WorkbookSheet
from cxroadmap.exchangekit.reading import moment_text, read_items, read_object, report_checks, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.models import Kpi
from cxroadmap.surveys import tally
from cxroadmap.surveys.embedding import origin_of
from cxroadmap.surveys.kinds import (
    GAP_SCALE,
    HEADLINE_MEASURES,
    HIDDEN_FIELDS,
    HIDDEN_VALUE_LENGTH,
    LANGUAGES,
    MAX_RATED,
    PERIODS,
    QUESTION_KEYS,
    SURVEY_STATES,
)
from cxroadmap.surveys.models import Survey, SurveyAnswer, SurveyPrivacy, SurveyVersion
from cxroadmap.surveys.services import new_code
from cxroadmap.timeutil import aware
from cxroadmap.validation import Problems, check_line, check_text

SURVEY = {"code": ("text", True), "title": ("text", True), "title_nl": ("text", False), "touchpoint": ("text", False),
          "measure": ("text", True), "kpi": ("text", False), "period": ("text", True), "state": ("text", True),
          "allowed_origins": ("strings", False), "created_at": ("moment", True)}
VERSION = {"number": ("integer", True), "asks_gap": ("boolean", True), "rated": ("strings", False),
           "asks_contact": ("boolean", True), "created_at": ("moment", True)}
ANSWER = {"version": ("integer", True), "answered_at": ("moment", True), "answered_on": ("date", True),
          "score": ("integer", True), "expectation": ("integer", False), "perception": ("integer", False),
          "comment": ("text", False), "language": ("text", True), "contact_name": ("text", False),
          "contact_email": ("text", False), "contact_phone": ("text", False)}
TEXT_LENGTH = 300


# -- export -----------------------------------------------------------------------------------------------

def export_surveys(organisation, with_answers: bool = False) -> list[dict]:
    """Every survey with its versions (and, when asked, its answers), in the order they were made."""
    keys = dict(db.session.execute(select(Touchpoint.id, Touchpoint.key).where(
        Touchpoint.organisation_id == organisation.id)).all())
    surveys = list(db.session.scalars(Survey.scoped_to(organisation).order_by(Survey.created_at, Survey.id)))
    versions = _versions_by_survey([s.id for s in surveys])
    answers = _answers_by_survey(organisation) if with_answers else {}
    exported = []
    for survey in surveys:
        numbers = {v.id: v.number for v in versions.get(survey.id, [])}
        item = {"code": survey.code, "title": survey.title}
        if survey.title_nl:  # written only when there is one: a document of a survey without stays as it was
            item["title_nl"] = survey.title_nl
        item |= {
            "touchpoint": keys.get(survey.touchpoint_id), "measure": survey.measure,
            "kpi": survey.kpi.code if survey.kpi else None, "period": survey.period, "state": survey.state,
            "allowed_origins": survey.origins, "created_at": moment_text(survey.created_at),
            "versions": [_version(v, keys) for v in versions.get(survey.id, [])]}
        if with_answers:
            item["answers"] = [_answer(a, numbers, keys) for a in answers.get(survey.id, [])]
        exported.append(item)
    return exported


def export_privacy(organisation) -> dict | None:
    kept = db.session.scalar(SurveyPrivacy.scoped_to(organisation))
    return {"retention_months": kept.retention_months} if kept else None


def _versions_by_survey(survey_ids: list[int]) -> dict[int, list[SurveyVersion]]:
    found: dict[int, list[SurveyVersion]] = {}
    if survey_ids:
        for version in db.session.scalars(select(SurveyVersion).where(SurveyVersion.survey_id.in_(survey_ids))
                                          .order_by(SurveyVersion.survey_id, SurveyVersion.number)):
            found.setdefault(version.survey_id, []).append(version)
    return found


ANSWER_COLUMNS = (SurveyAnswer.survey_id, SurveyAnswer.version_id, SurveyAnswer.answered_at,
                  SurveyAnswer.answered_on, SurveyAnswer.score, SurveyAnswer.expectation, SurveyAnswer.perception,
                  SurveyAnswer.ratings, SurveyAnswer.comment, SurveyAnswer.language, SurveyAnswer.hidden,
                  SurveyAnswer.contact_name, SurveyAnswer.contact_email, SurveyAnswer.contact_phone)


def _answers_by_survey(organisation) -> dict[int, list]:
    """Every answer as a row of ANSWER_COLUMNS (plain rows, not objects: an organisation may keep a million),
    by survey, oldest first, in one query read in batches."""
    found: dict[int, list] = {}
    query = (select(*ANSWER_COLUMNS).where(SurveyAnswer.organisation_id == organisation.id)
             .order_by(SurveyAnswer.survey_id, SurveyAnswer.answered_at, SurveyAnswer.id)
             .execution_options(yield_per=5000))
    for row in db.session.execute(query):
        found.setdefault(row.survey_id, []).append(row)
    return found


def _version(version: SurveyVersion, keys: dict[int, str]) -> dict:
    texts = version.texts or {}
    return {"number": version.number,
            "texts": {key: {language: (texts.get(key) or {}).get(language, "") for language in LANGUAGES}
                      for key in QUESTION_KEYS},
            "asks_gap": version.asks_gap, "rated": [keys[i] for i in version.rated if i in keys],
            "asks_contact": version.asks_contact, "created_at": moment_text(version.created_at)}


def _answer(answer, numbers: dict[int, int], keys: dict[int, str]) -> dict:
    """One answer row as the document holds it: touchpoints by key, hidden fields in their usual order."""
    ratings = {keys[int(i)]: value for i, value in (answer.ratings or {}).items() if int(i) in keys}
    return {"version": numbers.get(answer.version_id), "answered_at": moment_text(answer.answered_at),
            "answered_on": answer.answered_on.isoformat(), "score": answer.score,
            "expectation": answer.expectation, "perception": answer.perception,
            "ratings": dict(sorted(ratings.items())), "comment": answer.comment, "language": answer.language,
            "hidden": {name: answer.hidden[name] for name in HIDDEN_FIELDS if name in (answer.hidden or {})},
            "contact_name": answer.contact_name, "contact_email": answer.contact_email,
            "contact_phone": answer.contact_phone}


# -- import -----------------------------------------------------------------------------------------------

def check_surveys(reader, document, touchpoint_keys: set[str], kpi_measures: dict[str, str]) -> dict:
    """The survey keys checked, every problem noted with its path: {"surveys": [(survey, versions, answers)],
    "privacy": months or None}. kpi_measures: the document's KPIs {code: measure}."""
    plan = {"surveys": [], "privacy": _check_privacy(reader, document)}
    codes = set()
    for path, item, values in read_items(reader, document, "surveys", "", SURVEY):
        values = with_defaults(values)
        _check_survey(reader, path, values, touchpoint_keys, kpi_measures, codes)
        versions = _check_versions(reader, item, path, values, touchpoint_keys)
        answers = _check_answers(reader, item, path, values, {v["number"] for v in versions}, touchpoint_keys)
        plan["surveys"].append((values, versions, answers))
    return plan


def _check_privacy(reader, document) -> int | None:
    kept = document.get("survey_privacy")
    if kept is None:
        return None
    if reader.obj(kept, "survey_privacy") is None:
        return None
    months = reader.get(kept, "retention_months", "survey_privacy", "integer")
    if isinstance(months, int) and not 1 <= months <= 120:
        reader.note("survey_privacy.retention_months", _("A whole number of months from 1 to 120."))
    return months if isinstance(months, int) else None


def _check_survey(reader, path: str, values: dict, touchpoint_keys, kpi_measures, codes: set) -> None:
    problems = Problems()
    code = values["code"]
    problems.require(code.isascii() and code.isalnum() and len(code) <= 16, "code",
                     _("Letters and digits, at most 16."))
    problems.require(code not in codes, "code", _("another survey has this code"))
    codes.add(code)
    check_line(problems, "title", values["title"], 200, required=True)
    values["title_nl"] = values["title_nl"] or ""
    check_line(problems, "title_nl", values["title_nl"], 200)
    problems.require(values["measure"] in HEADLINE_MEASURES, "measure", HEADLINE_MEASURES.describe())
    problems.require(values["period"] in PERIODS, "period", PERIODS.describe())
    problems.require(values["state"] in SURVEY_STATES, "state", SURVEY_STATES.describe())
    key = values["touchpoint"]
    problems.require(key is None or key in touchpoint_keys, "touchpoint",
                     _("%(key)s is not a touchpoint in this document's journey", key=key))
    kpi = values["kpi"]
    problems.require(kpi is None or kpi_measures.get(kpi) == values["measure"], "kpi",
                     _("%(code)s is not a KPI of this document measured in the survey's measure", code=kpi))
    origins = values["allowed_origins"] or []
    problems.require(all(origin_of(origin) == origin for origin in origins), "allowed_origins",
                     _("Each site is an origin only, such as https://shop.example.com."))
    report_checks(reader, path, problems)


def _check_versions(reader, item, path: str, survey: dict, touchpoint_keys: set[str]) -> list[dict]:
    versions = []
    raw_versions = reader.items(item, "versions", f"{path}.")
    if not raw_versions and isinstance(item.get("versions", []), list):  # "not a list" is said already
        reader.note(f"{path}.versions", _("A survey has at least one version of its questions."))
    for number, raw in enumerate(raw_versions):
        where = f"{path}.versions[{number}]"
        values = read_object(reader, raw, where, VERSION)
        if values is None:
            continue
        if values["number"] != number + 1:
            reader.note(f"{where}.number", _("Versions are numbered 1, 2, 3 … in order."))
        values["rated"] = values["rated"] or []
        if any(key not in touchpoint_keys for key in values["rated"]) or len(values["rated"]) > MAX_RATED:
            reader.note(f"{where}.rated", _("At most %(count)s keys of touchpoints in this document's journey.",
                                            count=MAX_RATED))
        if values["asks_gap"] and survey["touchpoint"] is None:
            reader.note(f"{where}.asks_gap", _("Expectation and perception are asked about a touchpoint: "
                                               "choose one first."))
        values["texts"] = _check_texts(reader, raw.get("texts"), f"{where}.texts")
        versions.append(values)
    return versions


def _check_texts(reader, texts, path: str) -> dict:
    if not isinstance(texts, dict):
        reader.note(path, _("not an object"))
        return {}
    checked = {}
    for key in QUESTION_KEYS:
        given = texts.get(key)
        if not isinstance(given, dict) or not all(isinstance(given.get(language), str) for language in LANGUAGES):
            reader.note(f"{path}.{key}", _("The question's text in English and Dutch (en, nl)."))
            continue
        problems = Problems()
        for language in LANGUAGES:
            check_line(problems, language, given[language], TEXT_LENGTH)
        for language, message in problems.items():
            reader.note(f"{path}.{key}.{language}", message)
        checked[key] = {language: given[language] for language in LANGUAGES}
    return checked


def _check_answers(reader, item, path: str, survey: dict, numbers: set[int], touchpoint_keys) -> list[dict]:
    answers = []
    low, high = SCALES.get(survey["measure"], (0, 10))
    for where, raw, values in read_items(reader, item, "answers", path, ANSWER):
        problems = Problems()
        problems.require(values["version"] in numbers, "version", _("not a version of this survey"))
        problems.require(low <= values["score"] <= high, "score",
                         _("Choose a score from %(low)s to %(high)s.", low=low, high=high))
        for name in ("expectation", "perception"):
            problems.require(values[name] is None or GAP_SCALE[0] <= values[name] <= GAP_SCALE[1], name,
                             _("Choose from 1 to 7."))
        problems.require(values["language"] in LANGUAGES, "language", _("en or nl"))
        values["comment"] = values["comment"] or ""
        check_text(problems, "comment", values["comment"], 5000)
        for name, length in (("contact_name", 200), ("contact_email", 254), ("contact_phone", 40)):
            check_line(problems, name, values[name] or "", length)
        values["ratings"] = _checked_map(problems, "ratings", raw.get("ratings"), touchpoint_keys,
                                         lambda v: isinstance(v, int) and not isinstance(v, bool)
                                         and GAP_SCALE[0] <= v <= GAP_SCALE[1])
        values["hidden"] = _checked_map(problems, "hidden", raw.get("hidden"), set(HIDDEN_FIELDS),
                                        lambda v: isinstance(v, str) and len(v) <= HIDDEN_VALUE_LENGTH)
        for name, message in problems.items():
            reader.note(f"{where}.{name}", message)
        answers.append(values)
    return answers


def _checked_map(problems: Problems, name: str, given, keys: set[str], fits) -> dict:
    """An answer's ratings ({touchpoint key: 1–7}) or hidden fields ({name: short text}), as given."""
    if given is None:
        return {}
    fine = isinstance(given, dict) and all(key in keys and fits(value) for key, value in given.items())
    problems.require(fine, name, _("Keys of this document (%(keys)s) with a value each.",
                                   keys=", ".join(sorted(keys)[:8]) or "—"))
    return dict(given) if fine else {}


# -- writing ----------------------------------------------------------------------------------------------

def write_surveys(organisation, plan: dict, insert) -> int:
    """Write the surveys, their versions and answers (with `insert`, the bulk writer); the KPI readings and
    touchpoint scores the answers gave travel in their own keys, so nothing is worked out again. A code another
    organisation holds already gets a new one. How many answers were written."""
    if plan.get("privacy") is not None:
        db.session.add(SurveyPrivacy(organisation_id=organisation.id, retention_months=plan["privacy"]))
    touchpoints = dict(db.session.execute(select(Touchpoint.key, Touchpoint.id).where(
        Touchpoint.organisation_id == organisation.id)).all())
    kpis = dict(db.session.execute(select(Kpi.code, Kpi.id).where(Kpi.organisation_id == organisation.id)).all())
    written = 0
    for values, versions, answers in plan.get("surveys", []):
        taken = db.session.scalar(select(Survey.id).where(Survey.code == values["code"])) is not None
        survey = Survey(organisation_id=organisation.id, code=new_code() if taken else values["code"],
                        title=values["title"], title_nl=values["title_nl"],
                        touchpoint_id=touchpoints.get(values["touchpoint"]), measure=values["measure"],
                        kpi_id=kpis.get(values["kpi"]), period=values["period"],
                        state=values["state"], allowed_origins=" ".join(values["allowed_origins"] or []),
                        created_at=values["created_at"])
        db.session.add(survey)
        db.session.flush()
        version_ids = dict(zip([v["number"] for v in versions], insert(SurveyVersion, [
            {"survey_id": survey.id, "number": v["number"], "texts": v["texts"], "asks_gap": v["asks_gap"],
             "rated": [touchpoints[key] for key in v["rated"]], "asks_contact": v["asks_contact"],
             "created_at": v["created_at"]} for v in versions]), strict=True))
        insert(SurveyAnswer, [_answer_row(organisation, survey, version_ids, touchpoints, a) for a in answers])
        if answers:  # the daily counts the pages read, from the answers just written
            days = [a["answered_on"] for a in answers]
            tally.recount(survey.id, min(days), max(days))
        written += len(answers)
    return written


def _answer_row(organisation, survey, version_ids: dict, touchpoints: dict, answer: dict) -> dict:
    return {"organisation_id": organisation.id, "survey_id": survey.id, "version_id": version_ids[answer["version"]],
            "answered_at": answer["answered_at"], "answered_on": answer["answered_on"], "score": answer["score"],
            "expectation": answer["expectation"], "perception": answer["perception"],
            "ratings": {str(touchpoints[key]): value for key, value in answer["ratings"].items()},
            "comment": answer["comment"], "language": answer["language"], "hidden": answer["hidden"],
            "contact_name": answer["contact_name"], "contact_email": answer["contact_email"],
            "contact_phone": answer["contact_phone"]}


# -- the workbook -----------------------------------------------------------------------------------------

def survey_answers_sheet(organisation, scope: SheetScope) -> Sheet:
    """Every answer given in the scope's days (whole days), the latest first; never the contact details."""
    since, until = scope.answers
    query = (select(SurveyAnswer.answered_at, Survey.title, SurveyVersion.number, SurveyAnswer.score,
                    SurveyAnswer.expectation, SurveyAnswer.perception, SurveyAnswer.comment, SurveyAnswer.language,
                    SurveyAnswer.hidden)
             .join(Survey, Survey.id == SurveyAnswer.survey_id)
             .join(SurveyVersion, SurveyVersion.id == SurveyAnswer.version_id)
             .where(SurveyAnswer.organisation_id == organisation.id, SurveyAnswer.answered_on >= since,
                    SurveyAnswer.answered_on <= until)
             .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()))
    rows = ([aware(at).astimezone(UTC).date(), title, number, score, expectation, perception, comment,
             language, (hidden or {}).get("order"), (hidden or {}).get("customer"), (hidden or {}).get("channel")]
            for at, title, number, score, expectation, perception, comment, language, hidden
            in db.session.execute(query))
    return Sheet(_l("Survey answers"), [
        Column(_l("Answered on"), "date"), Column(_l("Survey"), width=30), Column(_l("Version"), "whole"),
        Column(_l("Score"), "whole"), Column(_l("Expectation"), "whole"), Column(_l("Perception"), "whole"),
        Column(_l("Comment"), width=60), Column(_l("Language")), Column(_l("Order")), Column(_l("Customer")),
        Column(_l("Channel"))], list(rows))


def _export(organisation, with_answers: bool) -> dict:
    return {"survey_privacy": export_privacy(organisation), "surveys": export_surveys(organisation, with_answers)}


def _check(reader, document, known: dict) -> dict:
    """The surveys name the document's touchpoints and KPIs (known["touchpoints"], known["kpi_measures"])."""
    return check_surveys(reader, document, known["touchpoints"], known["kpi_measures"])


def _write(organisation, plan: dict, writing) -> dict:
    """The surveys and their answers, after the touchpoints and KPIs they name; how many, when there were any."""
    if not plan.get("surveys") and plan.get("privacy") is None:
        return {}
    return {"surveys": len(plan["surveys"]), "survey_answers": write_surveys(organisation, plan, writing.insert)}


# After the assessment rounds in the document, before the cases; the answers' sheet after the touchpoints'.
PART = ExchangePart(order=40, export=_export, check=_check, write=_write, removes=(Survey, SurveyPrivacy),
                    sheets=(WorkbookSheet(100, survey_answers_sheet),))
