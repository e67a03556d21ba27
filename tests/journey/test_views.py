"""The journey pages through the test client: what a user sees, types, and is told."""

from datetime import date, timedelta
from decimal import Decimal as D

from cxroadmap.extensions import db
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.journey.services import give_default_stages
from cxroadmap.timeutil import today
from tests.factories import (
    JourneyStageFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)
from tests.helpers import field_error


def journey_with_scores(slug="parts"):
    organisation = OrganisationFactory(slug=slug, name="Parts Co")
    delivery = JourneyStageFactory(organisation=organisation, name="Delivery", position=1)
    service = JourneyStageFactory(organisation=organisation, name="After sales", position=2)
    field = TeamFactory(organisation=organisation, name="Field service")
    on_site = TouchpointFactory(stage=delivery, key="on-site", name="The part is on site before 10:00",
                                channel="Field service", team_id=field.id, moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=on_site, scored_on=today() - timedelta(days=200), expectation=D("6.5"),
                           perception=D("4.2"), respondents=80)
    invoice = TouchpointFactory(stage=service, key="invoice", name="Invoice matches the order", channel="Invoice")
    TouchpointScoreFactory(touchpoint=invoice, scored_on=today() - timedelta(days=10), expectation=D("5"),
                           perception=D("5.75"), respondents=40)
    return organisation, on_site, invoice


def test_the_map_shows_stages_cards_gaps_owners_moments_and_flags(client):
    journey_with_scores()
    body = client.get("/o/parts/journey").get_data(as_text=True)
    assert body.index("Delivery") < body.index("After sales")
    assert "The part is on site before 10:00" in body and "Moment of truth" in body
    assert "band-far_below" in body and "−2.3" in body  # 4.2 − 6.5, printed, not colour alone
    assert "band-above" in body and "+0.75" in body
    assert "Field service" in body
    assert "No owner" in body  # the invoice belongs to no team
    assert "a moment of truth with no score in the last 180 days" in body  # scored 200 days ago
    ranked = body.split("Touchpoints by gap, widest first", 1)[1]
    assert ranked.index("The part is on site") < ranked.index("Invoice matches")


def test_the_gap_chart_draws_the_chosen_touchpoints_scores(client):
    journey_with_scores()
    response = client.get("/o/parts/journey/touchpoints/on-site/gap.svg")
    assert response.mimetype == "image/svg+xml"
    assert "−2.3" in response.get_data(as_text=True)
    gaps = client.get("/o/parts/journey/gaps.svg").get_data(as_text=True)
    assert "+0.75" in gaps and "Invoice matches the order" in gaps
    page = client.get("/o/parts/journey?touchpoint=invoice").get_data(as_text=True)
    assert "/o/parts/journey/touchpoints/invoice/gap.svg" in page


def test_adding_a_touchpoint_and_refusing_one_without_a_name(client):
    organisation = OrganisationFactory(slug="new")
    stage = give_default_stages(organisation)[4]
    db.session.commit()
    refused = client.post("/o/new/journey/touchpoints/new", data={"name": "", "stage_id": stage.id,
                                                                  "channel": "Webshop"})
    assert refused.status_code == 422
    assert "This field is required." in refused.get_data(as_text=True)
    assert 'value="Webshop"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Touchpoint.id))) == 0
    done = client.post("/o/new/journey/touchpoints/new", data={
        "name": "Order confirmation email", "stage_id": stage.id, "channel": "Email", "moment_of_truth": "y"},
        follow_redirects=True)
    assert "Order confirmation email" in done.get_data(as_text=True)
    touchpoint = db.session.scalar(db.select(Touchpoint))
    assert (touchpoint.key, touchpoint.moment_of_truth, touchpoint.stage_id) == ("order-confirmation-email", True,
                                                                                  stage.id)


def test_recording_a_score_and_refusing_one_off_the_scale(client):
    journey_with_scores()
    refused = client.post("/o/parts/journey/touchpoints/invoice", data={
        "scored_on": "2026-01-10", "expectation": "8", "perception": "5", "respondents": "12"})
    assert refused.status_code == 422
    assert "A score runs from 1 to 7" in refused.get_data(as_text=True)
    done = client.post("/o/parts/journey/touchpoints/invoice", data={
        "scored_on": today().isoformat(), "expectation": "5.5", "perception": "4.5", "respondents": "25",
        "source": "Phone panel"}, follow_redirects=True)
    assert "the gap is −1.0" in done.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(TouchpointScore.id))) == 3


def test_a_dutch_reader_types_scores_with_a_decimal_comma(client_as):
    organisation, _, invoice = journey_with_scores("nl-parts")
    browser = client_as("contributor", organisation, locale="nl")
    browser.post("/o/nl-parts/journey/touchpoints/invoice", data={
        "scored_on": today().isoformat(), "expectation": "5,5", "perception": "6,25", "respondents": "9"})
    db.session.expire_all()
    assert db.session.get(Touchpoint, invoice.id).latest_score.perception == D("6.25")
    page = browser.get("/o/nl-parts/journey").get_data(as_text=True)
    assert "+0,75" in page and "Klantreis" in page


def test_stages_are_renamed_moved_and_a_full_stage_is_not_removed(client):
    organisation, on_site, _ = journey_with_scores()
    delivery = db.session.get(JourneyStage, on_site.stage_id)
    client.post(f"/o/parts/journey/stages/{delivery.id}/rename", data={"name": "Getting the part",
                                                                        "version": delivery.version})
    client.post(f"/o/parts/journey/stages/{delivery.id}/move", data={"direction": "later"})
    refused = client.post(f"/o/parts/journey/stages/{delivery.id}/remove", follow_redirects=True)
    assert "still holds 1 touchpoints" in refused.get_data(as_text=True)
    db.session.expire_all()
    stages = db.session.scalars(db.select(JourneyStage).order_by(JourneyStage.position)).all()
    assert [s.name for s in stages] == ["After sales", "Getting the part"]


