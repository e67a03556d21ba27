"""KPIs and the journey through the API: a survey tool feeds readings and scores in; the pages show them."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures.models import KpiReading
from cxroadmap.timeutil import today
from tests.factories import (
    JourneyStageFactory,
    KpiFactory,
    KpiReadingFactory,
    MemberFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)
from tests.helpers import page_text


def _world():
    home = OrganisationFactory(slug="home")
    owner = MemberFactory(organisation=home, name="Olga Owner", email="olga@example.com")
    stage = JourneyStageFactory(organisation=home, name="Purchase", position=1)
    team = TeamFactory(organisation=home, name="Contact centre")
    touchpoint = TouchpointFactory(stage=stage, key="callback", name="Callback", team_id=team.id,
                                   moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=touchpoint, scored_on=today() - timedelta(days=10),
                           expectation=Decimal("6.50"), perception=Decimal("4.25"), respondents=80)
    kpi = KpiFactory(organisation=home, code="NPS-REL", name="Relationship NPS", owner_id=owner.id,
                     touchpoint_id=touchpoint.id)
    KpiReadingFactory(kpi_id=kpi.id, taken_on=today() - timedelta(days=30), value=Decimal("25"), respondents=300)
    KpiFactory(organisation=home, code="OTD", name="On-time delivery", kind="o_data", measure="percentage")
    db.session.commit()
    return home


def test_kpis_read_with_their_latest_reading_status_and_achievement(app, api_token):
    home = _world()
    headers, _user = api_token(home, role="viewer", write=False)
    client = app.test_client()
    listed = client.get("/api/v1/o/home/kpis", headers=headers)
    assert listed.status_code == 200
    codes = [k["code"] for k in listed.get_json()["items"]]
    assert codes == ["OTD", "NPS-REL"]  # O-data first, as on the page
    one = client.get("/api/v1/o/home/kpis/nps-rel", headers=headers)
    body = one.get_json()
    assert one.status_code == 200 and one.headers["ETag"] == '"v1"'
    assert body["latest"]["value"] == "25.0000" and body["latest"]["respondents"] == 300
    assert body["owner"] == "olga@example.com" and body["touchpoint"] == "callback"
    assert body["status"] in {"on_track", "at_risk", "off_track"} and Decimal(body["achievement"]) == Decimal(25)
    paged = client.get("/api/v1/o/home/kpis?limit=1", headers=headers)
    assert len(paged.get_json()["items"]) == 1 and 'rel="next"' in paged.headers["Link"]


def test_a_posted_reading_appears_on_the_kpi_page_and_in_the_audit_trail(app, api_token, client):
    home = _world()
    headers, user = api_token(home)
    api = app.test_client()
    posted = api.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers,
                      json={"taken_on": today().isoformat(), "value": "31.5", "respondents": 412,
                            "note": "Q3 wave"})
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["value"] == "31.5000"
    readings = api.get("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers).get_json()["items"]
    assert [r["value"] for r in readings] == ["31.5000", "25.0000"]  # the latest first
    assert api.get("/api/v1/o/home/kpis/NPS-REL", headers=headers).get_json()["latest"]["note"] == "Q3 wave"
    page = page_text(client.get("/o/home/kpis/NPS-REL"))
    assert "Q3 wave" in page and "412" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "KPI reading")
                              .order_by(AuditEvent.id.desc()).limit(1))
    assert event.organisation_id == home.id and event.actor == f"{user.name} (token tests)"
    assert event.changes["value"] == [None, "31.5"]


def test_a_reading_is_checked_as_the_page_checks_it(app, api_token):
    home = _world()
    headers, _user = api_token(home)
    client = app.test_client()
    outside = client.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers,
                          json={"taken_on": (today() + timedelta(days=1)).isoformat(), "value": "120"})
    assert outside.status_code == 422
    assert outside.headers["Content-Type"].startswith("application/problem+json")
    errors = outside.get_json()["errors"]
    assert "from -100 to 100" in errors["value"] and "taken_on" in errors
    not_a_number = client.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers,
                               json={"taken_on": today().isoformat(), "value": "lots"})
    assert not_a_number.status_code == 422 and "value" in not_a_number.get_json()["errors"]
    assert db.session.scalar(select(KpiReading).where(KpiReading.taken_on == today())) is None


def test_a_read_only_token_may_read_but_not_post(app, api_token):
    home = _world()
    headers, _user = api_token(home, write=False)
    client = app.test_client()
    assert client.get("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers).status_code == 200
    refused = client.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers,
                          json={"taken_on": today().isoformat(), "value": "30"})
    assert refused.status_code == 403 and refused.get_json()["detail"] == "This token may only read."
    refused = client.post("/api/v1/o/home/touchpoints/callback/scores", headers=headers,
                          json={"scored_on": today().isoformat(), "expectation": "6", "perception": "5"})
    assert refused.status_code == 403
    assert db.session.scalar(select(KpiReading).where(KpiReading.taken_on == today())) is None
    assert len(db.session.scalars(select(TouchpointScore)).all()) == 1


def test_another_organisations_kpis_and_touchpoints_are_not_there(app, api_token):
    home = _world()
    elsewhere = OrganisationFactory(slug="elsewhere")
    other_stage = JourneyStageFactory(organisation=elsewhere)
    TouchpointFactory(stage=other_stage, key="their-desk")
    KpiFactory(organisation=elsewhere, code="THEIRS")
    db.session.commit()
    headers, _user = api_token(home)
    client = app.test_client()
    for path in ("/api/v1/o/home/kpis/THEIRS", "/api/v1/o/home/kpis/THEIRS/readings",
                 "/api/v1/o/home/touchpoints/their-desk/scores", "/api/v1/o/elsewhere/kpis",
                 "/api/v1/o/elsewhere/journey"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 404, path
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    posted = client.post("/api/v1/o/home/kpis/THEIRS/readings", headers=headers,
                         json={"taken_on": today().isoformat(), "value": "10"})
    assert posted.status_code == 404


def test_the_journey_reads_stages_touchpoints_and_latest_gaps(app, api_token):
    home = _world()
    headers, _user = api_token(home, role="viewer", write=False)
    body = app.test_client().get("/api/v1/o/home/journey", headers=headers).get_json()
    purchase = next(s for s in body["stages"] if s["name"] == "Purchase")
    callback = purchase["touchpoints"][0]
    assert callback["key"] == "callback" and callback["owner"] == "Contact centre" and callback["moment_of_truth"]
    assert callback["gap"] == "-2.25" and callback["latest"]["respondents"] == 80 and not callback["stale"]
    assert purchase["gap"] == "-2.25"


def test_a_posted_score_becomes_the_touchpoints_latest(app, api_token, client):
    home = _world()
    headers, user = api_token(home, role="contributor")
    api = app.test_client()
    posted = api.post("/api/v1/o/home/touchpoints/callback/scores", headers=headers,
                      json={"scored_on": today().isoformat(), "expectation": "6.00", "perception": "5.50",
                            "respondents": 120, "source": "Survey tool"})
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["gap"] == "-0.50" and posted.get_json()["recorded_by"] == f"{user.name} (token tests)"
    scores = api.get("/api/v1/o/home/touchpoints/callback/scores", headers=headers).get_json()["items"]
    assert [s["perception"] for s in scores] == ["5.50", "4.25"]
    journey = api.get("/api/v1/o/home/journey", headers=headers).get_json()
    assert journey["stages"][0]["touchpoints"][0]["gap"] == "-0.50"
    assert "Survey tool" in page_text(client.get("/o/home/journey/touchpoints/callback"))
    off_scale = api.post("/api/v1/o/home/touchpoints/callback/scores", headers=headers,
                         json={"scored_on": (today() + timedelta(days=2)).isoformat(), "expectation": "6",
                               "perception": "5"})
    assert off_scale.status_code == 422 and "scored_on" in off_scale.get_json()["errors"]
    assert len(db.session.scalars(select(TouchpointScore)).all()) == 2


def test_kpi_and_journey_queries_do_not_grow_with_rows(app, api_token, count_queries):
    home = _world()
    owner = MemberFactory(organisation=home)
    stage = JourneyStageFactory(organisation=home)
    team = TeamFactory(organisation=home)
    headers, _ = api_token(home)
    client = app.test_client()
    counts = []
    for extra in (2, 6):
        for _number in range(extra):
            touchpoint = TouchpointFactory(stage=stage, team_id=team.id)
            TouchpointScoreFactory(touchpoint=touchpoint, scored_on=today())
            kpi = KpiFactory(organisation=home, owner_id=owner.id, touchpoint_id=touchpoint.id)
            KpiReadingFactory(kpi_id=kpi.id, taken_on=today(), value=Decimal("30"))
        db.session.commit()
        with count_queries as counter:
            assert client.get("/api/v1/o/home/kpis?limit=200", headers=headers).status_code == 200
            assert client.get("/api/v1/o/home/journey", headers=headers).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_a_survey_kpis_readings_come_with_their_interval(app, api_token):
    """Hand-worked (Rocks 2016, adjusted Wald): NPS 40 on 100 answers, taken with no passives (the widest error
    for that score): 70 promoters, 30 detractors; n' = 103, p = 70.75/103, q = 30.75/103, NPS' = 40/103 = 0.38835,
    variance (p + q − NPS'²)/n' = (0.98544 − 0.15082)/103 = 0.0081031, error 0.09002, ± 1.96 × 0.09002 = 0.17643:
    21.19 to 56.48 points. Fewer than 30 answers: too few to conclude. A percentage KPI has no interval."""
    home = _world()
    headers, _user = api_token(home)
    api = app.test_client()
    assert api.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers, json={
        "taken_on": today().isoformat(), "value": "40", "respondents": 100}).status_code == 201
    latest = api.get("/api/v1/o/home/kpis/NPS-REL", headers=headers).get_json()["latest"]
    interval = latest["interval"]
    assert abs(Decimal(interval["low"]) - Decimal("21.19")) < Decimal("0.01"), interval
    assert abs(Decimal(interval["high"]) - Decimal("56.48")) < Decimal("0.01"), interval
    assert interval["basis"] == "conservative" and latest["too_few_answers"] is False
    few = api.post("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers, json={
        "taken_on": (today() - timedelta(days=1)).isoformat(), "value": "10", "respondents": 12}).get_json()
    assert few["too_few_answers"] is True and few["interval"]["basis"] == "conservative"
    readings = api.get("/api/v1/o/home/kpis/NPS-REL/readings", headers=headers).get_json()["items"]
    assert [r["too_few_answers"] for r in readings] == [False, True, False]
    plain = api.get("/api/v1/o/home/kpis/OTD/readings", headers=headers).get_json()["items"]
    assert plain == []
    assert api.post("/api/v1/o/home/kpis/OTD/readings", headers=headers, json={
        "taken_on": today().isoformat(), "value": "91", "respondents": 10}).get_json()["interval"] is None
