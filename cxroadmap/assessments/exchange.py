"""The optional key `assessment_rounds` of a cxroadmap/1 document: rounds, raters, answers and comments.

Never the links: an imported rater gets a new one. Answers name their rater by email; comments travel apart,
sorted, as on the results page, so that they stay nameless.
"""

from datetime import UTC, datetime, time

from cxroadmap.assessments import links
from cxroadmap.assessments.models import AssessmentRater, AssessmentResponse, AssessmentRound
from cxroadmap.assessments.questionnaire import DIMENSIONS, DONT_KNOW, VIEWS, allowed_values, kind_of
from cxroadmap.assessments.services import rounds as all_rounds
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.coalition.services import email_problem, normal_email
from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.exchangekit.reading import plain_items
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS
from cxroadmap.stages import STAGES

ROUND = {"title": ("text", True), "opened_on": ("date", True), "closes_on": ("date", True),
         "closed_on": ("date", False), "opened_by": ("text", False), "confirmed_on": ("date", False),
         "confirmed_by": ("text", False), "confirmed_stage": ("text", False), "overrule_reason": ("text", False)}
RATER = {"name": ("text", True), "email": ("text", True), "function": ("text", False),
         "answered_on": ("date", False), "withdrawn_on": ("date", False)}
KINDS = ("dimension", "question", "view")


def _day(value):
    return value.isoformat() if value else None


def export_rounds(organisation) -> list[dict]:
    return [_round(r) for r in sorted(all_rounds(organisation), key=lambda r: (r.opened_on, r.id))]


def _round(assessment_round: AssessmentRound) -> dict:
    raters = assessment_round.raters
    answers = []
    for rater in raters:
        given = rater.response.answers if rater.response else {}
        for item in [*DIMENSIONS.keys, *QUESTIONS.keys, *VIEWS.keys]:
            if item in given:
                value = given[item]
                if item in QUESTIONS and value != DONT_KNOW:
                    value = int(value)
                answers.append({"rater_email": rater.email, kind_of(item): item, "value": value})
    return {
        "title": assessment_round.title, "opened_on": _day(assessment_round.opened_on),
        "closes_on": _day(assessment_round.closes_on), "closed_on": _day(assessment_round.closed_on),
        "opened_by": assessment_round.opened_by, "confirmed_on": _day(assessment_round.confirmed_on),
        "confirmed_by": assessment_round.confirmed_by, "confirmed_stage": assessment_round.confirmed_stage,
        "confirmed_scores": {q: assessment_round.confirmed_scores[q] for q in QUESTIONS.keys
                             if q in (assessment_round.confirmed_scores or {})},
        "overrule_reason": assessment_round.overrule_reason,
        "raters": [{"name": r.name, "email": r.email, "function": r.function,
                    "answered_on": _day(r.answered_at.date() if r.answered_at else None),
                    "withdrawn_on": _day(r.withdrawn_at.date() if r.withdrawn_at else None)} for r in raters],
        "answers": answers,
        "comments": sorted((r.response.comment for r in raters if r.response and r.response.comment),
                           key=str.casefold),
    }


def check_rounds(reader, document, known=None) -> list[dict] | None:
    """The rounds of the document, checked, each problem noted with its path; None when the key is absent."""
    items = plain_items(reader, document, "assessment_rounds", "", ROUND)
    if items is None:
        return None
    checked = []
    for where, item, values in items:
        if values["closes_on"] < values["opened_on"]:
            reader.note(f"{where}.closes_on", _("A round cannot close before it opens."))
        if values["confirmed_stage"] is not None and values["confirmed_stage"] not in STAGES:
            reader.note(f"{where}.confirmed_stage", STAGES.describe())
        scores = item.get("confirmed_scores") or {}
        if not isinstance(scores, dict) or any(
                q not in QUESTIONS or isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= MAX_SCORE
                for q, s in scores.items()):
            reader.note(f"{where}.confirmed_scores", _("A score is a whole number from 0 to %(most)s.",
                                                        most=MAX_SCORE))
            scores = {}
        raters = _raters(reader, item, where)
        answers = _answers(reader, item, where, {r["email"] for r in raters})
        comments = item.get("comments") or []
        if not isinstance(comments, list) or not all(isinstance(c, str) for c in comments):
            reader.note(f"{where}.comments", _("not a list of strings"))
            comments = []
        answering = {a["rater_email"] for a in answers} | {r["email"] for r in raters if r["answered_on"]}
        if len(comments) > len(answering):
            reader.note(f"{where}.comments", _("more comments than raters who answered"))
        checked.append({"values": values, "scores": dict(scores), "raters": raters, "answers": answers,
                        "comments": comments})
    return checked


