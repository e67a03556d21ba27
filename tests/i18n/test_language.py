"""Who reads which language: the user's choice, then the organisation's, then the browser's; and what follows."""

import io
import re
from datetime import date
from decimal import Decimal

from flask_babel import refresh
from pypdf import PdfReader

from cxroadmap.accounts.models import User
from cxroadmap.extensions import db
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import field_error, page_text

DUTCH_BROWSER = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.8"}


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


def test_before_signing_in_the_browser_decides(anonymous):
    assert "Inloggen bij cxroadmap" in page_text(anonymous.get("/login", headers=DUTCH_BROWSER))
    assert "Sign in to cxroadmap" in page_text(anonymous.get("/login", headers=ENGLISH_BROWSER))
    assert "Sign in to cxroadmap" in page_text(anonymous.get("/login"))  # no preference: English
    assert '<html lang="nl"' in anonymous.get("/login", headers=DUTCH_BROWSER).get_data(as_text=True)


def test_a_dutch_organisation_reads_dutch_whatever_the_browser(client):
    organisation = OrganisationFactory(locale="nl", currency="EUR")
    initiative = InitiativeFactory(organisation=organisation, title="Bezorgbelofte", one_off_cost=Decimal("12500.50"),
                                   due_date=date(2027, 3, 4))
    text = page_text(client.get(f"/o/{organisation.slug}/initiatives/{initiative.ref}", headers=ENGLISH_BROWSER))
    assert "Eenmalige kosten" in text and "One-off cost" not in text
    assert "€ 12.501" in text  # money as the Dutch write it, in whole euros
    assert "4 mrt 2027" in text  # and dates
    english = OrganisationFactory(locale="en")
    initiative = InitiativeFactory(organisation=english, one_off_cost=Decimal("12500.50"))
    text = page_text(client.get(f"/o/{english.slug}/initiatives/{initiative.ref}", headers=DUTCH_BROWSER))
    assert "One-off cost" in text and "€12,501" in text


def test_the_users_own_choice_comes_first_and_is_kept(client, admin_user):
    organisation = OrganisationFactory(locale="nl")
    response = client.post("/account/language", data={"locale": "en"}, headers=DUTCH_BROWSER,
                           follow_redirects=True)
    assert "Language saved." in page_text(response)
    assert db.session.get(User, admin_user.id).locale == "en"
    assert "Maturity" in page_text(client.get(f"/o/{organisation.slug}/", headers=DUTCH_BROWSER))
    response = client.post("/account/language", data={"locale": "nl"}, follow_redirects=True)
    assert "Taal opgeslagen." in page_text(response)  # said in the language just chosen
    assert "Volwassenheid" in page_text(client.get(f"/o/{OrganisationFactory(locale='en').slug}/"))
    # Back to following the organisation.
    client.post("/account/language", data={"locale": ""})
    assert db.session.get(User, admin_user.id).locale is None


def test_a_language_the_product_does_not_speak_is_refused(client, admin_user):
    response = client.post("/account/language", data={"locale": "fr"}, follow_redirects=True)
    assert "Not a valid choice." in page_text(response)
    assert db.session.get(User, admin_user.id).locale is None


def test_form_errors_and_messages_in_dutch(client):
    organisation = OrganisationFactory(locale="nl")
    form = {"ref": "", "title": "", "description": "", "readiness_question": "know_experience", "owner": "",
            "status": "approved", "health": "green", "progress": "0", "start_date": "2026-05-01",
            "due_date": "2026-01-01", "target_stage": "", "one_off_cost": "veel", "annual_running_cost": ""}
    response = client.post(f"/o/{organisation.slug}/initiatives/new", data=form)
    assert response.status_code == 422
    assert field_error(response, "title") == "Dit veld is vereist."  # WTForms' own message, in Dutch
    assert field_error(response, "one_off_cost") == "Voer een getal in, bijvoorbeeld 1234.50."
    response = client.post(f"/o/{organisation.slug}/initiatives/new",
                           data={**form, "title": "Bezorgbelofte", "one_off_cost": "1.250,00"})
    assert field_error(response, "due_date") == "De einddatum kan niet voor de startdatum liggen."
    response = client.post(f"/o/{organisation.slug}/initiatives/new",
                           data={**form, "title": "Bezorgbelofte", "one_off_cost": "1.250,00",
                                 "due_date": "2026-09-30"}, follow_redirects=True)
    assert "INIT-1 aangemaakt. Voeg toe wat het naar verwachting oplevert of bespaart." in page_text(response)


