"""The mail layer: the file outbox when no server is set, SMTP to a real server, headers that cannot be split."""

import stat
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from cxroadmap.mail import Attachment, Mail, absolute_url, outbox_folder, send
from tests.mailtesting import body


def mail(**fields) -> Mail:
    values = {"to": "nina@example.com", "subject": "Hello", "text": "Plain words", "html": "<p>Rich words</p>"}
    return Mail(**{**values, **fields})


def test_without_a_server_each_message_is_a_file_in_the_outbox(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    send(mail(attachments=[Attachment("pack.pdf", b"%PDF-1.4 tiny")]))
    [path] = list(outbox_folder().glob("*.eml"))
    assert path.parent == Path(tmp_path) / "outbox"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # links in it are single-use keys
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["To"] == "nina@example.com" and message["Message-ID"]
    assert body(message, "plain").strip() == "Plain words" and "Rich words" in body(message, "html")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "pack.pdf" and attachment.get_content() == b"%PDF-1.4 tiny"


def test_smtp_delivers_to_the_server_and_a_subject_cannot_start_a_header(app, smtp):
    send(mail(subject="Acme\nBcc: everyone@example.com", headers={"List-Unsubscribe": "<https://x/u>\r\nX-Evil: 1"}))
    [(recipients, message)] = smtp.received
    assert recipients == ["nina@example.com"]
    assert message["Subject"] == "Acme Bcc: everyone@example.com" and message["Bcc"] is None
    assert message["X-Evil"] is None
    assert message["From"] == "cxroadmap <cxroadmap@localhost>"


def test_links_are_absolute_with_the_base_url_outside_any_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://cx.example.com/roadmap")
    assert absolute_url("password.forgot") == "https://cx.example.com/roadmap/password/forgot"
    assert absolute_url("overview.show", slug="acme") == "https://cx.example.com/roadmap/o/acme/"
