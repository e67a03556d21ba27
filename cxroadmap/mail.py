"""Sending mail: messages built with the standard library's email package, sent by SMTP or kept in a file outbox.

With MAIL_SERVER set, mail goes out by SMTP (MAIL_PORT, MAIL_USE_TLS for STARTTLS, MAIL_USE_SSL for implicit
TLS, MAIL_USERNAME/MAIL_PASSWORD); without it, each message is written to instance/outbox/*.eml, so a
development install shows what would have been sent.

A request never talks to the mail server: it queues what is to be sent (queue_mail, a row in the same
transaction), and the background work sends it once the request is committed (send_queued_mail, also run by
`flask notify`), making each message from the row by the kind's maker, which the area owning it registered.
"""

import os
import re
import secrets
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from sqlalchemy import JSON, DateTime, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.database import writing
from cxroadmap.extensions import db
from cxroadmap.i18n import in_language
from cxroadmap.timeutil import utcnow

SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"
    params: dict | None = None  # of its Content-Type: a calendar invitation's method


@dataclass
class Mail:
    """One message to one person: both bodies, optional attachments and extra headers."""

    to: str
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def one_line(text: str) -> str:
    """Text fit for a header: no line breaks (which would start a header of their own), not too long."""
    return re.sub(r"\s+", " ", str(text)).strip()[:250]


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """The RFC 5322 message: text and HTML as alternatives, attachments beside them."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = one_line(mail.subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "cxroadmap.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in mail.headers.items():
        message[name] = one_line(value)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        message.add_attachment(attachment.content, maintype=attachment.maintype, subtype=attachment.subtype,
                               filename=attachment.filename, params=attachment.params or {})
    return message


def default_sender() -> str:
    config = current_app.config
    sender = config.get("MAIL_DEFAULT_SENDER")
    if isinstance(sender, list | tuple):
        return formataddr(tuple(sender))
    return sender or "cxroadmap <cxroadmap@localhost>"


class Outbox:
    """Where messages go in this run: one SMTP connection, or the instance's outbox folder."""

    def __init__(self, smtp: smtplib.SMTP | None, folder: Path | None):
        self.smtp, self.folder = smtp, folder
        self.sent = 0

    def send(self, mail: Mail) -> EmailMessage:
        message = build_message(mail, default_sender())
        if self.smtp is not None:
            self.smtp.send_message(message)
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{formatdate(usegmt=True)[5:25].replace(' ', '-').replace(':', '')}-{secrets.token_hex(4)}.eml"
            path = self.folder / name
            # Messages carry single-use links: readable by the deployment's own user only.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(message.as_bytes())
        self.sent += 1
        return message


def outbox_folder() -> Path:
    return Path(current_app.instance_path) / "outbox"


@contextmanager
def outbox() -> Iterator[Outbox]:
    """Open the configured transport once for several messages (an SMTP session, or the outbox folder)."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        yield Outbox(None, outbox_folder())
        return
    port = int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25))
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(server, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server, port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        yield Outbox(smtp, None)
    finally:
        try:
            smtp.quit()
        except smtplib.SMTPException:
            smtp.close()


# Whether each configured SMTP server announces SMTPUTF8, as it answered EHLO (asked once per process and server).
_UTF8_SERVERS: dict[tuple, bool] = {}
_UTF8_LOCK = threading.Lock()


def takes_international_addresses() -> bool:
    """Whether mail can go to an address with letters outside ASCII before the @ (jürgen@…): only through an SMTP
    server that announces SMTPUTF8; never into the file outbox, whose messages would have to encode the address
    (RFC 2047 forbids an encoded word there). A server that cannot be reached says no, and is asked again."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        return False
    key = (server, config.get("MAIL_PORT"), bool(config.get("MAIL_USE_SSL")), bool(config.get("MAIL_USE_TLS")))
    with _UTF8_LOCK:
        if key not in _UTF8_SERVERS:
            try:
                with outbox() as box:
                    box.smtp.ehlo_or_helo_if_needed()
                    _UTF8_SERVERS[key] = bool(box.smtp.has_extn("smtputf8"))
            except (OSError, smtplib.SMTPException):
                current_app.logger.warning("could not ask %s whether it takes international addresses", server)
                return False
        return _UTF8_SERVERS[key]


def send(mail: Mail) -> EmailMessage:
    """Send one message now through the configured transport."""
    with outbox() as box:
        return box.send(mail)


def render_mail(template: str, language: str, **context) -> tuple[str, str]:
    """The plain-text and HTML bodies of templates/mail/<template>.txt and .html, in language."""
    with in_language(language):
        text = render_template(f"mail/{template}.txt", language=language, **context)
        html = render_template(f"mail/{template}.html", language=language, **context)
    return text, html


