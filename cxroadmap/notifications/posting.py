"""Posting events to addresses outside, for webhook deliveries and chat messages alike: where a post may go (never
to a private address), one POST and what it came to, and trying again until it is taken — the backoff, giving up a
day after, turning off a recipient that has failed for a day, the claim that keeps two processes from posting the
same row. Each kind says only what differs: how its body is posted and signed, and what is said of an attempt."""

import http.client
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Select, func, select, update

from cxroadmap.database import writing
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.notifications.models import Outgoing, Recipient
from cxroadmap.organisations.models import Organisation
from cxroadmap.scheduler import Backlog, Failure
from cxroadmap.timeutil import aware, utcnow

RETRY_FOR = timedelta(hours=24)
DISABLE_AFTER = timedelta(hours=24)
# Seconds to wait after the 1st, 2nd, … failed attempt; the last step repeats until 24 hours have passed.
BACKOFF_SECONDS = (60, 300, 900, 3600, 7200, 14400, 21600)
TIMEOUT_SECONDS = 10
# A post taken for an attempt is not taken again for this long (its POST ends well before).
CLAIM_FOR = timedelta(seconds=5 * TIMEOUT_SECONDS)
# Cloud metadata services answer on these; they are link-local or private too, named here to be sure.
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
            ipaddress.ip_address("100.100.100.200")}

OutgoingRow = TypeVar("OutgoingRow", bound=Outgoing)
Noted = TypeVar("Noted")


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt after `attempts` failed ones."""
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


# -- where a post may go -------------------------------------------------------------------------------

def forbidden_address(address: str) -> bool:
    """Whether an address is one a webhook must not reach: loopback, private, link-local, metadata, multicast …

    An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, 6to4 2002::/16, Teredo 2001::/32) is judged
    by what it carries too: 2002:7f00:1:: reaches 127.0.0.1 through a 6to4 relay.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return _forbidden(ip.ipv4_mapped)
        carried = [ip.sixtofour, *(ip.teredo or ())]
        if any(_forbidden(inner) for inner in carried if inner is not None):
            return True
    return _forbidden(ip)


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip in METADATA or not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def resolve(host: str, port: int) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def vetted_address(url: str, allow_private: bool, resolver=resolve) -> str:
    """The address to connect to for url, after checking the url and every address its host resolves to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError({"url": _("Give an http:// or https:// address.")})
    if parts.username or parts.password:
        raise DomainError({"url": _("Leave user names and passwords out of the address; the signature proves "
                                    "who is calling.")})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolver(parts.hostname, port)
    except (OSError, ValueError, UnicodeError):
        raise DomainError({"url": _("%(host)s cannot be found.", host=parts.hostname)}) from None
    if not addresses:
        raise DomainError({"url": _("%(host)s cannot be found.", host=parts.hostname)})
    if not allow_private:
        refused = [a for a in addresses if forbidden_address(a)]
        if refused:
            raise DomainError({"url": _("%(host)s leads to %(address)s, a loopback, private, link-local or metadata "
                                        "address; webhooks may not go there.", host=parts.hostname,
                                        address=refused[0])})
    return addresses[0]


def set_active(recipient: Recipient, active: bool) -> None:
    """Turn a recipient on (its failures forgotten, so it has a whole day again) or off (flushes)."""
    recipient.active = active
    recipient.failing_since = None
    recipient.disabled_at = None if active else utcnow()
    db.session.flush()


# -- one attempt ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """What one POST came to: the status (None when none came), how long it took, what failed ("" if nothing)."""

    status: int | None
    elapsed: int | None
    error: str


def _post(url: str, address: str, body: bytes, headers: dict) -> tuple[int, int]:
    """POST body to url, connecting to the vetted address only (no second lookup a DNS change could swing)."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    connection._create_connection = lambda target, timeout=None, source=None: socket.create_connection(
        (address, target[1]), timeout, source)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status, int((time.monotonic() - started) * 1000)
    finally:
        connection.close()


