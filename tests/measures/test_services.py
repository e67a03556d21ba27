"""KPI services: defining KPIs, readings, survey answers, ties to initiatives and journey evidence."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from cxroadmap.audit.models import AuditEvent
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.measures import answers, links, services
from cxroadmap.measures.models import KpiReading, SurveyComment
from cxroadmap.timeutil import today
from tests import factories


def kpi_values(**overrides):
    values = {"code": "nps-rel", "name": "Relationship NPS", "kind": "x_data", "measure": "nps", "unit": "",
              "direction": "up", "baseline_value": D("12"), "baseline_on": date(2026, 1, 1),
              "target_value": D("30"), "target_on": date(2027, 1, 1), "owner": None, "touchpoint": None}
    return {**values, **overrides}


def refusal(action) -> dict:
    with pytest.raises(DomainError) as caught:
        action()
    db.session.rollback()
    return caught.value.errors


def test_a_kpi_is_created_with_its_code_in_capitals_and_audited():
    organisation = factories.OrganisationFactory()
    kpi = services.create_kpi(organisation, **kpi_values())
    db.session.commit()
    assert kpi.code == "NPS-REL"
    assert services.kpi_by_code(organisation, "nps-rel") == kpi
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "KPI"))
    assert event.action == "create" and event.organisation_id == organisation.id
    assert event.object_label == "NPS-REL Relationship NPS"


def test_kpi_refusals_name_their_fields():
    organisation = factories.OrganisationFactory()
    factories.KpiFactory(organisation=organisation, code="NPS-REL")
    errors = refusal(lambda: services.create_kpi(organisation, **kpi_values(
        code="nps-rel", name="", kind="o_data", baseline_value=D("120"), target_on=date(2025, 1, 1))))
    assert "already the code" in errors["code"]
    assert errors["name"] == "This field is required."
    assert "X-data" in errors["kind"]
    assert "-100 to 100" in errors["baseline_value"]
    assert "after the baseline date" in errors["target_on"]
    assert db.session.scalar(select(func.count()).select_from(KpiReading)) == 0


def test_the_target_must_be_better_than_the_baseline_in_the_kpi_direction():
    organisation = factories.OrganisationFactory()
    errors = refusal(lambda: services.create_kpi(organisation, **kpi_values(
        code="LEAD", kind="o_data", measure="days", unit="days", direction="down", baseline_value=D("3"),
        target_value=D("4"))))
    assert "lower when lower is better" in errors["target_value"]
    kpi = services.create_kpi(organisation, **kpi_values(
        code="LEAD", kind="o_data", measure="days", unit="days", direction="down", baseline_value=D("3"),
        target_value=D("1.5")))
    assert kpi.direction == "down"


def test_a_touchpoint_of_another_organisation_is_refused():
    mine, theirs = factories.OrganisationFactory(), factories.OrganisationFactory()
    stage = JourneyStage(organisation_id=theirs.id, name="Use", position=1)
    db.session.add(stage)
    db.session.flush()
    foreign = Touchpoint(organisation_id=theirs.id, stage=stage, key="invoice", name="Invoice")
    db.session.add(foreign)
    db.session.flush()
    errors = refusal(lambda: services.create_kpi(mine, **kpi_values(touchpoint=foreign)))
    assert "touchpoint" in errors


def test_a_reading_replaces_the_one_of_the_same_day_and_is_never_in_the_future():
    kpi = factories.KpiFactory()
    services.record_reading(kpi, date(2026, 3, 1), D("22"), 140, "Q1 survey")
    services.record_reading(kpi, date(2026, 3, 1), D("23"), 150)
    db.session.commit()
    readings = services.readings_by_kpi([kpi.id])[kpi.id]
    assert [(r.value, r.respondents) for r in readings] == [(D("23.0000"), 150)]
    errors = refusal(lambda: services.record_reading(kpi, today() + timedelta(days=1), D("30")))
    assert "future" in errors["taken_on"]
    errors = refusal(lambda: services.record_reading(kpi, date(2026, 4, 1), D("101")))
    assert "-100 to 100" in errors["value"]


def test_figures_of_a_kpi_on_a_day():
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation, baseline_value=D("20"), target_value=D("40"))
    for day, value in ((date(2026, 2, 1), "21"), (date(2026, 4, 1), "23"), (date(2026, 6, 1), "24")):
        factories.KpiReadingFactory(kpi=kpi, taken_on=day, value=D(value))
    figures = services.kpi_figures(kpi, date(2026, 7, 2))
    # Expected 20 + 20 × 182/365 = 29.97; 24 covers 4 of 9.97: less than half, off track.
    assert figures.status == "off_track" and figures.status_label == "Off track"
    assert figures.achievement == D("20.0")
    assert figures.trend == "improving"
    assert figures.latest.value == D("24")
    assert [f.kpi.code for f in services.off_track(organisation, date(2026, 7, 2))] == [kpi.code]
    assert services.off_track(organisation, date(2026, 2, 1)) == []


def nps_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_survey_answers_are_stored_and_make_the_reading_of_their_period_with_passives_in_n():
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation)
    content = nps_file("score,comment", "10,great", "9,", "7,", "8,slow invoice", "3,never again", "6,")
    imported = answers.import_answers(organisation, kpi, content, date(2026, 5, 6))
    db.session.commit()
    assert imported.count == 6 and imported.periods == 1
    # 2 promoters, 2 passives, 2 detractors of 6 answers: 0.0, dated on the first day of its month.
    reading = db.session.scalar(select(KpiReading))
    assert (reading.taken_on, reading.value, reading.respondents) == (date(2026, 5, 1), D("0.0"), 6)
    assert db.session.scalar(select(func.count()).select_from(SurveyComment)) == 0  # answers are kept instead


def test_answers_of_several_months_make_a_reading_each():
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation, measure="csat", baseline_value=D("60"),
                               target_value=D("80"))
    content = nps_file("Score;Comment;Answered_on", "5;Fast;2026-04-02", "4;;2026-04-03", "2;Wrong part;")
    answers.import_answers(organisation, kpi, content, date(2026, 5, 1))
    db.session.commit()
    readings = db.session.scalars(select(KpiReading).order_by(KpiReading.taken_on)).all()
    assert [(r.taken_on, r.value, r.respondents) for r in readings] == [
        (date(2026, 4, 1), D("100.0"), 2), (date(2026, 5, 1), D("0.0"), 1)]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", ["The file is empty."]),
    (b"   \n", ["The file is empty."]),
    (b"rating,comment\n7,ok\n", ["Line 1 names no \u201cscore\u201d column"]),
    (b"score\n", ["The file names its columns but holds no answers."]),
    (b"score,comment\n9,ok\n11,too high\nten,\n7.5,\n-1,\n",
     ["Line 3: the score \u201c11\u201d is not a whole number from 0 to 10",
      "Line 4: the score \u201cten\u201d", "Line 5: the score \u201c7.5\u201d", "Line 6: the score \u201c-1\u201d"]),
    (b"score,answered_on\n9,31-12-2026\n", ["Line 2: answered_on \u201c31-12-2026\u201d is not a date"]),
    (b"\xff\xfescore\n", ["not UTF-8"]),
])
def test_answers_with_a_problem_are_refused_line_by_line_and_nothing_is_written(content, expected):
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation)
    with pytest.raises(answers.AnswersRefused) as caught:
        answers.import_answers(organisation, kpi, content, date(2026, 5, 1))
    db.session.rollback()
    assert len(caught.value.lines) == len(expected)
    for line, start in zip(caught.value.lines, expected, strict=True):
        assert start in line
    assert db.session.scalar(select(func.count()).select_from(KpiReading)) == 0


def test_answers_for_a_kpi_that_is_not_a_survey_are_refused():
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation, kind="o_data", measure="percentage")
    with pytest.raises(answers.AnswersRefused) as caught:
        answers.import_answers(organisation, kpi, b"score\n5\n", date(2026, 5, 1))
    assert "not measured by a survey" in caught.value.lines[0]


def test_initiatives_name_the_kpis_they_should_move():
    organisation = factories.OrganisationFactory()
    kpi = factories.KpiFactory(organisation=organisation, code="NPS-REL")
    first = factories.InitiativeFactory(organisation=organisation, ref="INIT-1")
    second = factories.InitiativeFactory(organisation=organisation, ref="INIT-2")
    links.link_kpi(first, kpi, D("5"))
    links.link_kpi(second, kpi, None)
    links.link_kpi(first, kpi, D("8"))  # once per pair: the change is replaced
    db.session.commit()
    assert [(link.initiative.ref, link.expected_change) for link in links.initiatives_moving(kpi)] == [
        ("INIT-1", D("8.0000")), ("INIT-2", None)]
    assert [link.kpi.code for link in links.kpi_links_of([first.id])[first.id]] == ["NPS-REL"]
    other = factories.KpiFactory()
    assert "kpi" in refusal(lambda: links.link_kpi(first, other, D("1")))
    links.unlink_kpi(second, kpi)
    assert [link.initiative.ref for link in links.initiatives_moving(kpi)] == ["INIT-1"]


def test_stages_with_recent_experience_data():
    organisation = factories.OrganisationFactory()
    stages = [JourneyStage(organisation_id=organisation.id, name=name, position=i)
              for i, name in enumerate(["Purchase", "Use", "Advocacy", "Awareness"])]
    db.session.add_all(stages)
    db.session.flush()
    delivery = Touchpoint(organisation_id=organisation.id, stage=stages[1], key="delivery", name="Delivery")
    webshop = Touchpoint(organisation_id=organisation.id, stage=stages[0], key="webshop", name="Webshop")
    invoice = Touchpoint(organisation_id=organisation.id, stage=stages[2], key="invoice", name="Invoice")
    db.session.add_all([delivery, webshop, invoice])
    db.session.flush()
    on = date(2026, 6, 30)
    x_kpi = factories.KpiFactory(organisation=organisation, touchpoint=delivery)
    o_kpi = factories.KpiFactory(organisation=organisation, kind="o_data", measure="percentage",
                                 touchpoint=invoice)
    factories.KpiReadingFactory(kpi=x_kpi, taken_on=on - timedelta(days=10))
    factories.KpiReadingFactory(kpi=o_kpi, taken_on=on - timedelta(days=10))  # O-data does not count
    db.session.add(TouchpointScore(touchpoint=webshop, scored_on=on - timedelta(days=89), expectation=D("6"),
                                   perception=D("5")))
    db.session.add(TouchpointScore(touchpoint=invoice, scored_on=on - timedelta(days=91), expectation=D("6"),
                                   perception=D("5")))  # too old
    db.session.commit()
    coverage = links.stages_with_recent_x_data(organisation, on)
    assert (coverage.part, coverage.whole, coverage.share) == (2, 4, D("0.5"))


def test_the_demo_has_o_and_x_data_kpis_with_a_year_of_readings_some_off_track():
    from cxroadmap.demo import seed_demo

    organisation = seed_demo()
    db.session.commit()
    board = services.kpi_board(organisation, today())
    assert 6 <= len(board) <= 8
    assert {f.kpi.kind for f in board} == {"o_data", "x_data"}
    assert all(f.readings[-1].taken_on - f.readings[0].taken_on >= timedelta(days=270) for f in board)
    statuses = [f.status for f in board]
    assert statuses.count("off_track") >= 2 and "on_track" in statuses
    assert any(f.kpi.touchpoint and f.kpi.touchpoint.key == "on-site-before-10" for f in board)
    assert sum(len(links.initiatives_moving(f.kpi)) for f in board) >= 8
