"""Assessment rounds in the cxroadmap/1 document: the optional key, round trip, never the links."""

import json
from datetime import timedelta

import pytest

from cxroadmap.assessments import links, services
from cxroadmap.assessments.results import round_results
from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import ImportRefused, import_text
from cxroadmap.exchange.document.replace import replace_contents
from cxroadmap.extensions import db
from cxroadmap.organisations.services import organisation_by_slug
from cxroadmap.timeutil import today
from tests.assessments.test_services import answer, closed_round_with_answers
from tests.exchange.test_exchange import round_trip, tricky_organisation
from tests.factories import assessment_round


def organisation_with_rounds():
    organisation = tricky_organisation()
    confirmed = closed_round_with_answers(organisation, raters=4)
    results = round_results(confirmed)
    services.confirm(confirmed, "align", dict(results.suggested_scores), "They were <b>too</b> modest.",
                     results.suggested_stage, results.suggested_scores, results.answered, confirmed_by="sam@x.nl")
    services.withdraw(confirmed, confirmed.raters[3])
    running, tokens = assessment_round(organisation, raters=2, title="Autumn 🚚 & <i>check</i>")
    services.add_rater(running, "Olga Outside", "olga@example.com", "Panel")
    answer(running.raters[0], leadership="dont_know", comment="Zeer \"goed\" & <script>")
    db.session.commit()
    return organisation, tokens


def test_rounds_travel_and_come_back_byte_identical_without_any_link():
    organisation, tokens = organisation_with_rounds()
    first, second = round_trip(organisation)
    assert first == second
    document = json.loads(first)
    spring, autumn = document["assessment_rounds"]
    assert spring["confirmed_stage"] == "align" and spring["overrule_reason"] == "They were <b>too</b> modest."
    assert spring["raters"][3]["withdrawn_on"] == today().isoformat()
    assert {"rater_email", "question", "value"} <= set(spring["answers"][4]) and spring["answers"][4]["value"] == 3
    assert autumn["comments"] == ['Zeer "goed" & <script>']
    assert {"rater_email": autumn["raters"][0]["email"], "dimension": "leadership", "value": "dont_know"} \
        in autumn["answers"]
    for token in tokens.values():
        assert token not in first
    for word in ("token", "salt", "hash"):
        assert word not in first


def test_imported_raters_get_new_links_that_work():
    organisation, tokens = organisation_with_rounds()
    round_trip(organisation)
    autumn = services.rounds(organisation_by_slug("tricky"))[0]
    assert autumn.title.startswith("Autumn")
    for rater in autumn.raters:
        assert links.token_for(rater) not in tokens.values()
        assert links.rater_by_token(links.token_for(rater), today()).id == rater.id


def test_documents_without_rounds_still_import():
    organisation = tricky_organisation()
    document = export_document(organisation)
    del document["assessment_rounds"]
    text = json.dumps(document)
    db.session.delete(organisation)
    db.session.commit()
    assert services.rounds(import_text(text)) == []


def test_bad_rounds_are_named_by_their_paths_and_nothing_is_written():
    organisation = tricky_organisation()
    document = export_document(organisation)
    document["organisation"]["slug"] = "elsewhere"
    on = today().isoformat()
    document["assessment_rounds"] = [{
        "title": "Bad", "opened_on": on, "closes_on": (today() - timedelta(days=1)).isoformat(),
        "confirmed_stage": "superb", "confirmed_scores": {"know_customers": 9},
        "raters": [{"name": "A", "email": "a@example.com"}, {"name": "B", "email": "A@example.com"}],
        "answers": [{"rater_email": "nobody@example.com", "dimension": "leadership", "value": "mobilise"},
                    {"rater_email": "a@example.com", "question": "know_roles", "value": 7},
                    {"rater_email": "a@example.com", "view": "leadership", "value": "random"},
                    {"rater_email": "a@example.com", "dimension": "leadership", "view": "service", "value": "x"}],
        "comments": ["one", "two"]}]
    with pytest.raises(ImportRefused) as refused:
        import_text(json.dumps(document))
    paths = {line.split(":")[0] for line in refused.value.problems}
    assert paths == {"assessment_rounds[0].closes_on", "assessment_rounds[0].confirmed_stage",
                     "assessment_rounds[0].confirmed_scores", "assessment_rounds[0].raters[1].email",
                     "assessment_rounds[0].answers[0].rater_email", "assessment_rounds[0].answers[1].value",
                     "assessment_rounds[0].answers[2].view", "assessment_rounds[0].answers[3]",
                     "assessment_rounds[0].comments"}
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(services.AssessmentRound)) == 0
    assert services.rounds(organisation) == []


def test_replacing_the_contents_keeps_the_documents_rounds_and_no_others():
    """Replacing an organisation's contents with its own document leaves its rounds as they were, not twice."""
    organisation, _tokens = organisation_with_rounds()
    text = dumps(export_document(organisation))
    replace_contents(organisation, text)
    db.session.commit()
    replace_contents(organisation, text)
    db.session.commit()
    assert len(services.rounds(organisation)) == len(json.loads(text)["assessment_rounds"]) == 2
    assert dumps(export_document(organisation)) == text
