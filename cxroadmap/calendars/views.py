"""The calendar subscription: the account page that shows, renews or revokes it, and the feed itself."""

import hashlib

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import public, signed_in
from cxroadmap.audit.services import record
from cxroadmap.calendars import subscriptions
from cxroadmap.calendars.feed import organisations_of, personal_calendar
from cxroadmap.i18n import _

bp = Blueprint("calendars", __name__)

# Calendar apps poll every few minutes to hours; a revoked address must stop working, so no shared cache keeps it.
CACHE_SECONDS = 300


def feed_urls(secret: str) -> tuple[str, str]:
    """(https address, webcal address) of a feed."""
    https = url_for("calendars.feed", secret=secret, _external=True)
    return https, "webcal://" + https.split("://", 1)[1]


@bp.get("/account/calendar")
@signed_in
def subscription():
    feed = subscriptions.feed_of(current_user)
    urls = feed_urls(subscriptions.secret_of(feed)) if feed else None
    return render_template("calendars/subscription.html", feed=feed, urls=urls,
                           organisations=organisations_of(current_user))


@bp.post("/account/calendar")
@signed_in
def issue():
    renewed = subscriptions.feed_of(current_user) is not None
    subscriptions.issue(current_user)
    record("calendar_renewed" if renewed else "calendar_issued", object_type="Calendar subscription",
           object_id=current_user.id, object_label=current_user.email)
    flash(_("A new calendar address is ready; the old one no longer works.") if renewed
          else _("Your calendar address is ready: add it to your calendar app."), "success")
    return redirect(url_for(".subscription"))


@bp.post("/account/calendar/revoke")
@signed_in
def revoke():
    if subscriptions.revoke(current_user):
        record("calendar_revoked", object_type="Calendar subscription", object_id=current_user.id,
               object_label=current_user.email)
        flash(_("Calendar address revoked: calendar apps using it get nothing more."), "success")
    return redirect(url_for(".subscription"))


@bp.get("/calendar/<secret>.ics")
@public
def feed(secret: str):
    user = subscriptions.owner_of(secret)
    if user is None:
        abort(404)
    body = personal_calendar(user)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="cxroadmap.ics"'
    response.headers["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    # DTSTAMP changes on every read, so the tag is of the items alone: an unchanged feed answers 304.
    items = b"\n".join(line for line in body.splitlines() if not line.startswith(b"DTSTAMP"))
    response.set_etag(hashlib.sha256(items).hexdigest())
    return response.make_conditional(request)