def _raters(reader, item, where) -> list[dict]:
    raters, seen = [], set()
    for rater_where, _item, values in plain_items(reader, item, "raters", where, RATER) or []:
        values["email"] = normal_email(values["email"])
        problem = email_problem(values["email"])
        if problem:
            reader.note(f"{rater_where}.email", problem)
        elif values["email"] in seen:
            reader.note(f"{rater_where}.email", _("This person is already a rater in this round."))
        seen.add(values["email"])
        raters.append({**values, "function": values["function"] or ""})
    return raters


def _answers(reader, item, where, emails) -> list[dict]:
    answers = []
    for index, answer in enumerate(reader.items(item, "answers", f"{where}.")):
        path = f"{where}.answers[{index}]"
        if reader.obj(answer, path) is None:
            continue
        kinds = [k for k in KINDS if k in answer]
        email = normal_email(answer.get("rater_email") or "") if isinstance(answer.get("rater_email"), str) else ""
        if email not in emails:
            reader.note(f"{path}.rater_email", _("is not the email of a rater of this round"))
        if len(kinds) != 1:
            reader.note(path, _("names exactly one of dimension, question or view"))
            continue
        key = answer[kinds[0]]
        value = answer.get("value")
        value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(key, str) or kind_of(key) != kinds[0] or key not in allowed_values_keys():
            reader.note(f"{path}.{kinds[0]}", _("Not a question of this round."))
        elif value not in allowed_values(key):
            reader.note(f"{path}.value", _("Choose one of the answers offered."))
        else:
            answers.append({"rater_email": email, "item": key, "value": value})
    return answers


def allowed_values_keys() -> set[str]:
    return {*DIMENSIONS.keys, *QUESTIONS.keys, *VIEWS.keys}


def _moment(day):
    return datetime.combine(day, time.min, UTC) if day else None


def write_rounds(organisation, rounds: list[dict] | None, _writing=None) -> dict:
    """Write checked rounds; every rater gets a new link (none travels in a document). Raters who are in the
    coalition are linked to their member."""
    if not rounds:
        return {}
    members = {m.email: m for m in db.session.scalars(CoalitionMember.scoped_to(organisation))}
    for entry in rounds:
        values = entry["values"]
        made = AssessmentRound(organisation_id=organisation.id, confirmed_scores=entry["scores"],
                               **{k: (v if v is not None or k not in ("opened_by", "confirmed_by",
                                                                      "overrule_reason") else "")
                                  for k, v in values.items()})
        db.session.add(made)
        raters = {}
        for rater_values in entry["raters"]:
            member = members.get(rater_values["email"])
            rater = AssessmentRater(organisation_id=organisation.id, round=made, name=rater_values["name"],
                                    email=rater_values["email"], function=rater_values["function"],
                                    member_id=member.id if member else None,
                                    answered_at=_moment(rater_values["answered_on"]),
                                    withdrawn_at=_moment(rater_values["withdrawn_on"]))
            links.issue(rater)
            db.session.add(rater)
            raters[rater.email] = rater
        given: dict[str, dict] = {}
        for answer in entry["answers"]:
            given.setdefault(answer["rater_email"], {})[answer["item"]] = answer["value"]
        answering = [r for r in raters.values() if r.email in given or r.answered_at]
        comments = list(entry["comments"])
        for rater in answering:
            comment = comments.pop(0) if comments else ""
            db.session.add(AssessmentResponse(rater=rater, answers=given.get(rater.email, {}), comment=comment))
    db.session.flush()
    return {}


# The rounds come after the KPIs in the document, before the surveys.
# Replacing an organisation's contents removes its rounds (their raters and answers go with them): the document's
# rounds are what it then holds, not the old ones and the document's besides.
PART = ExchangePart(order=30, export=lambda organisation, _with_answers: {"assessment_rounds":
                                                                         export_rounds(organisation)},
                    check=check_rounds, write=write_rounds, removes=(AssessmentRound,))
