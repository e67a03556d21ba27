"""The roadmap PDF tells how the stage was assessed when it came from a round, and only then."""

from cxroadmap.assessments import services
from cxroadmap.assessments.results import round_results
from cxroadmap.extensions import db
from cxroadmap.maturity.services import assess_stage
from cxroadmap.timeutil import today
from tests.assessments.test_services import closed_round_with_answers
from tests.factories import OrganisationFactory
from tests.reports.test_reports import render, text_of


def confirmed(organisation, stage="operationalise", reason="The <b>raters</b> & the board differ."):
    made = closed_round_with_answers(organisation, raters=3)
    results = round_results(made)
    services.confirm(made, stage, dict(results.suggested_scores), reason, results.suggested_stage,
                     results.suggested_scores, results.answered, confirmed_by="stella@example.com")
    db.session.commit()
    return made


def test_the_roadmap_has_a_section_on_the_round_the_stage_came_from():
    organisation = OrganisationFactory(slug="rounds")
    confirmed(organisation)
    text = text_of(render(organisation))
    assert "How the stage was assessed" in text
    assert "assessment round “Spring check”" in text and "3 of 3 raters" in text
    assert "The answers suggested Mobilise" in text
    assert "Steering chose otherwise, because: The <b>raters</b> & the board differ." in text
    assert "Purposeful leadership" in text and "Customer insight" in text


def test_no_round_section_once_a_later_stage_was_typed_in():
    organisation = OrganisationFactory(slug="typed")
    confirmed(organisation)
    assess_stage(organisation, "align", today(), "Board", "Typed in.")
    db.session.commit()
    assert "How the stage was assessed" not in text_of(render(organisation))
