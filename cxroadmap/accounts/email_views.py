"""Pages reached from mail: accepting an invitation, and setting a new password after forgetting it."""

from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import public
from cxroadmap.accounts import invitations as service
from cxroadmap.accounts.forms import AcceptInvitationForm, ForgotPasswordForm, JoinForm, ResetPasswordForm
from cxroadmap.accounts.services import user_by_email
from cxroadmap.accounts.views import sign_in_user
from cxroadmap.audit.services import Actor, person, record, reset_actor, set_actor
from cxroadmap.errors import DomainError
from cxroadmap.extensions import limiter
from cxroadmap.i18n import _, current_language
from cxroadmap.mail import queue_mail, send_queued_soon
from cxroadmap.web import after_commit, render_form, submit

password = Blueprint("password", __name__, url_prefix="/password")
invitations = Blueprint("invitations", __name__, url_prefix="/invitations")


def _typed_account() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def _mailed_link(lookup):
    """The page of a link sent by mail: the view gets the token and what lookup(token) found for it; a token
    lookup refuses (unknown, used, expired) is answered 410, saying why."""
    def decorate(view):
        @wraps(view)
        def page(token: str):
            try:
                found = lookup(token)
            except DomainError as refusal:
                return render_template("accounts/link_refused.html", message=str(refusal)), 410
            return view(token, found)
        return page
    return decorate


@password.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"], key_func=_typed_account,
               methods=["POST"], scope="reset-account")
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"], methods=["POST"],
               scope="reset-address")
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The same work and the same answer whether or not an account has this address: the background work looks
        # the address up, and sends a link or nothing (accounts.mails.password_reset_mail).
        queue_mail("password_reset", {"email": form.email.data, "language": current_language(),
                                      "minutes": int(current_app.config["PASSWORD_RESET_MINUTES"]),
                                      "address": request.remote_addr or ""})
        after_commit(send_queued_soon)
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_form("accounts/forgot.html", form)


@password.route("/reset/<token>", methods=["GET", "POST"])
@public
@_mailed_link(service.reset_by_token)
def reset(token: str, found):
    form = ResetPasswordForm()
    user = submit(form, lambda: _reset(token, form.password.data, found.user))
    if user:
        flash(_("Your new password is set, and every session of your account has ended. Sign in with it now."),
              "success")
        return redirect(url_for("accounts.login"))
    return render_form("accounts/reset.html", form, email=found.user.email)


def _reset(token: str, new_password: str, user):
    changed = service.reset_password(token, new_password)
    record("password_reset", object_type="User", object_id=user.id, object_label=user.name or user.email,
           actor=person(user, request.remote_addr or ""))
    return changed


@invitations.route("/<token>", methods=["GET", "POST"])
@public
@_mailed_link(service.invitation_by_token)
def accept(token: str, invitation):
    organisation = invitation.organisation
    existing = user_by_email(invitation.email)
    form = JoinForm() if existing else AcceptInvitationForm()
    user = submit(form, lambda: _accept(token, form, invitation))
    if user:
        if existing is None:
            sign_in_user(user)
        elif not (current_user.is_authenticated and current_user.id == user.id):
            flash(_("You have joined %(name)s. Sign in to open it.", name=organisation.name), "success")
            return redirect(url_for("accounts.login", next=url_for("overview.show", slug=organisation.slug)))
        flash(_("Welcome to %(name)s.", name=organisation.name), "success")
        return redirect(url_for("overview.show", slug=organisation.slug))
    return render_form("accounts/accept.html", form, invitation=invitation, organisation=organisation,
                       existing=existing)


def _accept(token: str, form, invitation):
    name = getattr(form, "name", None)
    address = request.remote_addr or ""
    # What joining changes (the account, the membership) is the person's own doing, not an anonymous visitor's.
    existing = service.user_by_email(invitation.email)
    acting = set_actor(person(existing, address) if existing is not None else
                       Actor(((name.data if name else "") or invitation.email)[:254], None, address))
    try:
        user = service.accept_invitation(token, name.data if name else "", getattr(form, "password", None) and
                                         form.password.data or "")
    finally:
        reset_actor(acting)
    record("invitation_accepted", organisation=invitation.organisation, object_type="Invitation",
           object_id=invitation.id, object_label=invitation.email, actor=person(user, request.remote_addr or ""))
    return user
