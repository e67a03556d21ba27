"""An organisation's members, for its administrators: inviting people, withdrawing an invitation, changing a
member's role, removing a member."""

from flask import current_app, flash, g, redirect, url_for
from flask_login import current_user

from cxroadmap.access import ROLES, requires
from cxroadmap.accounts import invitations, services
from cxroadmap.accounts.forms import InviteForm, RoleForm
from cxroadmap.accounts.mails import added_mail, invitation_mail
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.mail import send
from cxroadmap.web import after_commit, organisation_blueprint, render_form, submit

members = organisation_blueprint("members", __name__)


@members.route("/members", methods=["GET", "POST"])
@requires("admin")
def index():
    form = InviteForm()
    invited = submit(form, lambda: invitations.invite(g.organisation, form.email.data, form.role.data,
                                                      current_user.name, current_app.config["INVITATION_DAYS"]))
    if invited:
        after_commit(lambda: _tell_invited(invited))
        return redirect(url_for(".index"))
    return render_form("accounts/members.html", form, memberships=services.members_of(g.organisation),
                       role_form=RoleForm, invitations=invitations.pending_invitations(g.organisation))


def _tell_invited(invited) -> None:
    """Mail the person (after the invitation is saved, so the link works) and say what happened."""
    if invited.membership is not None:
        mail, done = added_mail(invited.membership, current_user.name), _(
            "%(name)s had an account and is now %(role)s; they have been told by mail.",
            name=invited.membership.user.name, role=ROLES.label(invited.membership.role).lower())
    else:
        mail, done = invitation_mail(invited.invitation, invited.token, current_user.name), _(
            "Invitation sent to %(email)s.", email=invited.invitation.email)
    try:
        send(mail)
    except OSError as problem:
        current_app.logger.exception("could not send mail to %s", mail.to)
        flash(_("Saved, but the mail could not be sent (%(reason)s). Check the mail settings, then invite again.",
                reason=type(problem).__name__), "danger")
        return
    flash(done, "success")


@members.post("/members/invitations/<int:invitation_id>/withdraw")
@requires("admin")
def withdraw_invitation(invitation_id: int):
    invitation = invitations.invitation_in(g.organisation, invitation_id)
    try:
        invitations.withdraw_invitation(invitation)
    except DomainError as refusal:
        db.session.rollback()
        flash(" ".join(refusal.errors.values()), "danger")
        return redirect(url_for(".index"))
    flash(_("The invitation of %(email)s is withdrawn; its link no longer works.", email=invitation.email), "success")
    return redirect(url_for(".index"))


@members.post("/members/<int:membership_id>/role")
@requires("admin")
def change_role(membership_id: int):
    membership = services.membership_in(g.organisation, membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(g.organisation, membership, form.role.data)
        except DomainError as refusal:
            db.session.rollback()
            flash(" ".join(refusal.errors.values()), "danger")
            return redirect(url_for(".index"))
        flash(_("%(name)s is now %(role)s.", name=membership.user.name, role=ROLES.label(membership.role).lower()),
              "success")
    return redirect(url_for(".index"))


@members.post("/members/<int:membership_id>/remove")
@requires("admin")
def remove(membership_id: int):
    membership = services.membership_in(g.organisation, membership_id)
    name = membership.user.name
    try:
        services.remove_membership(g.organisation, membership)
    except DomainError as refusal:
        db.session.rollback()
        flash(" ".join(refusal.errors.values()), "danger")
        return redirect(url_for(".index"))
    flash(_("%(name)s is no longer a member.", name=name), "success")
    return redirect(url_for(".index"))
