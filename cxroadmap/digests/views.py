"""The unsubscribe link of a digest: works without signing in, also as a mail program's one-click POST."""

from flask import Blueprint, render_template, request

from cxroadmap.access import public
from cxroadmap.audit.services import person, record
from cxroadmap.digests.forms import UnsubscribeForm
from cxroadmap.digests.mails import unsubscribe as stop
from cxroadmap.digests.mails import unsubscribe_target
from cxroadmap.extensions import csrf

mail_links = Blueprint("mail_links", __name__)


@mail_links.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # the signed link is the proof; mail programs post to it without a form (RFC 8058)
def unsubscribe(token: str):
    target = unsubscribe_target(token)
    if target is None:
        return render_template("digests/unsubscribe.html", membership=None, kind=None, done=False), 404
    membership, kind = target
    if request.method == "POST":
        stop(membership, kind)
        record("unsubscribed", organisation=membership.organisation, object_type="Membership",
               object_id=membership.id, object_label=membership.user.name or membership.user.email,
               changes={"digest": [None, kind]}, actor=person(membership.user, request.remote_addr or ""))
    return render_template("digests/unsubscribe.html", membership=membership, kind=kind,
                           done=request.method == "POST", form=UnsubscribeForm())