def test_another_organisations_touchpoint_is_not_found(client):
    journey_with_scores("one")
    other = OrganisationFactory(slug="two")
    give_default_stages(other)
    db.session.commit()
    assert client.get("/o/two/journey/touchpoints/on-site").status_code == 404
    assert client.get("/o/two/journey/touchpoints/on-site/gap.svg").status_code == 404
    one_stage = db.session.scalar(db.select(JourneyStage).where(JourneyStage.name == "Delivery"))
    assert client.post(f"/o/two/journey/stages/{one_stage.id}/remove").status_code == 404


def test_the_team_page_lists_the_touchpoints_the_team_owns(client):
    _, on_site, _ = journey_with_scores()
    body = client.get(f"/o/parts/teams/{on_site.team_id}").get_data(as_text=True)
    assert "Touchpoints we own" in body
    assert "The part is on site before 10:00" in body and "Invoice matches" not in body


def test_readiness_shows_the_share_of_touchpoints_with_an_expectation_score(client):
    organisation, _, _ = journey_with_scores()
    TouchpointFactory(stage=db.session.scalar(db.select(JourneyStage).where(JourneyStage.name == "Delivery")))
    body = client.get("/o/parts/readiness").get_data(as_text=True)
    assert "Touchpoints with an expectation score" in body
    assert "67%" in body and "2 of 3 touchpoints" in body


def test_the_map_needs_the_same_queries_for_three_touchpoints_or_thirty(client, count_queries):
    organisation, on_site, _ = journey_with_scores()
    with count_queries as few:
        client.get("/o/parts/journey")
    stage = db.session.scalar(db.select(JourneyStage).where(JourneyStage.name == "Delivery"))
    team = TeamFactory(organisation_id=stage.organisation_id)
    for number in range(27):
        touchpoint = TouchpointFactory(stage=stage, team_id=team.id)
        TouchpointScoreFactory(touchpoint=touchpoint, scored_on=date(2026, 5, 1) + timedelta(days=number))
    with count_queries as many:
        client.get("/o/parts/journey")
    assert many.count == few.count


def test_overview_and_dashboard_show_the_widest_gaps_and_unmeasured_moments_of_truth(client):
    journey_with_scores()
    for path in ("/o/parts/", "/o/parts/dashboard"):
        body = client.get(path).get_data(as_text=True)
        experience = body.split("The experience: where the gap is widest", 1)[1]
        widest, moments = experience.split("Moments of truth without a recent score", 1)
        assert "The part is on site before 10:00" in widest and "−2.3" in widest
        assert "Invoice matches" not in widest  # exceeds expectations: not a shortfall
        assert "The part is on site before 10:00" in moments.split("</div></div>", 1)[0]


def test_the_touchpoint_page_lists_its_scores_a_page_at_a_time(client):
    _, _, invoice = journey_with_scores()
    for number in range(24):
        TouchpointScoreFactory(touchpoint=invoice, scored_on=date(2024, 1, 1) + timedelta(days=number),
                               source=f"Panel {number}")
    first = client.get("/o/parts/journey/touchpoints/invoice").get_data(as_text=True)
    # The latest 20: the survey of ten days ago, then panels 23 down to 5.
    assert ">Panel 23<" in first and ">Panel 5<" in first and ">Panel 4<" not in first
    second = client.get("/o/parts/journey/touchpoints/invoice?page=2").get_data(as_text=True)
    assert ">Panel 4<" in second and ">Panel 0<" in second and ">Panel 5<" not in second


def test_a_score_with_several_bad_values_hears_them_all_at_once(client):
    journey_with_scores()
    refused = client.post("/o/parts/journey/touchpoints/invoice", data={
        "scored_on": "2026-01-10", "expectation": "9", "perception": "good", "respondents": "0"})
    assert refused.status_code == 422
    assert "A score runs from 1 to 7" in field_error(refused, "expectation")
    assert "Enter a number" in field_error(refused, "perception")
    assert "at least 1" in field_error(refused, "respondents")


def test_a_journey_of_nine_stages_wraps_into_rows_instead_of_hiding_behind_a_scroll(client):
    from cxroadmap import PACKAGE

    organisation = OrganisationFactory(slug="long")
    for number in range(1, 10):
        JourneyStageFactory(organisation=organisation, name=f"Stage {number}", position=number)
    page = client.get("/o/long/journey").get_data(as_text=True)
    assert 'class="journey-map journey-map-long"' in page
    css = (PACKAGE / "static" / "css" / "app.css").read_text()
    assert ".journey-map.journey-map-long { grid-auto-flow: row;" in css
    short = OrganisationFactory(slug="short")
    for number in range(1, 7):
        JourneyStageFactory(organisation=short, name=f"Stage {number}", position=number)
    assert 'class="journey-map"' in client.get("/o/short/journey").get_data(as_text=True)


def test_the_gap_over_time_chart_has_no_text_below_11_px_and_dates_as_the_reader_writes_them(client):
    import re

    journey_with_scores()
    page = client.get("/o/parts/journey?touchpoint=invoice").get_data(as_text=True)
    widths = set(re.findall(r"gap\.svg\?w=(\d+)", page))
    assert {"640", "340"} <= widths
    for width in widths:
        svg = client.get(f"/o/parts/journey/touchpoints/invoice/gap.svg?w={width}").get_data(as_text=True)
        sizes = [float(size) for size in re.findall(r"font-size[:=]\s*\"?([\d.]+)", svg)]
        assert min(sizes) >= 11, (width, min(sizes))
        assert not re.search(r">\d{4}-\d\d-\d\d<", svg)
