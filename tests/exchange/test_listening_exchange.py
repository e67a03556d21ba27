"""Surveys and follow-up cases in the cxroadmap/1 document: the answers only when asked (the command line's
--with-answers), every problem of an import named by its path at once, and nothing written then."""

import json

from cxroadmap.cases.models import Case
from cxroadmap.demo import seed_demo
from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import ImportRefused, import_text
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import delete_organisation
from cxroadmap.surveys.models import Survey, SurveyAnswer


def _demo_document() -> dict:
    organisation = seed_demo()
    db.session.commit()
    document = export_document(organisation, with_answers=True)
    delete_organisation(organisation)
    db.session.commit()
    return document


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_every_problem_of_the_surveys_and_cases_is_named_by_its_path_and_nothing_is_written():
    document = _demo_document()
    survey, effort = document["surveys"]
    survey["touchpoint"] = "nowhere"
    survey["allowed_origins"] = ["https://shop.example.com/checkout"]
    effort["kpi"] = survey["kpi"]  # an NPS KPI for a CES survey
    effort["versions"][0]["number"] = 2
    effort["versions"][0]["texts"]["comment"]["nl"] = "twee\nregels"
    survey["answers"][0]["score"] = 11
    survey["answers"][1]["ratings"] = {"nowhere": 5}
    survey["answers"][2]["answered_at"] = "2026-01-01T08:00:00"
    case = document["cases"][0]
    case["status"], case["owner_email"], case["root_cause"] = "lost", "nobody@example.com", "weather"
    document["case_settings"]["root_causes"].append({"key": "late-delivery", "en": "Late", "nl": "Laat"})
    try:
        import_text(json.dumps(document))
    except ImportRefused as refused:
        problems = refused.problems
    else:
        raise AssertionError("the document was taken")
    said = "\n".join(problems)
    for path in ("surveys[0].touchpoint:", "surveys[0].allowed_origins:", "surveys[1].kpi:",
                 "surveys[1].versions[0].number:", "surveys[1].versions[0].texts.comment.nl:",
                 "surveys[0].answers[0].score:", "surveys[0].answers[1].ratings:",
                 "surveys[0].answers[2].answered_at:", "cases[0].status:", "cases[0].owner_email:",
                 f"case_settings.root_causes[{len(document['case_settings']['root_causes']) - 1}].key:"):
        assert sum(line.startswith(path) for line in problems) == 1, (path, said)
    # The case's root cause is checked against the document's own list, which names no "weather".
    assert any(line.startswith("cases[0].root_cause:") for line in problems), said
    assert _count(Organisation) == _count(Survey) == _count(SurveyAnswer) == _count(Case) == 0


def test_a_survey_without_versions_is_one_problem_each_way():
    document = _demo_document()
    document["surveys"][0]["versions"] = []
    document["surveys"][1]["versions"] = "none"
    try:
        import_text(json.dumps(document))
    except ImportRefused as refused:
        problems = [line for line in refused.problems if ".versions" in line]
    assert problems == ["surveys[0].versions: A survey has at least one version of its questions.",
                        "surveys[1].versions: not a list"], problems


def test_a_code_another_organisation_holds_gets_a_new_one_and_the_rest_stays(app):
    document = _demo_document()
    text = dumps(document)
    first = import_text(text)
    db.session.commit()
    document["organisation"]["slug"] = "copy"
    copy = import_text(json.dumps(document))
    db.session.commit()
    codes = {s.organisation_id: s.code for s in db.session.scalars(db.select(Survey).order_by(Survey.id))}
    assert codes[first.id] != codes[copy.id]
    assert _count(SurveyAnswer) == 2 * sum(len(s["answers"]) for s in document["surveys"])


def test_the_command_line_exports_the_answers_only_when_asked(runner, tmp_path):
    seed_demo()
    db.session.commit()
    slug = db.session.scalar(db.select(Organisation.slug))
    without, with_answers = tmp_path / "without.json", tmp_path / "with.json"
    assert runner.invoke(args=["export", slug, "-o", str(without)]).exit_code == 0
    assert runner.invoke(args=["export", slug, "-o", str(with_answers), "--with-answers"]).exit_code == 0
    plain, full = json.loads(without.read_text()), json.loads(with_answers.read_text())
    assert "answers" not in plain["surveys"][0] and "contact" not in plain["cases"][0]
    assert full["surveys"][0]["answers"] and "contact" in full["cases"][0]
    assert "info@dewit.example" not in without.read_text()


def test_the_settings_page_downloads_the_answers_when_the_box_is_ticked(client_as):
    organisation = seed_demo()
    db.session.commit()
    browser = client_as("admin", organisation)
    plain = browser.get(f"/o/{organisation.slug}/export.json").get_json()
    full = browser.get(f"/o/{organisation.slug}/export.json?answers=1").get_json()
    assert "answers" not in plain["surveys"][0] and full["surveys"][0]["answers"]
    replace = browser.get(f"/o/{organisation.slug}/settings/import").get_data(as_text=True)
    assert f'href="/o/{organisation.slug}/export.json?answers=1"' in replace


def test_answers_imported_with_their_surveys_are_counted_where_the_pages_read_them(client_as):
    """The survey pages read the daily tallies: answers that arrive in a document count there as answered."""
    from cxroadmap.surveys.models import SurveyTally

    document = _demo_document()
    given = {survey["code"]: len(survey["answers"]) for survey in document["surveys"]}
    organisation = import_text(json.dumps(document))
    db.session.commit()
    counted = dict(db.session.execute(db.select(Survey.code, db.func.sum(SurveyTally.answers))
                                      .join(SurveyTally, SurveyTally.survey_id == Survey.id)
                                      .group_by(Survey.code)).all())
    assert counted == given and sum(given.values()) > 1000
    survey = db.session.scalar(db.select(Survey).where(Survey.state == "live").order_by(Survey.id))
    page = client_as("viewer", organisation).get(f"/o/{organisation.slug}/surveys").get_data(as_text=True)
    assert f"{given[survey.code]:,}" in page
