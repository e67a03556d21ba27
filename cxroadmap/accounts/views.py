"""Signing in and out, the second factor, and the account page."""

import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from cxroadmap.access import public, signed_in
from cxroadmap.accounts import services, tokens, ways
from cxroadmap.accounts.forms import (
    DigestForm,
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    SecondFactorForm,
    TokenForm,
)
from cxroadmap.audit.services import Actor, person, record, set_actor
from cxroadmap.emails import normal_email
from cxroadmap.extensions import db, limiter
from cxroadmap.i18n import _, _l
from cxroadmap.security import safe_next
from cxroadmap.web import render_form, submit

bp = Blueprint("accounts", __name__)

FAILED_SIGN_IN = _l("The email or password is not right.")


def _account_key() -> str:
    return "account:" + normal_email(request.form.get("email"))[:254]


def _failed(response) -> bool:
    return response.status_code == 401


def sign_in_user(user, pending: bool = False) -> None:
    """A new session identity: whatever the browser had before is dropped."""
    token = services.start_session(user, request.remote_addr or "", pending_second_factor=pending)
    session.clear()
    user.session_token = token
    login_user(user)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"],
               deduct_when=_failed, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed,
               scope="login-address")
def login():
    form = LoginForm(next=request.args.get("next", ""))
    valid = form.validate_on_submit()
    if not valid and request.method == "POST" and set(form.errors) == {"password"}:
        # An address of a domain that signs in with its identity provider goes there, no password asked.
        elsewhere = ways.route(form.email.data, safe_next(form.next.data))
        if elsewhere:
            return redirect(elsewhere)
    if valid:
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            record("sign_in_failed", actor=Actor((form.email.data or "")[:254], None, request.remote_addr or ""))
            form.form_errors.append(FAILED_SIGN_IN)
            return _login_page(form), 401
        refusal = ways.password_refusal(user)
        if refusal:
            record("sign_in_failed", actor=Actor(user.email, user.id, request.remote_addr or ""),
                   changes={"reason": [None, "single sign-on required"]})
            form.form_errors.append(refusal)
            return _login_page(form), 403
        sign_in_user(user, pending=user.totp_enabled)
        set_actor(person(user, request.remote_addr or ""))
        record("sign_in" if not user.totp_enabled else "sign_in_password")
        target = safe_next(form.next.data)
        if user.totp_enabled:
            return redirect(url_for(".second_factor", next=target if target != "/" else None))
        return redirect(target)
    page, status = render_form("accounts/login.html", form, sign_in_offers=ways.offers(form.next.data or ""))
    return page, status


def _login_page(form):
    return render_template("accounts/login.html", form=form, sign_in_offers=ways.offers(form.next.data or ""))


@bp.route("/login/second-factor", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], deduct_when=_failed,
               scope="second-factor")
