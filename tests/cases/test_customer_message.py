"""The customer told their case is resolved: off until the organisation chooses it, a template per language whose
every problem is named beside its field, sent through a real SMTP server by the background work in the language
the customer answered in, only to customers who agreed to be contacted and gave an email address; the case's
timeline says when it went."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from cxroadmap.cases.models import Case, CaseSettings
from cxroadmap.extensions import db
from cxroadmap.mail import send_queued_mail
from tests import factories
from tests.cases.conftest import send, unhappy
from tests.helpers import field_error, page_text
from tests.mailtesting import body

SETTINGS = {"nps_at_most": "6", "csat_at_most": "2", "ces_at_most": "3", "gap_at_most": "-2", "service_days": "2",
            "root_causes": "Late | Laat"}


def _tell_customers(client, english="Dear {name}, {touchpoint} is fixed. {organisation}, case {case}.",
                    dutch="Beste {name},\n\n{touchpoint} is opgelost.\n{organisation}"):
    response = client.post("/o/acme/cases/settings", data={**SETTINGS, "tells_customer": "y",
                                                           "customer_message_en": english,
                                                           "customer_message_nl": dutch})
    assert response.status_code == 302


def _resolve(client, case, status="resolved"):
    member = factories.MemberFactory(organisation_id=case.organisation_id, name="Omer", function="Logistics")
    response = client.post(f"/o/acme/cases/{case.id}", data={
        "status": status, "owner_id": str(member.id), "outcome": "Route changed.", "root_cause": "",
        "initiative_ref": "", "notes": "", "seen_status": "new"})
    assert response.status_code == 302


def _case(org, touchpoint, **answer):
    send(unhappy(org, touchpoint, **answer))
    return db.session.scalars(select(Case).order_by(Case.id.desc())).first()


def test_the_message_is_off_by_default_and_its_templates_are_checked_beside_their_fields(client, org):
    page = client.get("/o/acme/cases/settings").get_data(as_text=True)
    [box] = re.findall(r'<input[^>]*name="tells_customer"[^>]*>', page)
    assert "checked" not in box
    assert "Thank you for telling us what went wrong at {touchpoint}" in page  # a default to start from
    refused = client.post("/o/acme/cases/settings", data={**SETTINGS, "tells_customer": "y",
                                                          "customer_message_en": "Dear {naam}, {name.__class__}",
                                                          "customer_message_nl": "Beste {name"})
    assert refused.status_code == 422
    assert field_error(refused, "customer_message_en") == (
        "Unknown placeholder {naam}: use {name}, {touchpoint}, {organisation}, {case}.")
    assert field_error(refused, "customer_message_nl").startswith("A brace without its partner")
    assert "Dear {naam}, {name.__class__}" in refused.get_data(as_text=True)  # kept as typed
    empty = client.post("/o/acme/cases/settings", data={**SETTINGS, "tells_customer": "y",
                                                        "customer_message_en": "", "customer_message_nl": "Hoi"})
    assert field_error(empty, "customer_message_en") == "Write the message, or stop telling customers."
    assert db.session.get(CaseSettings, org.id) is None  # nothing saved


def test_a_resolved_case_tells_the_customer_in_their_language_once_with_their_text_escaped(
        client, smtp, org, team, touchpoint):
    _tell_customers(client)
    case = _case(org, touchpoint, language="nl", contact="piet@example.com", contact_name="Piet <b>& Co</b>")
    smtp.clear()
    _resolve(client, case)
    [message] = smtp.to("piet@example.com")
    assert message["Subject"] == f"Uw feedback aan {org.name}"
    text = body(message, "plain")
    assert text.startswith("Beste Piet <b>& Co</b>,") and "On site before 10:00 is opgelost." in text
    html = body(message, "html")
    assert "Piet &lt;b&gt;&amp; Co&lt;/b&gt;" in html and "<b>" not in html
    db.session.expire_all()
    told = db.session.get(Case, case.id)
    assert told.customer_told_at is not None
    page = page_text(client.get(f"/o/acme/cases/{case.id}"))
    assert "Customer told" in page and "the message that the case is resolved was sent to piet@example.com" in page
    # Sent once: nothing left to send, and a case already told is not told again.
    assert send_queued_mail(datetime.now(UTC)) == 0
    assert len(smtp.to("piet@example.com")) == 1


def test_an_english_answer_gets_the_english_message(client, smtp, org, team, touchpoint):
    _tell_customers(client)
    case = _case(org, touchpoint, language="en", contact="ann@example.com", contact_name="Ann")
    _resolve(client, case)
    [message] = smtp.to("ann@example.com")
    assert message["Subject"].startswith("Your feedback to ")
    assert f"Dear Ann, On site before 10:00 is fixed. {org.name}, case {case.id}." in body(message, "plain")


def test_no_message_when_off_without_an_email_address_or_when_not_resolvable(client, smtp, org, team, touchpoint):
    off = _case(org, touchpoint, contact="off@example.com", contact_name="Off")
    _resolve(client, off)
    _tell_customers(client)
    phone = _case(org, touchpoint, contact="+31 6 1234 5678", contact_name="Phone")
    anonymous = _case(org, touchpoint)
    unresolvable = _case(org, touchpoint, contact="nope@example.com", contact_name="Nope")
    smtp.clear()
    for case in (phone, anonymous):
        _resolve(client, case)
    _resolve(client, unresolvable, status="not_resolvable")
    assert send_queued_mail(datetime.now(UTC)) == 0
    assert smtp.to("off@example.com") == [] and smtp.to("nope@example.com") == []
    assert [message["To"] for _rcpt, message in smtp.received] == []
    db.session.expire_all()
    assert db.session.scalar(select(Case).where(Case.customer_told_at.is_not(None))) is None
