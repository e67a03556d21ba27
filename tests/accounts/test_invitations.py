"""Invitations by mail, end to end through a real SMTP server: accept once, expiry, withdrawal, existing accounts."""

import re
from datetime import timedelta

from cxroadmap.accounts.models import Invitation, Membership, User
from cxroadmap.accounts.passwords import verify_password
from cxroadmap.extensions import db
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import page_text
from tests.mailtesting import body

NEW_PASSWORD = "a long and unusual passphrase 42"


def link_in(message) -> str:
    return re.search(r"https://cx\.example\.com(/invitations/[\w-]+)", body(message, "plain")).group(1)


def test_an_invited_person_sets_name_and_password_once_and_joins_with_the_role(client, anonymous, smtp):
    OrganisationFactory(slug="acme", name="Acme Parts")
    response = client.post("/o/acme/members", data={"email": "Nina@Example.com", "role": "steering"})
    assert response.status_code == 302
    assert "nina@example.com" in page_text(client.get("/o/acme/members"))  # listed as pending

    [message] = smtp.to("nina@example.com")
    assert "Acme Parts" in message["Subject"]
    text, html = body(message, "plain"), body(message, "html")
    assert "Ada Admin invites you to Acme Parts" in text and "Your role there: steering committee." in text
    assert "Acme Parts" in html and 'href="https://cx.example.com/invitations/' in html
    path = link_in(message)
    # Only the hash is kept: the token itself is nowhere in the database.
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation).where(
        Invitation.token_hash == path.rsplit("/", 1)[1])) == 0

    page = anonymous.get(path)
    assert page.status_code == 200 and "Join Acme Parts" in page_text(page)
    done = anonymous.post(path, data={"name": "Nina Jansen", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/o/acme/")
    assert anonymous.get("/o/acme/").status_code == 200  # signed in, a member

    user = db.session.scalar(db.select(User).where(User.email == "nina@example.com"))
    assert user.name == "Nina Jansen" and verify_password(user.password_hash, NEW_PASSWORD)
    assert db.session.scalar(db.select(Membership.role).where(Membership.user_id == user.id)) == "steering"

    again = anonymous.post(path, data={"name": "Mallory", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert again.status_code == 410 and "used already" in page_text(again)
    assert "nina@example.com" not in page_text(client.get("/o/acme/members")).split("Pending invitations")[1]


def test_a_weak_password_is_refused_beside_the_field_and_the_link_still_works(client, anonymous, smtp):
    OrganisationFactory(slug="acme")
    client.post("/o/acme/members", data={"email": "nina@example.com", "role": "viewer"})
    path = link_in(smtp.messages[0])
    refused = anonymous.post(path, data={"name": "Nina", "password": "password", "confirm": "password"})
    assert refused.status_code == 422 and "Nina" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "nina@example.com")) == 0
    assert anonymous.get(path).status_code == 200


def test_an_expired_or_withdrawn_invitation_says_so_and_makes_no_account(client, anonymous, smtp):
    OrganisationFactory(slug="acme")
    client.post("/o/acme/members", data={"email": "late@example.com", "role": "viewer"})
    client.post("/o/acme/members", data={"email": "gone@example.com", "role": "viewer"})
    late, gone = link_in(smtp.to("late@example.com")[0]), link_in(smtp.to("gone@example.com")[0])
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.email == "late@example.com"))
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    response = anonymous.post(late, data={"name": "L", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "expired" in page_text(response)

    withdrawn = db.session.scalar(db.select(Invitation).where(Invitation.email == "gone@example.com"))
    assert client.post(f"/o/acme/members/invitations/{withdrawn.id}/withdraw").status_code == 302
    response = anonymous.post(gone, data={"name": "G", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "not valid" in page_text(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(
        User.email.in_(["late@example.com", "gone@example.com"]))) == 0


def test_inviting_again_replaces_the_first_link(client, anonymous, smtp):
    OrganisationFactory(slug="acme")
    client.post("/o/acme/members", data={"email": "twice@example.com", "role": "viewer"})
    client.post("/o/acme/members", data={"email": "twice@example.com", "role": "contributor"})
    first, second = (link_in(m) for m in smtp.to("twice@example.com"))
    assert anonymous.get(first).status_code == 410
    assert anonymous.get(second).status_code == 200


def test_an_existing_account_is_added_at_once_and_told(client, smtp):
    OrganisationFactory(slug="acme", name="Acme Parts")
    UserFactory(email="known@example.com", name="Kim Known", locale="nl")
    response = client.post("/o/acme/members", data={"email": "known@example.com", "role": "contributor"},
                           follow_redirects=True)
    assert "Kim Known had an account and is now contributor" in page_text(response)
    [message] = smtp.to("known@example.com")
    # Kim reads Dutch: the mail is in Dutch.
    assert "toegang tot Acme Parts" in message["Subject"]
    assert "https://cx.example.com/o/acme/" in body(message, "plain")
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0


def test_a_dutch_organisation_invites_in_dutch(client, smtp):
    OrganisationFactory(slug="dijk", name="Van Dijk B.V.", locale="nl")
    client.post("/o/dijk/members", data={"email": "piet@example.com", "role": "viewer"})
    [message] = smtp.to("piet@example.com")
    assert "uitgenodigd" in message["Subject"] and "Van Dijk B.V." in message["Subject"]
    assert "Uitnodiging accepteren" in body(message, "html")


def test_a_member_or_a_bad_address_is_refused_beside_the_field(client, smtp):
    OrganisationFactory(slug="acme")
    response = client.post("/o/acme/members", data={"email": "ada@example.com", "role": "viewer"})
    assert response.status_code == 422 and "member already" in page_text(response)
    response = client.post("/o/acme/members", data={"email": "not an address", "role": "viewer"})
    assert response.status_code == 422
    assert smtp.messages == []


def test_invitations_of_another_organisation_cannot_be_withdrawn(client, client_as, smtp):
    OrganisationFactory(slug="acme")
    other = OrganisationFactory(slug="other")
    client.post("/o/acme/members", data={"email": "x@example.com", "role": "viewer"})
    invitation = db.session.scalar(db.select(Invitation))
    outsider = client_as("admin", other)
    assert outsider.post(f"/o/other/members/invitations/{invitation.id}/withdraw").status_code == 404
    db.session.expire_all()
    assert invitation.withdrawn_at is None


def test_an_address_with_letters_outside_ascii_is_refused_unless_the_server_takes_it(app, client, monkeypatch):
    from cxroadmap import mail
    from cxroadmap.coalition.models import CoalitionMember
    from tests.helpers import field_error
    from tests.mailtesting import start_smtp

    OrganisationFactory(slug="acme", name="Acme Parts")
    # Without a mail server (the file outbox), and through one that does not announce SMTPUTF8.
    for server in (None, False):
        controller = None
        monkeypatch.setattr(mail, "_UTF8_SERVERS", {})
        if server is not None:
            controller, inbox, port = start_smtp(utf8=server)
            monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
            monkeypatch.setitem(app.config, "MAIL_PORT", port)
        try:
            refused = client.post("/o/acme/members", data={"email": "Jürgen.Müller@example.com", "role": "viewer"})
            assert refused.status_code == 422 and "plain letters" in field_error(refused, "email")
            member = client.post("/o/acme/coalition/new", data={"name": "Jürgen Müller", "coalition_role": "member",
                                                                 "email": "jürgen@example.com", "active": "y"})
            assert member.status_code == 422 and "plain letters" in field_error(member, "email")
        finally:
            if controller is not None:
                controller.stop()
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    assert db.session.scalar(db.select(db.func.count(CoalitionMember.id))) == 0
    # A server that announces SMTPUTF8 takes it, and the mail arrives addressed as typed.
    controller, inbox, port = start_smtp(utf8=True)
    monkeypatch.setattr(mail, "_UTF8_SERVERS", {})
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        accepted = client.post("/o/acme/members", data={"email": "Jürgen.Müller@example.com", "role": "viewer"})
        assert accepted.status_code == 302
        [message] = inbox.to("jürgen.müller@example.com")
        assert message["To"] == "jürgen.müller@example.com" and "=?" not in str(message["To"])
    finally:
        controller.stop()


def test_accepting_an_invitation_is_in_the_trail_as_the_person_not_anonymous(client, anonymous, smtp):
    from cxroadmap.audit.models import AuditEvent

    OrganisationFactory(slug="acme", name="Acme Parts")
    client.post("/o/acme/members", data={"email": "nina@example.com", "role": "viewer"})
    [message] = smtp.to("nina@example.com")
    anonymous.post(link_in(message), data={"name": "Nina Jansen", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    actors = set(db.session.scalars(db.select(AuditEvent.actor)))
    assert "Nina Jansen" in actors and "anonymous" not in actors
