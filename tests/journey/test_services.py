"""Changing the journey: stages, touchpoints and scores, refused with reasons and never half-written."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from cxroadmap.audit.models import AuditEvent
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.journey import reading, services
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import create_organisation
from cxroadmap.timeutil import today
from tests.factories import (
    JourneyStageFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)


def names(organisation):
    return [stage.name for stage in services.journey_stages(organisation)]


def test_a_new_organisation_starts_with_the_eight_stages_in_its_language():
    english = create_organisation("Van Dam Parts", locale="en")
    dutch = create_organisation("Van Dam Onderdelen", locale="nl")
    assert names(english) == ["Awareness", "Discovery", "Attraction", "Interaction", "Purchase", "Use",
                              "Cultivation", "Advocacy"]
    assert names(dutch)[0] == "Bewustwording" and len(names(dutch)) == 8


def test_stages_are_renamed_reordered_added_and_removed():
    organisation = OrganisationFactory()
    services.give_default_stages(organisation)
    stages = services.journey_stages(organisation)
    services.rename_stage(organisation, stages[0], "  Hearing of us  ")
    services.move_stage(organisation, stages[7], -1)  # advocacy before cultivation
    services.add_stage(organisation, "Renewal")
    services.remove_stage(organisation, stages[1])  # discovery
    assert names(organisation) == ["Hearing of us", "Attraction", "Interaction", "Purchase", "Use", "Advocacy",
                                   "Cultivation", "Renewal"]
    assert [s.position for s in services.journey_stages(organisation)] == list(range(1, 9))


def test_a_stage_name_must_be_unique_whatever_its_case():
    organisation = OrganisationFactory()
    services.give_default_stages(organisation)
    with pytest.raises(DomainError) as refusal:
        services.add_stage(organisation, "PURCHASE")
    assert "name" in refusal.value.errors
    with pytest.raises(DomainError):
        services.add_stage(organisation, "")
    assert len(names(organisation)) == 8


def test_a_stage_with_touchpoints_or_the_last_stage_is_not_removed():
    stage = JourneyStageFactory(name="Use")
    organisation = _organisation(stage.organisation_id)
    TouchpointFactory(stage=stage)
    with pytest.raises(DomainError, match="touchpoints"):
        services.remove_stage(organisation, stage)
    db.session.execute(db.delete(Touchpoint))
    with pytest.raises(DomainError, match="at least one stage"):
        services.remove_stage(organisation, stage)


def test_a_touchpoint_gets_a_stable_key_from_its_name_and_keeps_it_through_a_rename():
    organisation = OrganisationFactory()
    stage = services.give_default_stages(organisation)[5]
    team = TeamFactory(organisation=organisation, name="Field service")
    first = services.add_touchpoint(organisation, stage.id, "Part on site before 10:00", "Field service",
                                    team.id, True)
    second = services.add_touchpoint(organisation, stage.id, "Part on site before 10:00!", "Delivery")
    assert (first.key, second.key) == ("part-on-site-before-10-00", "part-on-site-before-10-00-2")
    services.update_touchpoint(organisation, first, stage.id, "Engineer has the part by 10:00", "Field service",
                               team.id, True)
    assert services.touchpoint_by_key(organisation, "part-on-site-before-10-00").name == \
        "Engineer has the part by 10:00"


def test_a_touchpoint_refuses_another_organisations_stage_or_team_and_a_bad_key():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    mine = services.give_default_stages(organisation)[0]
    theirs = services.give_default_stages(other)[0]
    their_team = TeamFactory(organisation=other)
    with pytest.raises(DomainError) as refusal:
        services.add_touchpoint(organisation, theirs.id, "Trade fair", team_id=their_team.id, key="Not A Key")
    assert set(refusal.value.errors) == {"stage_id", "team_id", "key"}
    with pytest.raises(DomainError) as refusal:
        services.add_touchpoint(organisation, mine.id, "")
    assert set(refusal.value.errors) == {"name"}
    assert db.session.scalar(db.select(db.func.count(Touchpoint.id))) == 0


def test_scores_are_checked_on_the_one_to_seven_scale_and_kept():
    touchpoint = TouchpointFactory()
    organisation = _organisation(touchpoint.organisation_id)
    good = dict(scored_on=date(2026, 3, 1), expectation=D("6.2"), perception=D("4.8"), respondents=120,
                source="Spring survey")
    score = services.add_score(organisation, touchpoint, **good)
    assert score.gap == D("-1.40")
    bad = dict(scored_on=today() + timedelta(days=2), expectation=D("7.5"), perception=D("0"), respondents=0,
               source="x" * 201)
    with pytest.raises(DomainError) as refusal:
        services.add_score(organisation, touchpoint, **bad)
    assert set(refusal.value.errors) == {"scored_on", "expectation", "perception", "respondents", "source"}
    services.add_score(organisation, touchpoint, **{**good, "scored_on": date(2026, 6, 1), "perception": D("5.9")})
    db.session.expire_all()
    touchpoint = db.session.get(Touchpoint, touchpoint.id)
    assert [s.perception for s in touchpoint.scores] == [D("4.80"), D("5.90")]
    assert touchpoint.latest_score.gap == D("-0.30")


def test_changes_to_the_journey_reach_the_audit_trail_with_their_organisation():
    organisation = OrganisationFactory()
    stage = services.give_default_stages(organisation)[0]
    touchpoint = services.add_touchpoint(organisation, stage.id, "Website visit", "Website")
    services.add_score(organisation, touchpoint, date(2026, 1, 5), D("5"), D("5.5"), 30)
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.organisation_id == organisation.id)).all()
    kinds = {(e.object_type, e.action) for e in events}
    assert {("Journey stage", "create"), ("Touchpoint", "create"), ("Touchpoint score", "create")} <= kinds
    score_event = next(e for e in events if e.object_type == "Touchpoint score")
    assert score_event.object_label == "Website visit 2026-01-05"


def test_the_reading_flags_no_owner_and_a_moment_of_truth_unscored_for_180_days():
    on = date(2026, 11, 23)
    stage = JourneyStageFactory()
    team = TeamFactory(organisation_id=stage.organisation_id)
    owned_recent = TouchpointFactory(stage=stage, team_id=team.id, moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=owned_recent, scored_on=on - timedelta(days=180))
    owned_old = TouchpointFactory(stage=stage, team_id=team.id, moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=owned_old, scored_on=on - timedelta(days=181))
    orphan = TouchpointFactory(stage=stage, team_id=None)
    journey = reading.journey_reading(_organisation(stage.organisation_id), on)
    flagged = {r.touchpoint.id: (r.no_owner, r.unmeasured_moment) for r in journey.flagged}
    assert flagged == {owned_old.id: (False, True), orphan.id: (True, False)}


def test_ranking_puts_the_widest_shortfall_first_and_pools_a_stage_by_respondents():
    stage = JourneyStageFactory()
    a = TouchpointFactory(stage=stage, name="A")
    b = TouchpointFactory(stage=stage, name="B")
    c = TouchpointFactory(stage=stage, name="C")
    TouchpointScoreFactory(touchpoint=a, expectation=D("6"), perception=D("4"), respondents=30)  # −2
    TouchpointScoreFactory(touchpoint=b, expectation=D("4"), perception=D("5"), respondents=10)  # +1
    journey = reading.journey_reading(_organisation(stage.organisation_id), date(2026, 11, 23))
    assert [r.touchpoint.name for r in journey.ranked] == ["A", "B", "C"]
    assert journey.stages[0].gap == D("-1.25")  # (−60 + 10) / 40
    assert c.id in {r.touchpoint.id for r in journey.touchpoints if r.latest is None}


def test_expectation_coverage_counts_touchpoints_with_any_score():
    stage = JourneyStageFactory()
    scored = TouchpointFactory(stage=stage)
    TouchpointFactory(stage=stage)
    TouchpointFactory(stage=stage)
    TouchpointScoreFactory(touchpoint=scored)
    TouchpointScoreFactory(touchpoint=scored, scored_on=date(2026, 7, 1))
    assert reading.expectation_coverage(_organisation(stage.organisation_id)) == (1, 3)


def test_removing_a_touchpoint_removes_its_scores():
    score = TouchpointScoreFactory()
    touchpoint = db.session.get(Touchpoint, score.touchpoint_id)
    services.remove_touchpoint(_organisation(touchpoint.organisation_id), touchpoint)
    assert db.session.scalar(db.select(db.func.count(TouchpointScore.id))) == 0


def _organisation(organisation_id):
    return db.session.get(Organisation, organisation_id)


def test_a_touchpoint_moves_within_its_stage_and_the_others_close_up():
    stage = JourneyStageFactory()
    organisation = _organisation(stage.organisation_id)
    first, second, third = (services.add_touchpoint(organisation, stage.id, name) for name in ("A", "B", "C"))
    services.move_touchpoint(organisation, third, -1)
    services.move_touchpoint(organisation, first, -1)  # already first: stays
    db.session.expire_all()
    stage = db.session.get(JourneyStage, stage.id)
    assert [t.name for t in stage.touchpoints] == ["A", "C", "B"]
    assert [t.position for t in stage.touchpoints] == [1, 2, 3]
