"""The organisation's Slack and Teams channels (administrators)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for

from cxroadmap.access import requires
from cxroadmap.chat import channels
from cxroadmap.chat.forms import ChannelForm
from cxroadmap.i18n import _
from cxroadmap.notifications import posting
from cxroadmap.notifications.events import events
from cxroadmap.web import organisation_blueprint, submit

bp = organisation_blueprint("chat", __name__)


@bp.route("/chat", methods=["GET", "POST"])
@requires("admin")
def settings():
    form = ChannelForm()
    channel = submit(form, lambda: channels.add_channel(
        g.organisation, form.kind.data, form.name.data, form.url.data, form.events.data,
        bool(current_app.config.get("ALLOW_PRIVATE_WEBHOOKS"))))
    if channel:
        flash(_("Channel added. Send it a test message to see that it arrives."), "success")
        return redirect(url_for(".settings"))
    found = channels.channels(g.organisation)
    status = 422 if request.method == "POST" else 200
    return render_template("chat/settings.html", form=form, channels=found, shown_url=channels.shown_url,
                           recent={c.id: channels.recent_messages(c, 5) for c in found}, EVENTS=events()), status


@bp.post("/chat/<int:channel_id>/test")
@requires("admin")
def test(channel_id: int):
    channel = channels.channel_in(g.organisation, channel_id)
    channels.queue_test(g.organisation, channel)
    flash(_("A test message is on its way to %(name)s; it arrives within a minute. Its outcome shows below.",
            name=channel.name), "success")
    return redirect(url_for(".settings"))


@bp.post("/chat/<int:channel_id>/state")
@requires("admin")
def set_state(channel_id: int):
    channel = channels.channel_in(g.organisation, channel_id)
    posting.set_active(channel, request.form.get("active") == "on")
    flash(_("Channel turned on.") if channel.active else _("Channel turned off."), "success")
    return redirect(url_for(".settings"))


@bp.post("/chat/<int:channel_id>/delete")
@requires("admin")
def delete(channel_id: int):
    channels.delete_channel(channels.channel_in(g.organisation, channel_id))
    flash(_("Channel deleted."), "success")
    return redirect(url_for(".settings"))
