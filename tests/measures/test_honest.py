"""Survey KPIs read honestly wherever they appear: n and the 95 % interval beside each reading, "too few answers to
conclude" under 30, a rise or fall only when significant, and a status that says when it may be chance — on the
KPI page, the board, the overview and the dashboard, in English and in Dutch."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from cxroadmap.measures import services
from cxroadmap.timeutil import today
from tests import factories
from tests.helpers import page_text

YEAR_AGO, IN_A_YEAR = today() - timedelta(days=365), today() + timedelta(days=365)


def read(kpi, days_ago, value, respondents=None):
    factories.KpiReadingFactory(kpi=kpi, taken_on=today() - timedelta(days=days_ago), value=D(value),
                                respondents=respondents)


def honest_world(locale="en"):
    """NPS-REL: 10 → 50 over two years, so 30 is expected today; it went 30 → 35 on 40 answers each (on track,
    but within the noise). NPS-BIG: 10 → 40 on 400 answers each (a clear rise). CSAT-DEL: last read on 20 answers.
    OTD: O-data without n, 80 → 81."""
    organisation = factories.OrganisationFactory(slug="vd", locale=locale)
    line = {"baseline_on": YEAR_AGO, "target_on": IN_A_YEAR}
    rel = factories.KpiFactory(organisation=organisation, code="NPS-REL", name="Relationship NPS",
                               baseline_value=D(10), target_value=D(50), **line)
    read(rel, 120, "30", 40)
    read(rel, 30, "35", 40)
    big = factories.KpiFactory(organisation=organisation, code="NPS-BIG", name="Webshop NPS",
                               baseline_value=D(0), target_value=D(80), **line)
    read(big, 120, "10", 400)
    read(big, 30, "40", 400)
    csat = factories.KpiFactory(organisation=organisation, code="CSAT-DEL", name="Delivery CSAT", measure="csat",
                                baseline_value=D(70), target_value=D(90), **line)
    read(csat, 120, "75", 60)
    read(csat, 30, "85", 20)
    otd = factories.KpiFactory(organisation=organisation, code="OTD", name="On-time delivery", kind="o_data",
                               measure="percentage", baseline_value=D(70), target_value=D(90), **line)
    read(otd, 120, "80")
    read(otd, 30, "81")
    return organisation


def test_the_figures_follow_the_verdict_not_the_slope():
    organisation = honest_world()
    board = {f.kpi.code: f for f in services.kpi_board(organisation, today())}
    rel = board["NPS-REL"]
    # 30 → 35 on 40 answers each: the slope rises, the test finds no clear change (see test_readings).
    assert rel.trend == "no_clear_change" and rel.trend_label == "No clear change"
    assert [h.verdict for h in rel.honest] == [None, "no_clear_change"]
    # 35 on 40, conservatively 27 promoters and 13 detractors: adjusted 27.75 and 13.75 of 43, centre 32.558,
    # p + d − (p − d)² = 0.9651163 − 0.1060033 = 0.8591130; / 43 = 0.0199794; √ = 0.1413484; × 195.9964 = 27.704
    # → 4.85 to 60.26 (shown rounded outwards: 4.8 to 60.3), which holds the 30 expected today: on track, but it
    # may be chance.
    latest = rel.latest_honest.score
    assert (latest.low, latest.high, latest.n) == (D("4.85"), D("60.26"), 40)
    assert rel.status == "on_track" and rel.expected == D(30)
    assert rel.status_caveat == ("but its 95 % interval (4.8 to 60.3) spans today's line of 30.0: the status "
                                 "may be chance")
    assert board["NPS-BIG"].trend == "improving" and board["NPS-BIG"].latest_honest.verdict == "rise"
    assert board["CSAT-DEL"].trend == "too_few_answers" and board["CSAT-DEL"].latest_honest.score.too_few
    # O-data keeps the slope.
    assert board["OTD"].trend == "improving" and board["OTD"].honest == [] and board["OTD"].status_caveat == ""


def test_the_kpi_page_shows_n_the_interval_the_verdict_and_the_status_caveat(client):
    honest_world()
    text = page_text(client.get("/o/vd/kpis/NPS-REL"))
    figures = text.split("Latest", 1)[1].split("Readings", 1)[0]
    assert "35.0" in figures and "n = 40 · 95 % interval 4.8 to 60.3" in figures
    assert ("On track but its 95 % interval (4.8 to 60.3) spans today's line of 30.0: the status may be chance"
            in figures)
    assert "No clear change" in figures and "Improving" not in figures
    readings = text.split("Readings", 2)[2]
    # Newest first: 35.0 with its interval, n, and the change from 30.0 worded by the verdict.
    assert "35.0 4.8 to 60.3 40 +5.0 no clear change" in readings
    assert "NPS intervals are worked out from the score and n alone, counting no passives" in readings


def test_a_clear_rise_and_too_few_answers_on_their_pages(client):
    honest_world()
    big = page_text(client.get("/o/vd/kpis/NPS-BIG"))
    assert "+30.0 rise" in big and "Improving" in big
    csat = page_text(client.get("/o/vd/kpis/CSAT-DEL"))
    # 85 % of 20: 17 satisfied, by Wilson 63.96 % to 94.76 % (shown 63.9 to 94.8); too few answers beside the
    # figure and the change.
    assert "n = 20 · 95 % interval 63.9% to 94.8% too few answers to conclude" in csat
    assert "85.0% 63.9% to 94.8% 20 too few answers to conclude +10.0% too few answers to conclude" in csat
    assert "CSAT intervals are exact from the share satisfied and n (Wilson)." in csat
    assert "Fewer than 30 answers: too few to conclude." in csat


def test_o_data_pages_stay_as_they_were(client):
    honest_world()
    text = page_text(client.get("/o/vd/kpis/OTD"))
    assert "Improving" in text and "interval" not in text and "Respondents" in text


def test_the_board_says_it_too(client):
    honest_world()
    text = page_text(client.get("/o/vd/kpis"))
    rel = text.split("NPS-REL", 1)[1].split("Achieved", 1)[0][:400]
    assert "n = 40 · 95 % interval 4.8 to 60.3" in rel
    assert "may be chance: the interval spans today's line No clear change" in rel


def test_the_dutch_kpi_page_and_board(client):
    honest_world(locale="nl")
    text = page_text(client.get("/o/vd/kpis/NPS-REL"))
    assert "n = 40 · 95%-interval 4,8 tot 60,3" in text
    assert ("Op koers maar het 95%-interval (4,8 tot 60,3) omvat de lijn van vandaag, 30,0: de status kan toeval "
            "zijn") in text
    assert "35,0 4,8 tot 60,3 40 +5,0 geen duidelijke verandering" in text
    assert "Geen duidelijke verandering" in text
    csat = page_text(client.get("/o/vd/kpis/CSAT-DEL"))
    assert "te weinig antwoorden voor een conclusie" in csat
    board = page_text(client.get("/o/vd/kpis"))
    assert "kan toeval zijn: het interval omvat de lijn van vandaag" in board


def off_track_world(locale="en"):
    """NPS-WEB from 20 to 60 over two years (40 expected today): read 22 on 25 answers, then 24 on 400."""
    organisation = factories.OrganisationFactory(slug="vd", locale=locale)
    kpi = factories.KpiFactory(organisation=organisation, code="NPS-WEB", name="Webshop NPS",
                               baseline_value=D(20), target_value=D(60), baseline_on=YEAR_AGO, target_on=IN_A_YEAR)
    read(kpi, 60, "22", 25)
    read(kpi, 10, "24", 400)
    few = factories.KpiFactory(organisation=organisation, code="NPS-APP", name="App NPS", baseline_value=D(20),
                               target_value=D(60), baseline_on=YEAR_AGO, target_on=IN_A_YEAR)
    read(few, 10, "21", 12)
    return organisation


@pytest.mark.parametrize("path", ["/o/vd/", "/o/vd/dashboard"])
def test_the_overview_and_dashboard_read_the_kpis_off_track_honestly(client, path):
    off_track_world()
    text = page_text(client.get(path)).split("KPIs off track", 1)[1][:900]
    # 24 on 400, conservatively 248/152: adjusted 248.75 and 152.75 of 403, centre 23.82; SE √((0.996278
    # − 0.056745)/403) = 0.048284; × 195.9964 = 9.4635 → 14.36 to 33.28 (shown 14.3 to 33.3): all of it short of
    # the 40 expected.
    assert "latest 24.0 (14.3 to 33.3), n = 400, expected 40.0 today" in text
    assert "Since the reading before: too few answers to conclude" in text  # the 22 before rests on 25
    # 21 on 12: 7/5, adjusted 7.75 and 5.75 of 15, centre 13.33; √((0.9 − 0.017778)/15) = 0.242518; × 195.9964
    # = 47.53 → −34.20 to 60.87.
    assert "latest 21.0 (-34.2 to 60.9), n = 12 — too few answers to conclude, expected 40.0 today" in text
    assert "the status may be chance" in text  # App NPS: −34.2 to 60.9 holds the 40


def test_the_dutch_dashboard(client):
    off_track_world(locale="nl")
    text = page_text(client.get("/o/vd/dashboard"))
    assert "24,0 (14,3 tot 33,3), n = 400" in text
    assert "Sinds de vorige meting: te weinig antwoorden voor een conclusie" in text
    assert "21,0 (-34,2 tot 60,9), n = 12 — te weinig antwoorden voor een conclusie" in text


def test_a_ces_kept_as_means_says_its_interval_needs_the_answers(client):
    organisation = factories.OrganisationFactory(slug="vd")
    ces = factories.KpiFactory(organisation=organisation, code="CES-SVC", name="Effort", measure="ces",
                               baseline_value=D(4), target_value=D(6), baseline_on=YEAR_AGO, target_on=IN_A_YEAR)
    read(ces, 120, "4.2", 100)
    read(ces, 30, "4.1", 100)
    [figures] = services.kpi_board(organisation, today())
    assert figures.trend == "untested" and figures.status_caveat == ""
    page = page_text(client.get("/o/vd/kpis/CES-SVC"))
    assert "n = 100 · interval needs the answers" in page and "Change not tested" in page
    assert "−0.10 not tested" in page
    assert "A CES interval needs the spread of the answers, which a reading does not keep." in page
    dashboard = page_text(client.get("/o/vd/dashboard"))
    assert "latest 4.10, n = 100 (interval needs the answers), expected 5.00 today" in dashboard