def absolute_url(endpoint: str, **values) -> str:
    """A link for a message: BASE_URL and the route's path, usable outside any request (the CLI)."""
    base = urlsplit(current_app.config.get("BASE_URL") or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


# -- mail queued by requests, sent by the background work ---------------------------------------------

class QueuedMail(db.Model):
    """A message a request asked for, to be made and sent by the background work (then deleted)."""

    __tablename__ = "queued_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # Not before then: a failed attempt waits, and a sender that took it holds it so long.
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")


# What makes the message of a queued kind from its parameters: a Mail, or None when there is none to send (an
# address no account has). It may write (a reset link's hash); what it writes is committed with the sending.
MailMaker = Callable[[dict, datetime], Mail | None]
MAIL_KINDS: dict[str, MailMaker] = {}
MAX_ATTEMPTS = 6
HOLD = timedelta(minutes=5)  # how long a sender holds a message it took (then another may take it)
_BACKOFF = (60, 300, 900, 3600, 3 * 3600)
_deliver: list[Callable[[Flask], None]] = []


def mail_kind(name: str):
    """Register the decorated function as the maker of queued mail of this kind."""
    def register(make: MailMaker) -> MailMaker:
        MAIL_KINDS[name] = make
        return make
    return register


def queue_mail(kind: str, parameters: dict) -> QueuedMail:
    """Ask for a message to be made and sent by the background work once this transaction is committed (the caller
    then calls send_queued_soon, after the commit); flushes, never commits."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"no mail kind {kind!r}")
    queued = QueuedMail(kind=kind, parameters=parameters, due_at=utcnow())
    db.session.add(queued)
    db.session.flush()
    return queued


def deliver_with(deliver: Callable[[Flask], None]) -> None:
    """Say how the background work is started (jobs.runner: a thread of this process, or the job queue)."""
    _deliver[:] = [deliver]


def send_queued_soon() -> None:
    """Start the background work sending what is queued (call it once the request is committed)."""
    app = current_app._get_current_object()
    if _deliver:
        _deliver[0](app)


def _take(queued_id: int, now: datetime) -> bool:
    """Hold a queued message for this sender, committed at once; False when another took it first."""
    taken = db.session.execute(update(QueuedMail).where(QueuedMail.id == queued_id, QueuedMail.due_at <= now)
                               .values(due_at=now + HOLD))
    db.session.commit()
    return bool(taken.rowcount)


def send_queued_mail(now: datetime) -> int:
    """Make and send every queued message that is due, each once; returns how many were sent.

    A message whose sending fails is tried again later (after 1, 5, 15, 60 minutes, then every 3 hours) and given up
    after MAX_ATTEMPTS, with what went wrong in the log. Commits as it goes."""
    due = list(db.session.scalars(select(QueuedMail.id).where(QueuedMail.due_at <= now).order_by(QueuedMail.id)))
    db.session.rollback()
    sent = 0
    if not due:
        return 0
    # On SQLite each message's transaction takes the write lock at once: its maker reads, then writes.
    with outbox() as box, writing():
        for queued_id in due:
            if not _take(queued_id, now):
                continue
            queued = db.session.get(QueuedMail, queued_id)
            try:
                make = MAIL_KINDS.get(queued.kind)
                mail = make(dict(queued.parameters), now) if make else None
                if mail is not None:
                    box.send(mail)
                db.session.delete(queued)
                db.session.commit()
                sent += mail is not None
            except (OSError, smtplib.SMTPException) as problem:
                db.session.rollback()
                _failed(queued_id, now, f"{type(problem).__name__}: {problem}")
    return sent


def queued_mail_due(now: datetime) -> int:
    """How many queued messages are due: what send_queued_mail would make and send, or drop when there is none
    to make (an address no account has)."""
    return db.session.scalar(select(func.count()).select_from(QueuedMail).where(QueuedMail.due_at <= now)) or 0


def _failed(queued_id: int, now: datetime, error: str) -> None:
    queued = db.session.get(QueuedMail, queued_id)
    if queued is None:
        return
    queued.attempts += 1
    current_app.logger.warning("could not send queued %s mail (attempt %s): %s", queued.kind, queued.attempts, error)
    if queued.attempts >= MAX_ATTEMPTS:
        db.session.delete(queued)
    else:
        queued.due_at = now + timedelta(seconds=_BACKOFF[min(queued.attempts, len(_BACKOFF)) - 1])
        queued.last_error = error[:300]
    db.session.commit()
