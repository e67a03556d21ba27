"""The executive story: its sentences say the figures of the data, in English and in Dutch."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cxroadmap.benefits.models import BenefitActual
from cxroadmap.demo import seed_demo
from cxroadmap.extensions import db
from cxroadmap.i18n import format_day, in_language
from cxroadmap.money import format_money
from cxroadmap.overview.narrative import narrative
from cxroadmap.overview.report_data import gather
from cxroadmap.timeutil import today, utcnow
from tests.factories import (
    BenefitFactory,
    DecisionFactory,
    InitiativeFactory,
    JourneyStageFactory,
    KpiFactory,
    KpiReadingFactory,
    MeetingFactory,
    OrganisationFactory,
    StageAssessmentFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)
from tests.reports.test_reports import render, text_of


def told_organisation():
    on = today()
    organisation = OrganisationFactory(name="Told B.V.", target_stage="align", target_date=date(2028, 6, 30))
    StageAssessmentFactory(organisation=organisation, stage="explore", assessed_on=on - timedelta(days=200))
    StageAssessmentFactory(organisation=organisation, stage="mobilise", assessed_on=on - timedelta(days=5),
                           rationale="Coalition formed; the journey map is being built.")
    nps = KpiFactory(organisation=organisation, code="NPS", name="Relationship NPS", measure="nps")
    KpiReadingFactory(kpi=nps, taken_on=on - timedelta(days=90), value=Decimal("20"), respondents=400)
    KpiReadingFactory(kpi=nps, taken_on=on - timedelta(days=2), value=Decimal("35"), respondents=400)
    csat = KpiFactory(organisation=organisation, code="CSAT", name="Delivery CSAT", measure="csat")
    KpiReadingFactory(kpi=csat, taken_on=on - timedelta(days=60), value=Decimal("80"), respondents=20)
    KpiReadingFactory(kpi=csat, taken_on=on - timedelta(days=3), value=Decimal("85"), respondents=20)
    days = KpiFactory(organisation=organisation, code="LEAD", name="Lead time", kind="o_data", measure="days",
                      direction="down")
    KpiReadingFactory(kpi=days, taken_on=on - timedelta(days=40), value=Decimal("5"))
    KpiReadingFactory(kpi=days, taken_on=on - timedelta(days=10), value=Decimal("4"))
    stage = JourneyStageFactory(organisation=organisation, name="Use")
    for name, perception in (("Delivery", "4.5"), ("Invoice", "5.5"), ("Webshop", "6.2")):
        TouchpointScoreFactory(touchpoint=TouchpointFactory(stage=stage, name=name), scored_on=on,
                               expectation=Decimal("6.0"), perception=Decimal(perception))
    red = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls", health="red",
                            status="in_progress", start_date=date(on.year, 1, 1))
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Spare parts portal", health="red",
                      status="in_progress")
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=on - timedelta(days=7))
    decision = DecisionFactory(meeting=meeting, text="Hire two planners")
    decision.initiatives.append(red)
    benefit = BenefitFactory(initiative=red, annual_amount=Decimal("120000"), confidence=Decimal("1"))
    db.session.add(BenefitActual(benefit_id=benefit.id, month=date(on.year, 1, 1), amount=Decimal("2500")))
    db.session.commit()
    return organisation


def story_of(organisation, language: str) -> tuple[list[str], object]:
    data = gather(organisation, today(), utcnow(), 3, 365)
    with in_language(language):
        return narrative(data.facts), data


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_story_says_the_figures_of_the_data(language):
    organisation = told_organisation()
    (stage, kpis, gaps, reds, money), data = story_of(organisation, language)
    with in_language(language):
        moved_on, target_on = format_day(today() - timedelta(days=5)), format_day(date(2028, 6, 30))
        estimated = format_money(data.by_year[today().year], "EUR", language)
        realised = format_money(Decimal("2500"), "EUR", language)
        decided_on = format_day(today() - timedelta(days=7))
    words = {
        "en": {"stage": ["moved up from Explore to Mobilise", moved_on, "Coalition formed", "Align", target_on],
               "kpis": ["NPS Relationship NPS went from 20.0 to 35.0 (400 → 400 answers): a clear rise at 95 %",
                        "CSAT Delivery CSAT went from 80.0", "(20 → 20 answers): too few answers to conclude",
                        "LEAD Lead time went from 5"],
               "gaps": ["Delivery (−1.5) and Invoice (−0.5)"],
               "reds": ["2 initiatives are red", f"INIT-1 Delay calls, decided on {decided_on}: “Hire two planners”",
                        "INIT-2 Spare parts portal, no decision taken yet"],
               "money": [estimated, realised, "realised so far"]},
        "nl": {"stage": ["van Verkennen naar Mobiliseren", moved_on, "Coalition formed", target_on],
               "kpis": ["NPS Relationship NPS ging van 20,0 naar 35,0 (400 → 400 antwoorden): een duidelijke stijging",
                        "(20 → 20 antwoorden): te weinig antwoorden", "LEAD Lead time ging van 5"],
               "gaps": ["Delivery (−1,5) en Invoice (−0,5)"],
               "reds": ["2 initiatieven staan op rood",
                        f"INIT-1 Delay calls, besloten op {decided_on}: „Hire two planners”",
                        "INIT-2 Spare parts portal, nog geen besluit"],
               "money": [estimated, realised, "gerealiseerd"]},
    }[language]
    for subject, sentence in (("stage", stage), ("kpis", kpis), ("gaps", gaps), ("reds", reds), ("money", money)):
        for expected in words[subject]:
            assert expected in sentence, (subject, expected, sentence)
    assert "Webshop" not in gaps  # it exceeds what customers expect: no gap to tell


def test_the_report_opens_with_the_story_in_both_reports():
    organisation = told_organisation()
    for kind in ("summary", "roadmap"):
        text = text_of(render(organisation, kind))
        assert "In short" in text
        assert "a clear rise at 95 %" in text
        assert text.index("In short") < text.index("Readiness")


def test_an_organisation_with_nothing_yet_gets_plain_sentences():
    story, _data = story_of(OrganisationFactory(), "en")
    assert story == [
        "The maturity stage has not been assessed yet.", "No KPI has two readings to compare yet.",
        "No touchpoint has been scored for expectation and perception yet.", "No initiative is red.",
        f"No benefit is estimated for {today().year} and none has been realised."]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_demo_organisation_has_a_story(language):
    organisation = seed_demo()
    story, data = story_of(organisation, language)
    assert len(story) == 5 and all(story)
    reds = [f.initiative for f in data.initiatives if f.initiative.health == "red"
            and f.initiative.status not in ("done", "cancelled")]
    for initiative in reds[:4]:
        assert initiative.ref in story[3]