def test_the_reports_speak_the_readers_language(client):
    organisation = OrganisationFactory(locale="nl")
    BenefitFactory(initiative=InitiativeFactory(organisation=organisation, title="Bezorgbelofte"))
    text = pdf_text(client.get(f"/o/{organisation.slug}/reports/current/roadmap.pdf").data)
    for dutch in ("CX-roadmap en voortgangsrapport", "Inhoud", "Managementsamenvatting",
                  "De drie gereedheidsvragen", "pagina 2 van", "Bijlage: initiatieven in detail", "Bezorgbelofte"):
        assert dutch in text
    assert "Executive summary" not in text and "page 2 of" not in text
    # An English reader of the same organisation gets the same report in English.
    client.post("/account/language", data={"locale": "en"})
    text = pdf_text(client.get(f"/o/{organisation.slug}/reports/current/summary.pdf").data)
    assert "CX executive summary" in text and "Managementsamenvatting" not in text


def test_the_charts_speak_it_too(client):
    organisation = OrganisationFactory(locale="nl")
    svg = client.get(f"/o/{organisation.slug}/charts/readiness.svg").get_data(as_text=True)
    assert "Teams met een actuele rol" in svg and "Klanten kennen" in svg


def test_the_command_line_follows_the_shell(runner, monkeypatch, tmp_path):
    # Each command is a process of its own; here they share the test's app context, so the language chosen
    # by one is forgotten (refresh) before the next.
    monkeypatch.setenv("CXROADMAP_LANGUAGE", "nl")
    refresh()
    result = runner.invoke(args=["report", "nobody-here", "--output", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1
    assert "Geen organisatie 'nobody-here'." in result.output
    organisation = OrganisationFactory(locale="en")
    result = runner.invoke(args=["report", organisation.slug, "--output", str(tmp_path / "r.pdf")])
    assert result.exit_code == 0 and "geschreven" in result.output
    assert "CX roadmap and progress report" in pdf_text((tmp_path / "r.pdf").read_bytes())  # the organisation's
    result = runner.invoke(args=["report", organisation.slug, "--language", "nl", "--output", str(tmp_path / "n.pdf")])
    assert "CX-roadmap en voortgangsrapport" in pdf_text((tmp_path / "n.pdf").read_bytes())
    monkeypatch.setenv("CXROADMAP_LANGUAGE", "")
    monkeypatch.setenv("LANG", "C.UTF-8")
    refresh()
    result = runner.invoke(args=["report", "nobody-here", "--output", str(tmp_path / "r.pdf")])
    assert "No organisation 'nobody-here'." in result.output


def test_numbers_are_read_as_the_reader_writes_them():
    from cxroadmap.decimals import parse_decimal

    dutch = {"12.500": "12500", "1.234.567": "1234567", "12,5": "12.5", "12,500": "12.500", "0.05": "0.05",
             "1.250,75": "1250.75", "€ 12.500": "12500"}
    english = {"12.500": "12.500", "12,500": "12500", "1,250.75": "1250.75", "12,5": "12.5"}
    assert {t: str(parse_decimal(t, decimal_comma=True)) for t in dutch} == dutch
    assert {t: str(parse_decimal(t)) for t in english} == english


def test_a_dutch_reader_typing_twelve_thousand_five_hundred_gets_it(client):
    organisation = OrganisationFactory(locale="nl")
    form = {"ref": "", "title": "Bezorgbelofte", "description": "", "readiness_question": "know_experience",
            "owner": "", "status": "approved", "health": "green", "progress": "0", "start_date": "",
            "due_date": "", "target_stage": "", "one_off_cost": "12.500", "annual_running_cost": "1.200,50"}
    client.post(f"/o/{organisation.slug}/initiatives/new", data=form)
    text = page_text(client.get(f"/o/{organisation.slug}/initiatives/INIT-1"))
    assert "€ 12.500" in text and "€ 1.201 per jaar" in text


def test_a_percent_sign_in_a_template_message_shows_once_in_both_languages(client):
    """Template messages are format strings ('Progress %%'): formatted even without values, as Jinja's own do."""
    for locale, label in (("en", "Progress % What changed"), ("nl", "Voortgang % Wat er veranderde")):
        organisation = OrganisationFactory(locale=locale)
        initiative = InitiativeFactory(organisation=organisation)
        text = page_text(client.get(f"/o/{organisation.slug}/initiatives/{initiative.ref}"))
        assert label in text and "%%" not in text
