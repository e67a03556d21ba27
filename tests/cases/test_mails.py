"""The mails of follow-up cases, through a real SMTP server: opened, and reminded once when overdue."""

import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from cxroadmap.cases.mails import remind_overdue, reminders_due
from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.mail import send_queued_mail
from tests import factories
from tests.cases.conftest import send, unhappy
from tests.mailtesting import body


def test_an_imported_unhappy_answer_mails_the_team_after_the_commit(client, smtp, org, team, touchpoint):
    factories.MemberFactory(organisation=org, name="Omer Yilmaz", email="omer@example.com", function="Logistics")
    factories.MemberFactory(organisation=org, name="Sales Sam", email="sam@example.com", function="Sales")
    factories.KpiFactory(organisation=org, code="NPS", measure="nps")
    csv = f"score,answered_on,touchpoint,comment\n2,{date.today()},on-site,The van waited all morning\n"
    response = client.post("/o/acme/kpis/NPS/answers", data={
        "answers": (io.BytesIO(csv.encode()), "answers.csv"), "taken_on": date.today().isoformat()},
        content_type="multipart/form-data")
    assert response.status_code == 302
    [message] = smtp.to("omer@example.com")
    case = db.session.scalars(select(Case)).one()
    assert message["Subject"] == f"New follow-up case #{case.id} (On site before 10:00)"
    text = body(message, "plain")
    assert "Hello Omer Yilmaz" in text and "The van waited all morning" in text
    assert f"https://cx.example.com/o/acme/cases/{case.id}" in text
    assert "did not leave a contact" in text
    assert smtp.to("sam@example.com") == []


def test_without_a_team_the_cx_lead_hears_of_it_in_dutch(smtp, org):
    factories.MemberFactory(organisation=org, name="Jeroen", email="jeroen@example.com", coalition_role="lead")
    factories.UserFactory(email="jeroen@example.com", locale="nl")
    send(unhappy(org, None, contact="klant@example.com", contact_name="Klant"))
    assert send_queued_mail(datetime.now(UTC)) == 1
    [message] = smtp.to("jeroen@example.com")
    assert message["Subject"].startswith("Nieuwe opvolgzaak")
    assert "klant@example.com" in body(message, "plain")


def test_an_overdue_case_is_reminded_once_to_its_owner(smtp, org, team, touchpoint):
    owner = factories.MemberFactory(organisation=org, name="Olga", email="olga@example.com", function="Sales")
    send(unhappy(org, touchpoint))
    case = db.session.scalars(select(Case)).one()
    case.owner_id = owner.id
    db.session.commit()
    send_queued_mail(datetime.now(UTC))
    smtp.clear()
    now = datetime.now(UTC)
    assert reminders_due(now) == 0 and remind_overdue(now) == 0
    later = now + timedelta(days=5)
    assert reminders_due(later) == 1
    assert remind_overdue(later) == 1
    assert remind_overdue(later + timedelta(hours=1)) == 0
    send_queued_mail(later)
    [message] = smtp.to("olga@example.com")
    assert message["Subject"].startswith(f"Overdue: follow-up case #{case.id}")
    assert "nobody has followed it up yet" in body(message, "plain")
