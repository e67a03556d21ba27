"""The organisation's mail settings and webhooks (administrators)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for

from cxroadmap.access import requires
from cxroadmap.i18n import _
from cxroadmap.notifications import notify, posting, webhooks
from cxroadmap.notifications.events import events
from cxroadmap.notifications.forms import EndpointForm, SettingsForm
from cxroadmap.web import organisation_blueprint, submit

bp = organisation_blueprint("notifications", __name__)


@bp.route("/notifications", methods=["GET", "POST"])
@requires("admin")
def settings():
    current = notify.settings_of(g.organisation)
    form = SettingsForm(obj=current)
    endpoint_form = EndpointForm(prefix="hook")
    if request.method == "POST" and "hook-url" in request.form:
        endpoint = submit(endpoint_form, lambda: webhooks.register_endpoint(
            g.organisation, endpoint_form.url.data, endpoint_form.events.data,
            bool(current_app.config.get("ALLOW_PRIVATE_WEBHOOKS"))))
        if endpoint:
            flash(_("Webhook added. Its secret is below: give it to the receiver to check signatures."), "success")
            return redirect(url_for(".endpoint", endpoint_id=endpoint.id))
        form = SettingsForm(formdata=None, obj=current)
    elif submit(form, lambda: notify.save_settings(g.organisation, form.meeting_pack_days.data, form.digest_hour.data)):
        flash(_("Mail settings saved."), "success")
        return redirect(url_for(".settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form, endpoint_form=endpoint_form,
                           endpoints=webhooks.endpoints(g.organisation),
                           waiting=webhooks.delivery_counts(g.organisation), EVENTS=events()), status


def _endpoint(endpoint_id: int):
    return webhooks.endpoint_in(g.organisation, endpoint_id)


@bp.get("/notifications/webhooks/<int:endpoint_id>")
@requires("admin")
def endpoint(endpoint_id: int):
    found = _endpoint(endpoint_id)
    return render_template("notifications/endpoint.html", endpoint=found,
                           deliveries=webhooks.recent_deliveries(found), EVENTS=events())


@bp.post("/notifications/webhooks/<int:endpoint_id>/state")
@requires("admin")
def set_state(endpoint_id: int):
    found = _endpoint(endpoint_id)
    posting.set_active(found, request.form.get("active") == "on")
    flash(_("Webhook turned on.") if found.active else _("Webhook turned off."), "success")
    return redirect(url_for(".endpoint", endpoint_id=found.id))


@bp.post("/notifications/webhooks/<int:endpoint_id>/delete")
@requires("admin")
def delete(endpoint_id: int):
    found = _endpoint(endpoint_id)
    webhooks.delete_endpoint(found)
    flash(_("Webhook deleted."), "success")
    return redirect(url_for(".settings"))
