"""The digests read survey KPIs as honestly as the pages do: n and the 95 % interval, "too few answers to
conclude", a rise or fall only when significant, a status that may be chance — in the reader's language, through
the real test SMTP server."""

from datetime import timedelta
from decimal import Decimal

from cxroadmap.timeutil import today
from tests.digests.test_digests import notify, person_in
from tests.factories import InitiativeFactory, KpiFactory, KpiReadingFactory, OrganisationFactory
from tests.mailtesting import body

YEAR_AGO, IN_A_YEAR = today() - timedelta(days=365), today() + timedelta(days=365)


def kpis_of(organisation, member):
    """NPS-WEB: 20 → 60 over two years (40 expected today), read 22 on 25 answers and then 24 on 400: off track.
    NPS-APP: read 21 on 12 answers: off track, too few answers, and its interval holds the 40 expected."""
    web = KpiFactory(organisation=organisation, code="NPS-WEB", name="Webshop NPS", owner_id=member.id,
                     baseline_value=Decimal(20), target_value=Decimal(60), baseline_on=YEAR_AGO, target_on=IN_A_YEAR)
    KpiReadingFactory(kpi=web, taken_on=today() - timedelta(days=60), value=Decimal("22"), respondents=25)
    KpiReadingFactory(kpi=web, taken_on=today() - timedelta(days=3), value=Decimal("24"), respondents=400)
    app = KpiFactory(organisation=organisation, code="NPS-APP", name="App NPS", owner_id=member.id,
                     baseline_value=Decimal(20), target_value=Decimal(60), baseline_on=YEAR_AGO, target_on=IN_A_YEAR)
    KpiReadingFactory(kpi=app, taken_on=today() - timedelta(days=3), value=Decimal("21"), respondents=12)


def test_the_digest_gives_n_the_interval_and_the_verdict(runner, smtp):
    acme = OrganisationFactory(slug="acme", name="Acme")
    _, member = person_in(acme, "carla@example.com", name="Carla Contributor")
    kpis_of(acme, member)
    notify(runner)
    [mail] = [m for m in smtp.to("carla@example.com") if "your digest" in m["Subject"]]
    for part in (body(mail, "plain"), body(mail, "html")):
        # 24 on 400 → 14.3 to 33.3 and 21 on 12 → −34.2 to 60.9 (worked in tests/measures/test_honest.py).
        assert "24.0 (14.3 to 33.3), n = 400 · since the reading before: too few answers to conclude" in part
        assert "21.0 (-34.2 to 60.9), n = 12 — too few answers to conclude" in part
        assert ("but its 95 % interval (-34.2 to 60.9) spans today's line of 40.0: the status may be chance"
                in part.replace("&#39;", "'"))


def test_the_dutch_steering_digest_names_the_kpis_off_track_honestly(runner, smtp):
    dijk = OrganisationFactory(slug="dijk", name="Dijk", locale="nl")
    _, member = person_in(dijk, "stef@example.com", role="steering", name="Stef Steering")
    InitiativeFactory(organisation=dijk, title="Rood", health="red", ref="INIT-7")
    kpis_of(dijk, member)
    notify(runner)
    [mail] = [m for m in smtp.to("stef@example.com") if "stuurgroep" in m["Subject"]]
    for part in (body(mail, "plain"), body(mail, "html")):
        assert "KPI's uit koers" in part.replace("&#39;", "'")
        assert "24,0 (14,3 tot 33,3), n = 400 · sinds de vorige meting: te weinig antwoorden voor een conclusie" in part
        assert "21,0 (-34,2 tot 60,9), n = 12 — te weinig antwoorden voor een conclusie" in part
        assert "maar het 95%-interval (-34,2 tot 60,9) omvat de lijn van vandaag, 40,0: de status kan toeval zijn" \
            in part