def post(url: str, body: str, headers: dict, allow_private: bool, resolver=resolve) -> Sent:
    """POST body to url (changing nothing in the database). The address is vetted again each time: what its name
    resolves to may have changed since it was added. Anything but a 2xx answer is a failure, said in words."""
    status, elapsed, error = None, None, ""
    try:
        address = vetted_address(url, allow_private, resolver)
        status, elapsed = _post(url, address, body.encode(), headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except DomainError as refusal:
        error = " ".join(refusal.errors.values())
    except (OSError, http.client.HTTPException) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return Sent(status, elapsed, error)


def record_attempt(outgoing: Outgoing, recipient: Recipient, now: datetime, sent: Sent) -> bool:
    """Note how an attempt went and when to try again, giving up a day after the post was made; a recipient
    failing for 24 hours is turned off (flushes). Whether this attempt turned it off."""
    outgoing.attempts += 1
    outgoing.last_attempt_at, outgoing.last_status, outgoing.last_error = now, sent.status, sent.error[:300]
    turned_off = False
    if not sent.error:
        outgoing.delivered_at = now
        recipient.failing_since = None
    else:
        recipient.failing_since = aware(recipient.failing_since) or now
        # The last attempt falls on the 24-hour mark itself, so a recipient down all day is seen to be.
        deadline = aware(outgoing.created_at) + RETRY_FOR
        if now >= deadline:
            outgoing.given_up_at = now
        else:
            outgoing.next_attempt_at = min(now + backoff(outgoing.attempts), deadline)
        if recipient.active and now - recipient.failing_since >= DISABLE_AFTER:
            recipient.active, recipient.disabled_at, turned_off = False, now, True
    db.session.flush()
    return turned_off


# -- trying what is due --------------------------------------------------------------------------------

def due_query(outgoing: type[OutgoingRow], recipient: type[Recipient], now: datetime, limit: int = 500) -> Select:
    """The posts due by now to recipients that are on, the longest waiting first."""
    return (select(outgoing).join(recipient).where(recipient.active.is_(True), outgoing.pending(),
                                                   outgoing.next_attempt_at <= now)
            .order_by(outgoing.next_attempt_at, outgoing.id).limit(limit))


def claim(outgoing: type[Outgoing], outgoing_id: int, now: datetime) -> bool:
    """Take a due post for one attempt: its next attempt is put past the time a POST may take, so no other
    process picks it meanwhile (and a process that dies mid-attempt leaves it to be tried again then)."""
    taken = db.session.execute(update(outgoing).where(
        outgoing.id == outgoing_id, outgoing.pending(), outgoing.next_attempt_at <= now).values(
        next_attempt_at=now + CLAIM_FOR), execution_options={"synchronize_session": False})
    return bool(taken.rowcount)


def attempt_each_due(outgoing: type[OutgoingRow], recipient: type[Recipient], now: datetime,
                     send: Callable[[OutgoingRow, datetime, bool], Sent],
                     note: Callable[[OutgoingRow, datetime, Sent], Noted],
                     said: Callable[[OutgoingRow, Sent, Noted], None]) -> int:
    """Try each post that is due once: taken first, so no other process tries it meanwhile; `send` POSTs it
    outside any transaction, `note` records the attempt in a short one, `said` tells of it once that is
    committed. How many attempts were made."""
    allow_private = bool(current_app.config.get("ALLOW_PRIVATE_WEBHOOKS"))
    due = [row.id for row in db.session.scalars(due_query(outgoing, recipient, now))]
    db.session.commit()
    made = 0
    for outgoing_id in due:
        with writing():
            taken = claim(outgoing, outgoing_id, now)
            db.session.commit()
        if not taken:
            continue
        row = db.session.get(outgoing, outgoing_id)
        sent = send(row, now, allow_private)
        with writing_from_here():
            noted = note(row, now, sent)
            db.session.commit()
        made += 1
        said(row, sent, noted)
    return made


def backlog(name: str, label, outgoing: type[OutgoingRow], recipient: type[Recipient],
            shown: Callable[[OutgoingRow], str]) -> Backlog:
    """What the site administrator's page shows of one kind of post: how many wait (for recipients that are on)
    and were given up, and the latest failures, each `shown` as "event → where"."""

    def count() -> tuple[int, int]:
        waiting = db.session.scalar(select(func.count()).select_from(outgoing).join(recipient).where(
            recipient.active.is_(True), outgoing.pending()))
        failed = db.session.scalar(select(func.count()).select_from(outgoing).where(
            outgoing.given_up_at.is_not(None)))
        return waiting, failed

    def failures(limit: int) -> list[Failure]:
        query = (select(outgoing, Organisation.name).select_from(outgoing).join(recipient)
                 .join(Organisation, Organisation.id == recipient.organisation_id)
                 .where(outgoing.delivered_at.is_(None), outgoing.last_error != "")
                 .order_by(outgoing.last_attempt_at.desc(), outgoing.id.desc()).limit(limit))
        return [Failure(aware(row.last_attempt_at), organisation, f"{row.event} → {shown(row)}", row.last_error)
                for row, organisation in db.session.execute(query)]

    return Backlog(name, label, count, failures)
