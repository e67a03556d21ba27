"""Webhook endpoints: registering them (never to private addresses), and signing and sending deliveries, retried
as `posting` retries every post."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.notifications import posting
from cxroadmap.notifications.events import events
from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.validation import Problems

SIGNATURE_HEADER = "X-Cxroadmap-Signature"
TIMESTAMP_HEADER = "X-Cxroadmap-Timestamp"
SHOWN_DELIVERIES = 100


def signature(secret: str, timestamp: str, body: str) -> str:
    """HMAC-SHA256(secret, timestamp + "." + body), hex, as the receiver recomputes it."""
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


# -- endpoints -----------------------------------------------------------------------------------------

def chosen_events(problems: Problems, wanted: list[str] | None) -> list[str]:
    """The event kinds asked for, in the order events() lists them; a problem on "events" when none is chosen or
    one is not a known kind (webhook endpoints and chat channels subscribe alike)."""
    chosen = [e for e in events().keys if e in (wanted or [])]
    problems.require(bool(chosen) and len(chosen) == len(set(wanted or [])), "events",
                     _("Choose one or more of the events listed."))
    return chosen


def register_endpoint(organisation: Organisation, url: str, wanted: list[str], allow_private: bool,
                      resolver=posting.resolve) -> WebhookEndpoint:
    """A new endpoint with a fresh secret, for the events chosen."""
    url = (url or "").strip()
    problems = Problems()
    problems.require(0 < len(url) <= 500, "url", _("Give an address of at most 500 characters."))
    chosen = chosen_events(problems, wanted)
    problems.raise_if_any()
    posting.vetted_address(url, allow_private, resolver)
    endpoint = WebhookEndpoint(organisation_id=organisation.id, url=url, events=chosen,
                               secret=secrets.token_urlsafe(32))
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def endpoints(organisation: Organisation) -> list[WebhookEndpoint]:
    return list(db.session.scalars(WebhookEndpoint.scoped_to(organisation).order_by(WebhookEndpoint.id)))


def endpoint_in(organisation: Organisation, endpoint_id: int) -> WebhookEndpoint:
    return get_in_organisation(organisation, WebhookEndpoint, _("No such webhook."), id=endpoint_id)


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
             .where(WebhookEndpoint.organisation_id == organisation.id, WebhookDelivery.pending())
             .group_by(WebhookDelivery.endpoint_id))
    return dict(db.session.execute(query).all())


# -- sending -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    """How one attempt at a delivery went, and the endpoint it turned off (failing for a day), if it did."""

    delivery_id: int
    url: str
    event: str
    status: int | None
    ok: bool
    error: str
    disabled: WebhookEndpoint | None = None


def attempt(delivery: WebhookDelivery, now: datetime, allow_private: bool, resolver=posting.resolve) -> Attempt:
    """Try one delivery once; note how it went, when to try again, and disable an endpoint failing for 24 h."""
    return note_attempt(delivery, now, send(delivery, now, allow_private, resolver))


def send(delivery: WebhookDelivery, now: datetime, allow_private: bool, resolver=posting.resolve) -> posting.Sent:
    """POST the delivery, signed for this moment, to its endpoint (changing nothing in the database)."""
    endpoint = delivery.endpoint
    timestamp = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json", "User-Agent": "cxroadmap-webhooks",
               "X-Cxroadmap-Event": delivery.event, "X-Cxroadmap-Delivery": delivery.event_id,
               TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: "sha256=" + signature(endpoint.secret, timestamp,
                                                                                   delivery.body)}
    return posting.post(endpoint.url, delivery.body, headers, allow_private, resolver)


def note_attempt(delivery: WebhookDelivery, now: datetime, sent: posting.Sent) -> Attempt:
    """Note how an attempt went, how long the endpoint took to answer, when to try again, and disable an endpoint
    failing for 24 hours (flushes)."""
    endpoint = delivery.endpoint
    delivery.last_response_ms = sent.elapsed
    turned_off = posting.record_attempt(delivery, endpoint, now, sent)
    return Attempt(delivery.id, endpoint.url, delivery.event, sent.status, not sent.error, sent.error,
                   endpoint if turned_off else None)


def due_deliveries(now: datetime, limit: int = 500) -> list[WebhookDelivery]:
    return list(db.session.scalars(posting.due_query(WebhookDelivery, WebhookEndpoint, now, limit)))


def backlog():
    """What the site administrator's page shows of webhooks: deliveries waiting (to endpoints that are on) and
    given up, with the latest failures."""
    return posting.backlog("webhooks", _l("Webhook deliveries"), WebhookDelivery, WebhookEndpoint,
                           lambda delivery: delivery.endpoint.url)
