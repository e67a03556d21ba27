"""A survey's title in English and Dutch: customers answering in Dutch read the Dutch title on the answer page, in
the snippet's frame, on the thanks page and in the invitation mail; without a Dutch title they read the English one.
The survey form and cxroadmap/1 carry it (a document of a survey without one stays as it was); the API's
list too (tests/api/test_surveys.py)."""

import io
import json
import re
from datetime import UTC, datetime

from sqlalchemy import select

from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import import_text
from cxroadmap.extensions import db
from cxroadmap.mail import send_queued_mail
from cxroadmap.organisations.services import delete_organisation
from cxroadmap.surveys.invitations.sending import send_invitations
from cxroadmap.surveys.models import Survey
from tests.helpers import field_error, page_text
from tests.mailtesting import body
from tests.surveys.helpers import answer, journey, live_survey

ENGLISH, DUTCH = "After your delivery", "Na uw levering"


def _heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True)).group(1)


def _thanks(browser, survey, language) -> str:
    posted = answer(browser, survey, score=6, lang=language)
    assert posted.status_code == 303, posted.status_code
    return page_text(browser.get(posted.headers["Location"]))


def test_a_dutch_customer_reads_the_dutch_title_and_an_english_one_the_english(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title=ENGLISH, title_nl=DUTCH)
    assert _heading(anonymous.get(f"/f/{survey.code}?lang=nl")) == DUTCH
    assert _heading(anonymous.get(f"/f/{survey.code}", headers={"Accept-Language": "nl-NL,nl;q=0.9"})) == DUTCH
    assert _heading(anonymous.get(f"/f/{survey.code}?lang=en")) == ENGLISH
    # The snippet's frame shows the answer page compact, in the language the host page asks for.
    assert _heading(anonymous.get(f"/f/{survey.code}?embed=1&lang=nl")) == DUTCH
    assert f"<title>{DUTCH} · " in anonymous.get(f"/f/{survey.code}?lang=nl").get_data(as_text=True)
    assert f"Uw antwoord op „{DUTCH}” is bewaard." in _thanks(anonymous, survey, "nl")
    assert f"Your answer to “{ENGLISH}” is stored." in _thanks(app.test_client(), survey, "en")


def test_without_a_dutch_title_dutch_customers_read_the_english_one(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title=ENGLISH)
    assert _heading(anonymous.get(f"/f/{survey.code}?lang=nl")) == ENGLISH
    assert f"Uw antwoord op „{ENGLISH}” is bewaard." in _thanks(anonymous, survey, "nl")


def test_the_invitation_mail_names_the_title_in_the_contacts_language(app, client_as, smtp):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title=ENGLISH, title_nl=DUTCH)
    browser = client_as("steering", organisation)
    contacts = "email,name,language\nann@example.com,Ann,en\nbram@example.com,Bram,nl\n"
    browser.post(f"/o/acme/surveys/{survey.id}/invitations", content_type="multipart/form-data",
                 data={"contacts": (io.BytesIO(contacts.encode()), "contacts.csv")})
    send_invitations(datetime.now(UTC))
    send_queued_mail(datetime.now(UTC))
    [english], [dutch] = smtp.to("ann@example.com"), smtp.to("bram@example.com")
    assert DUTCH in body(dutch, "plain") and ENGLISH not in body(dutch, "plain")
    assert f"<title>{DUTCH}</title>" in body(dutch, "html") and DUTCH in page_text_of(body(dutch, "html"))
    assert ENGLISH in body(english, "plain") and DUTCH not in body(english, "plain")


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<body", 1)[-1]))


def test_the_form_takes_a_dutch_title_beside_the_english_one(client_as):
    organisation, touchpoint, _other = journey()
    browser = client_as("steering", organisation)
    made = browser.post("/o/acme/surveys/new", data={"title": ENGLISH, "title_nl": f"  {DUTCH} ",
                                                      "touchpoint": touchpoint.id, "measure": "ces",
                                                      "period": "month", "asks_contact": "y"})
    assert made.status_code == 302, field_error(made, "title_nl")
    survey = db.session.scalar(select(Survey))
    assert (survey.title, survey.title_nl) == (ENGLISH, DUTCH)
    edit = browser.get(f"/o/acme/surveys/{survey.id}/edit").get_data(as_text=True)
    assert f'value="{DUTCH}"' in edit and "Title in Dutch" in edit
    too_long = browser.post(f"/o/acme/surveys/{survey.id}/edit", data={
        "title": ENGLISH, "title_nl": "x" * 201, "touchpoint": touchpoint.id, "measure": "ces", "period": "month",
        "version": survey.version})
    assert too_long.status_code == 422 and field_error(too_long, "title_nl")
    emptied = browser.post(f"/o/acme/surveys/{survey.id}/edit", data={
        "title": ENGLISH, "title_nl": "", "touchpoint": touchpoint.id, "measure": "ces", "period": "month",
        "version": survey.version})
    assert emptied.status_code == 302
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).title_nl == ""


def _round_trip(organisation) -> tuple[str, str]:
    first = dumps(export_document(organisation))
    delete_organisation(organisation)
    db.session.commit()
    imported = import_text(first)
    db.session.commit()
    return first, dumps(export_document(imported))


def test_cxroadmap_1_carries_a_dutch_title_only_where_there_is_one_and_round_trips_byte_identical():
    organisation, touchpoint, _other = journey()
    live_survey(organisation, touchpoint, measure="ces", title=ENGLISH)
    live_survey(organisation, None, measure="nps", title="Recommend us?", title_nl="Aanbevelen?")
    first, second = _round_trip(organisation)
    assert first == second
    english_only, both = json.loads(first)["surveys"]
    assert "title_nl" not in english_only and list(english_only)[:3] == ["code", "title", "touchpoint"]
    assert (both["title"], both["title_nl"]) == ("Recommend us?", "Aanbevelen?")
    assert db.session.scalar(select(Survey.title_nl).where(Survey.title == ENGLISH)) == ""
