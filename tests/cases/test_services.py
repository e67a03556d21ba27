"""Opening a case from an answer, working it, and the organisation's settings, without HTTP."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cxroadmap.cases import services
from cxroadmap.cases.models import Case
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.mail import QueuedMail
from cxroadmap.measures.answers import import_answers
from cxroadmap.timeutil import aware
from tests import factories
from tests.cases.conftest import send, unhappy


def cases() -> list[Case]:
    return list(db.session.scalars(select(Case).order_by(Case.id)))


def test_an_unhappy_answer_opens_a_case_for_the_team_that_owns_the_touchpoint(org, team, touchpoint):
    send(unhappy(org, touchpoint, contact_name="Jan", contact="jan@example.com", language="nl"))
    [case] = cases()
    assert (case.team_id, case.touchpoint_id, case.status, case.score, case.measure) == (
        team.id, touchpoint.id, "new", 3, "nps")
    assert (case.contact_name, case.contact, case.language, case.comment) == ("Jan", "jan@example.com", "nl",
                                                                              "Late again.")
    assert case.due_at > case.opened_at


def test_a_happy_answer_opens_nothing(org, touchpoint):
    send(unhappy(org, touchpoint, score=9))
    assert cases() == []


def test_without_an_owning_team_the_case_is_the_cx_leads(org):
    send(unhappy(org, None, measure="csat", score=1))
    [case] = cases()
    assert case.team_id is None and case.touchpoint_id is None


def test_a_touchpoint_of_another_organisation_is_not_taken(org, touchpoint):
    other = factories.OrganisationFactory(slug="other")
    send(unhappy(other, touchpoint))
    [case] = cases()
    assert case.organisation_id == other.id and case.touchpoint_id is None and case.team_id is None


def test_no_contact_is_kept_unless_the_customer_gave_one(org, touchpoint):
    send(unhappy(org, touchpoint, contact_name="Jan", contact=None))
    [case] = cases()
    assert case.contact is None and case.contact_name is None


def test_opening_queues_a_mail_in_the_same_transaction(org, team, touchpoint):
    factories.MemberFactory(organisation=org, name="Omer", email="omer@example.com", function="logistics")
    factories.MemberFactory(organisation=org, name="Sales", email="sales@example.com", function="Sales")
    send(unhappy(org, touchpoint))
    queued = db.session.scalars(select(QueuedMail)).all()
    assert [(q.kind, q.parameters["to"]) for q in queued] == [("case_opened", "omer@example.com")]


def test_the_case_is_rolled_back_with_the_answer(org, touchpoint):
    from flask import current_app

    from cxroadmap.measures.feedback import answer_recorded

    answer_recorded.send(current_app._get_current_object(), answer=unhappy(org, touchpoint))
    db.session.rollback()
    assert cases() == [] and db.session.scalar(select(func.count(QueuedMail.id))) == 0


def test_the_csv_import_opens_cases_only_for_recent_answers(org, team, touchpoint):
    kpi = factories.KpiFactory(organisation=org, code="NPS", measure="nps", kind="x_data")
    recent, old = date.today() - timedelta(days=2), date.today() - timedelta(days=40)
    csv = (f"score,answered_on,touchpoint,comment\n2,{recent},on-site,Late\n3,{old},on-site,Old news\n"
           f"9,{recent},on-site,Great\n1,{recent},On site before 10:00,By name\n0,,,No date\n")
    import_answers(org, kpi, csv, date.today())
    db.session.commit()
    found = cases()
    assert [(c.comment, c.touchpoint_id, c.source) for c in found] == [
        ("Late", touchpoint.id, "import"), ("By name", touchpoint.id, "import"), ("No date", None, "import")]


def _opened(org, touchpoint) -> Case:
    send(unhappy(org, touchpoint))
    return cases()[0]


def test_working_a_case_records_follow_up_and_close(org, touchpoint):
    case = _opened(org, touchpoint)
    member = factories.MemberFactory(organisation=org)
    initiative = factories.InitiativeFactory(organisation=org, ref="INIT-7")
    now = datetime.now(UTC)
    services.update_case(org, case, status="contacted", owner_id=member.id, outcome="", root_cause="late-delivery",
                         notes="Called", initiative_ref="init-7", seen_status="new", now=now)
    assert aware(case.followed_up_at) == now and case.closed_at is None and case.initiative_id == initiative.id
    later = now + timedelta(hours=2)
    services.update_case(org, case, status="resolved", owner_id=member.id, outcome="Route changed.",
                         root_cause="late-delivery", notes="", initiative_ref="", seen_status="contacted", now=later)
    assert aware(case.followed_up_at) == now and aware(case.closed_at) == later and case.initiative_id is None
    assert services.cases_of_initiative(initiative) == []


def test_every_problem_with_an_update_is_named_at_once(org, touchpoint):
    case = _opened(org, touchpoint)
    other_member = factories.MemberFactory(organisation=factories.OrganisationFactory(slug="else"))
    with pytest.raises(DomainError) as refused:
        services.update_case(org, case, status="resolved", owner_id=other_member.id, outcome="",
                             root_cause="nonsense", notes="", initiative_ref="INIT-99", seen_status="new")
    assert set(refused.value.errors) == {"owner_id", "root_cause", "initiative_ref", "outcome"}


def test_resolving_twice_one_wins(org, touchpoint):
    case = _opened(org, touchpoint)
    services.update_case(org, case, status="resolved", owner_id=None, outcome="Done.", root_cause="",
                         notes="", initiative_ref="", seen_status="new")
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.update_case(org, case, status="not_resolvable", owner_id=None, outcome="Me too.", root_cause="",
                             notes="", initiative_ref="", seen_status="new")
    assert "after you opened it" in refused.value.errors["status"]


def test_the_settings_name_every_problem_and_then_change_the_rule(org, touchpoint):
    with pytest.raises(DomainError) as refused:
        services.update_settings(org, 11, 0, 8, 1, 0, "No bar")
    assert set(refused.value.errors) == {"nps_at_most", "csat_at_most", "ces_at_most", "gap_at_most",
                                           "service_days", "root_causes"}
    services.update_settings(org, 4, None, 3, -3, 5, "Late | Laat")
    db.session.commit()
    send(unhappy(org, touchpoint, score=5))
    assert cases() == []
    send(unhappy(org, touchpoint, score=4))
    [case] = cases()
    assert services.root_causes(services.settings_of(org)) == [{"key": "late", "en": "Late", "nl": "Laat"}]
    assert aware(case.due_at) - aware(case.opened_at) >= timedelta(days=5)
