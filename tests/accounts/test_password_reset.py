"""Forgotten passwords through a real SMTP server: one answer for all, single use, one hour, sessions end."""

import re
from datetime import timedelta

from cxroadmap.accounts.models import PasswordReset, User
from cxroadmap.accounts.passwords import verify_password
from cxroadmap.extensions import db
from tests.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.helpers import page_text
from tests.mailtesting import body

NEW = "brand new and long passphrase 7"


def reset_path(message) -> str:
    return re.search(r"https://cx\.example\.com(/password/reset/[\w-]+)", body(message, "plain")).group(1)


def test_the_sign_in_page_links_to_the_forgotten_password_page(anonymous):
    page = anonymous.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
    assert anonymous.get("/password/forgot").status_code == 200


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, anonymous, smtp):
    UserFactory(email="real@example.com")
    known = anonymous.post("/password/forgot", data={"email": "real@example.com"})
    unknown = anonymous.post("/password/forgot", data={"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert page_text(known).replace("real@example.com", "X") == page_text(unknown).replace("ghost@example.com", "X")
    assert [m["To"] for m in smtp.messages] == ["real@example.com"]


def test_both_answers_do_the_same_work_in_the_request_and_no_mail_leaves_in_it(app, anonymous, smtp, count_queries,
                                                                              monkeypatch):
    from cxroadmap import mail
    from cxroadmap.timeutil import utcnow

    monkeypatch.setattr(mail, "_deliver", [])  # nothing started in the background: what the request does alone
    UserFactory(email="real@example.com")
    anonymous.get("/password/forgot")
    work = {}
    for email in ("real@example.com", "ghost@example.com", "real@example.com"):
        with count_queries as counted:
            assert anonymous.post("/password/forgot", data={"email": email}).status_code == 200
        work.setdefault(email, []).append([re.sub(r"\s+", " ", statement) for statement in counted.statements])
    assert work["real@example.com"][0] == work["ghost@example.com"][0] == work["real@example.com"][1]
    assert not any("user_account" in statement for statement in work["real@example.com"][0])
    assert smtp.received == []  # no mail server was spoken to while answering
    assert db.session.scalar(db.select(db.func.count(PasswordReset.id))) == 0
    with app.app_context():
        assert mail.send_queued_mail(utcnow()) == 2  # the ghost's is dropped, unsent
    assert [m["To"] for m in smtp.messages] == ["real@example.com", "real@example.com"]
    assert mail.send_queued_mail(utcnow()) == 0  # each once


def test_mail_waits_in_the_queue_while_the_server_is_down_and_notify_sends_it(app, anonymous, smtp, runner,
                                                                              monkeypatch):
    from cxroadmap import mail

    monkeypatch.setattr(mail, "_deliver", [])
    UserFactory(email="real@example.com")
    anonymous.post("/password/forgot", data={"email": "real@example.com"})
    port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 1 and "Not done: queued-mail: ConnectionRefusedError" in result.output
    assert "Traceback" not in result.output
    assert smtp.received == []
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    result = runner.invoke(args=["notify"])
    assert "Sent 1 queued mail." in result.output, result.output
    assert [m["To"] for m in smtp.messages] == ["real@example.com"]


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, anonymous, smtp):
    user = UserFactory(email="real@example.com", name="Rita Real")
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    assert elsewhere.get("/account").status_code == 200
    anonymous.post("/password/forgot", data={"email": "REAL@example.com"})
    [message] = smtp.messages
    assert "Rita Real" in body(message, "plain") and "60 minutes" in body(message, "plain")
    path = reset_path(message)
    assert anonymous.get(path).status_code == 200
    done = anonymous.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, NEW)
    assert elsewhere.get("/account").status_code == 302  # that session has ended
    other = "another long passphrase 88"
    again = anonymous.post(path, data={"password": other, "confirm": other})
    assert again.status_code == 410
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, NEW)
    signed = app.test_client().post("/login", data={"email": "real@example.com", "password": NEW})
    assert signed.status_code == 302


def test_an_expired_link_is_refused(anonymous, smtp):
    user = UserFactory(email="slow@example.com")
    anonymous.post("/password/forgot", data={"email": "slow@example.com"})
    path = reset_path(smtp.messages[0])
    reset = db.session.scalar(db.select(PasswordReset))
    assert reset.expires_at - reset.created_at == timedelta(hours=1)
    reset.expires_at = reset.created_at
    db.session.commit()
    response = anonymous.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 410 and "expired" in page_text(response)
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)


def test_a_token_changes_only_the_account_it_was_made_for(anonymous, smtp):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    anonymous.post("/password/forgot", data={"email": "alice@example.com"})
    path = reset_path(smtp.to("alice@example.com")[0])
    page = anonymous.get(path)
    assert "alice@example.com" in page_text(page) and "bob@example.com" not in page_text(page)
    # Whatever else the form carries, the token decides whose password it is.
    anonymous.post(path, data={"password": NEW, "confirm": NEW, "email": "bob@example.com", "user_id": bob.id})
    db.session.expire_all()
    assert verify_password(db.session.get(User, alice.id).password_hash, NEW)
    assert verify_password(db.session.get(User, bob.id).password_hash, PASSWORD)
    assert anonymous.get("/password/reset/not-a-real-token").status_code == 410


def test_a_weak_password_is_refused_and_the_link_stays_good(anonymous, smtp):
    UserFactory(email="weak@example.com")
    anonymous.post("/password/forgot", data={"email": "weak@example.com"})
    path = reset_path(smtp.messages[0])
    assert anonymous.post(path, data={"password": "password", "confirm": "password"}).status_code == 422
    assert anonymous.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_requests_are_limited_per_address_typed_and_per_network_address(app, anonymous, smtp, monkeypatch):
    UserFactory(email="busy@example.com")
    statuses = [anonymous.post("/password/forgot", data={"email": "busy@example.com"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(smtp.messages) == 3
    # The same limit for an address with no account: the limit tells nothing either.
    statuses = [anonymous.post("/password/forgot", data={"email": "nobody@example.com"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    others = [anonymous.post("/password/forgot", data={"email": f"n{i}@example.com"}).status_code for i in range(4)]
    assert others[-1] == 429  # ten from one network address in an hour, whatever was typed


def test_a_dutch_reader_gets_the_mail_in_dutch(anonymous, smtp):
    UserFactory(email="nl@example.com", locale="nl")
    anonymous.post("/password/forgot", data={"email": "nl@example.com"})
    [message] = smtp.messages
    assert "nieuw wachtwoord" in message["Subject"].lower()


def test_an_address_with_a_control_character_is_refused_as_typed_and_no_mail(anonymous, smtp):
    UserFactory(email="real@example.com")
    response = anonymous.post("/password/forgot", data={"email": "real\x00@example.com"})
    # Refused for what was typed, whoever has an account: it tells nothing of accounts.
    assert response.status_code == 422 and "one line" in page_text(response)
    assert smtp.messages == []
