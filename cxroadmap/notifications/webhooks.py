"""Webhook endpoints: registering them (never to private addresses), signing and sending deliveries, retrying."""

import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select, update

from cxroadmap.errors import DomainError, NotInOrganisation, Problems
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.notifications.events import events
from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import aware, utcnow

SIGNATURE_HEADER = "X-Cxroadmap-Signature"
TIMESTAMP_HEADER = "X-Cxroadmap-Timestamp"
RETRY_FOR = timedelta(hours=24)
DISABLE_AFTER = timedelta(hours=24)
# Seconds to wait after the 1st, 2nd, … failed attempt; the last step repeats until 24 hours have passed.
BACKOFF_SECONDS = (60, 300, 900, 3600, 7200, 14400, 21600)
TIMEOUT_SECONDS = 10
# A delivery taken for an attempt is not taken again for this long (its POST ends well before).
CLAIM_FOR = timedelta(seconds=5 * TIMEOUT_SECONDS)
SHOWN_DELIVERIES = 100
# Cloud metadata services answer on these; they are link-local or private too, named here to be sure.
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
            ipaddress.ip_address("100.100.100.200")}


def signature(secret: str, timestamp: str, body: str) -> str:
    """HMAC-SHA256(secret, timestamp + "." + body), hex, as the receiver recomputes it."""
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt after `attempts` failed ones."""
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


# -- where a webhook may go ----------------------------------------------------------------------------

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


# -- endpoints -----------------------------------------------------------------------------------------

def chosen_events(problems: Problems, wanted: list[str] | None) -> list[str]:
    """The event kinds asked for, in the order events() lists them; a problem on "events" when none is chosen or
    one is not a known kind (webhook endpoints and chat channels subscribe alike)."""
    chosen = [e for e in events().keys if e in (wanted or [])]
    problems.require(bool(chosen) and len(chosen) == len(set(wanted or [])), "events",
                     _("Choose one or more of the events listed."))
    return chosen


def register_endpoint(organisation: Organisation, url: str, wanted: list[str], allow_private: bool,
                      resolver=resolve) -> WebhookEndpoint:
    """A new endpoint with a fresh secret, for the events chosen."""
    url = (url or "").strip()
    problems = Problems()
    problems.require(0 < len(url) <= 500, "url", _("Give an address of at most 500 characters."))
    chosen = chosen_events(problems, wanted)
    problems.raise_if_any()
    vetted_address(url, allow_private, resolver)
    endpoint = WebhookEndpoint(organisation_id=organisation.id, url=url, events=chosen,
                               secret=secrets.token_urlsafe(32))
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def endpoints(organisation: Organisation) -> list[WebhookEndpoint]:
    return list(db.session.scalars(WebhookEndpoint.scoped_to(organisation).order_by(WebhookEndpoint.id)))


def endpoint_in(organisation: Organisation, endpoint_id: int) -> WebhookEndpoint:
    found = db.session.scalar(WebhookEndpoint.scoped_to(organisation).where(WebhookEndpoint.id == endpoint_id))
    if found is None:
        raise NotInOrganisation(_("No such webhook."))
    return found


def set_active(endpoint: WebhookEndpoint, active: bool) -> None:
    """Turn an endpoint on (failures forgotten) or off."""
    endpoint.active = active
    endpoint.failing_since = None
    endpoint.disabled_at = None if active else utcnow()
    db.session.flush()


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    db.session.delete(endpoint)
    db.session.flush()


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = SHOWN_DELIVERIES) -> list[WebhookDelivery]:
    query = (select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
             .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def delivery_counts(organisation: Organisation) -> dict[int, int]:
    """Per endpoint, how many deliveries are still waiting to go."""
    query = (select(WebhookDelivery.endpoint_id, func.count()).join(WebhookEndpoint)
             .where(WebhookEndpoint.organisation_id == organisation.id, WebhookDelivery.delivered_at.is_(None),
                    WebhookDelivery.given_up_at.is_(None)).group_by(WebhookDelivery.endpoint_id))
    return dict(db.session.execute(query).all())


# -- sending -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    delivery_id: int
    url: str
    event: str
    status: int | None
    ok: bool
    error: str
    disabled: WebhookEndpoint | None = None


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



def attempt(delivery: WebhookDelivery, now: datetime, allow_private: bool, resolver=resolve) -> Attempt:
    """Try one delivery once; note how it went, when to try again, and disable an endpoint failing for 24 h."""
    return note_attempt(delivery, now, send(delivery, now, allow_private, resolver))


@dataclass(frozen=True)
class Sent:
    """What one POST of a delivery came to: the status (None when none came), how long it took, what failed."""

    status: int | None
    elapsed: int | None
    error: str


def send(delivery: WebhookDelivery, now: datetime, allow_private: bool, resolver=resolve) -> Sent:
    """POST the delivery, signed for this moment, to its endpoint (changing nothing in the database)."""
    endpoint = delivery.endpoint
    timestamp = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json", "User-Agent": "cxroadmap-webhooks",
               "X-Cxroadmap-Event": delivery.event, "X-Cxroadmap-Delivery": delivery.event_id,
               TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: "sha256=" + signature(endpoint.secret, timestamp,
                                                                                   delivery.body)}
    status, elapsed, error = None, None, ""
    try:
        address = vetted_address(endpoint.url, allow_private, resolver)
        status, elapsed = _post(endpoint.url, address, delivery.body.encode(), headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except DomainError as refusal:
        error = " ".join(refusal.errors.values())
    except (OSError, http.client.HTTPException) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return Sent(status, elapsed, error)


def note_attempt(delivery: WebhookDelivery, now: datetime, sent: Sent) -> Attempt:
    """Note how an attempt went, when to try again, and disable an endpoint failing for 24 hours (flushes)."""
    endpoint, error = delivery.endpoint, sent.error
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.last_status, delivery.last_response_ms = now, sent.status, sent.elapsed
    delivery.last_error = error[:300]
    disabled = None
    if not error:
        delivery.delivered_at = now
        endpoint.failing_since = None
    else:
        endpoint.failing_since = aware(endpoint.failing_since) or now
        # The last attempt falls on the 24-hour mark itself, so an endpoint down all day is seen to be.
        deadline = aware(delivery.created_at) + RETRY_FOR
        if now >= deadline:
            delivery.given_up_at = now
        else:
            delivery.next_attempt_at = min(now + backoff(delivery.attempts), deadline)
        if endpoint.active and now - endpoint.failing_since >= DISABLE_AFTER:
            endpoint.active, endpoint.disabled_at, disabled = False, now, endpoint
    db.session.flush()
    return Attempt(delivery.id, endpoint.url, delivery.event, sent.status, not error, error, disabled)


def claim(delivery_id: int, now: datetime) -> bool:
    """Take a due delivery for one attempt: its next attempt is put past the time a POST may take, so no other
    process picks it meanwhile (and a process that dies mid-attempt leaves it to be tried again then)."""
    taken = db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.delivered_at.is_(None),
        WebhookDelivery.given_up_at.is_(None), WebhookDelivery.next_attempt_at <= now).values(
        next_attempt_at=now + CLAIM_FOR), execution_options={"synchronize_session": False})
    return bool(taken.rowcount)


def due_deliveries(now: datetime, limit: int = 500) -> list[WebhookDelivery]:
    query = (select(WebhookDelivery).join(WebhookEndpoint).where(
        WebhookEndpoint.active.is_(True), WebhookDelivery.delivered_at.is_(None),
        WebhookDelivery.given_up_at.is_(None), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
    return list(db.session.scalars(query))


def backlog():
    """What the site administrator's page shows of webhooks: deliveries waiting (to endpoints that are on) and
    given up, with the latest failures."""
    from cxroadmap.i18n import _l
    from cxroadmap.scheduler import Backlog, Failure

    def count() -> tuple[int, int]:
        waiting = db.session.scalar(select(func.count()).select_from(WebhookDelivery).join(WebhookEndpoint).where(
            WebhookEndpoint.active.is_(True), WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.given_up_at.is_(None)))
        failed = db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.given_up_at.is_not(None)))
        return waiting, failed

    def failures(limit: int) -> list[Failure]:
        query = (select(WebhookDelivery, Organisation.name).select_from(WebhookDelivery).join(WebhookEndpoint)
                 .join(Organisation, Organisation.id == WebhookEndpoint.organisation_id)
                 .where(WebhookDelivery.delivered_at.is_(None), WebhookDelivery.last_error != "")
                 .order_by(WebhookDelivery.last_attempt_at.desc(), WebhookDelivery.id.desc()).limit(limit))
        return [Failure(aware(delivery.last_attempt_at), name, f"{delivery.event} → {delivery.endpoint.url}",
                        delivery.last_error) for delivery, name in db.session.execute(query)]

    return Backlog("webhooks", _l("Webhook deliveries"), count, failures)