def second_factor():
    if not current_user.is_authenticated or not g.get("pending_second_factor"):
        return redirect(url_for(".login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if services.verify_second_factor(current_user, form.code.data):
            services.complete_second_factor(current_user.session_token)
            record("sign_in")
            return redirect(safe_next(request.args.get("next")))
        record("sign_in_failed", changes={"step": [None, "second factor"]})
        form.code.errors = [_("That code is not right, or it has been used already.")]
        return render_template("accounts/second_factor.html", form=form), 401
    return render_form("accounts/second_factor.html", form)


@bp.post("/logout")
@signed_in
def logout():
    services.end_session(current_user.session_token)
    record("sign_out")
    elsewhere = ways.sign_out()  # the identity provider's own sign-out, when the session came from one
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(elsewhere or url_for(".login"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = PasswordChangeForm()
    if submit(form, lambda: _change_password(form)):
        flash(_("Password changed. Every other session of yours has been signed out."), "success")
        return redirect(url_for(".account"))
    return _account_page(form)


def _account_page(form, token_form=None, new_token=None):
    memberships = services.organisations_of(current_user)
    return render_form("accounts/account.html", form, memberships=memberships,
                       language_form=LanguageForm(locale=current_user.locale or ""),
                       token_form=token_form or TokenForm(memberships, formdata=None),
                       tokens=tokens.tokens_of(current_user), token_state=tokens.token_state, new_token=new_token,
                       digest_form=DigestForm)


@bp.post("/account/tokens")
@signed_in
def create_token():
    form = TokenForm(services.organisations_of(current_user))
    made = submit(form, lambda: _create_token(form))
    if made:
        # Shown on this page once, never stored or sent again: only its hash is kept.
        page, _status = _account_page(PasswordChangeForm(formdata=None), new_token=made.secret)
        return page
    page, _status = _account_page(PasswordChangeForm(formdata=None), token_form=form)
    return page, 422


def _create_token(form):
    organisation = None
    if form.organisation.data:
        organisation = next((m.organisation for m in services.organisations_of(current_user)
                             if m.organisation.slug == form.organisation.data), None)
    made = tokens.create_token(current_user, form.name.data, organisation, form.access.data == "write",
                               form.days.data)
    record("token_created", organisation=organisation, object_type="Access token", object_id=made.token.id,
           object_label=made.token.name)
    return made


@bp.post("/account/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int):
    token = tokens.token_of(current_user, token_id)
    tokens.revoke_token(token)
    record("token_revoked", organisation=token.organisation, object_type="Access token", object_id=token.id,
           object_label=token.name)
    flash(_("Token %(name)s revoked: it no longer opens the API.", name=token.name), "success")
    return redirect(url_for(".account"))


@bp.post("/account/digests/<int:membership_id>")
@signed_in
def digests(membership_id: int):
    """How often the user's digest of one organisation comes, and whether the steering committee's does."""
    form = DigestForm()
    membership = services.own_membership(current_user, membership_id)
    if submit(form, lambda: services.set_digests(membership, form.digest.data, form.steering_digest.data == "on")
              or True):
        flash(_("Mail settings for %(name)s saved.", name=membership.organisation.name), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".account"))


@bp.post("/account/language")
@signed_in
def language():
    form = LanguageForm()
    if submit(form, lambda: services.set_language(current_user, form.locale.data) or True):
        # Said in the language just chosen: the choice was read when this request began.
        refresh()
        flash(_("Language saved."), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".account"))


def _change_password(form) -> bool:
    services.change_password(current_user, form.current_password.data, form.password.data)
    record("password_changed")
    db.session.flush()
    # The user itself, not the proxy: Flask-Login keeps what it is given as the current user.
    sign_in_user(current_user._get_current_object(), pending=False)  # this browser carries on, in a new session
    return True


@bp.route("/account/two-factor", methods=["GET", "POST"])
@signed_in
def two_factor():
    if current_user.totp_enabled:
        return render_form("accounts/two_factor_on.html", DisableTwoFactorForm(), codes=None)
    secret = session.get("totp_setup") or services.new_totp_secret()
    session["totp_setup"] = secret
    form = EnableTwoFactorForm()
    codes = submit(form, lambda: _enable(secret, form.code.data))
    if codes:
        session.pop("totp_setup", None)
        flash(_("Two-factor sign-in is on."), "success")
        return render_template("accounts/two_factor_on.html", form=DisableTwoFactorForm(), codes=codes)
    uri = services.totp_uri(current_user, secret)
    return render_form("accounts/two_factor_setup.html", form, secret=secret, qr=_qr_svg(uri))


def _enable(secret: str, code: str) -> list[str]:
    codes = services.enable_two_factor(current_user, secret, code)
    record("two_factor_enabled")
    return codes


@bp.post("/account/two-factor/disable")
@signed_in
def disable_two_factor():
    form = DisableTwoFactorForm()
    if form.validate_on_submit() and services.verify_second_factor(current_user, form.code.data):
        services.disable_two_factor(current_user)
        record("two_factor_disabled")
        flash(_("Two-factor sign-in is off."), "success")
        return redirect(url_for(".account"))
    # The request's end keeps what was recorded: a code that was tried and used stays used.
    form.code.errors = [_("That code is not right, or it has been used already.")]
    return render_template("accounts/two_factor_on.html", form=form, codes=None), 422


def _qr_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    # Generated by the qrcode library from our own URI: no user text reaches it unescaped.
    return Markup(buffer.getvalue().decode().split("?>", 1)[-1])
