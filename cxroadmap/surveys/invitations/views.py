"""The invitation pages of the organisation: the contact list uploaded on a survey's page, the survey's reminder
and delay, and the suppression list (managers: the steering committee)."""

from flask import flash, g, redirect, render_template, url_for

from cxroadmap.access import requires
from cxroadmap.i18n import _, ngettext
from cxroadmap.surveys import services as survey_services
from cxroadmap.surveys.invitations import services
from cxroadmap.surveys.invitations.contacts import read_contacts
from cxroadmap.surveys.invitations.forms import ContactsForm, InvitingForm
from cxroadmap.surveys.policy import CHANGE_SURVEY
from cxroadmap.surveys.views import bp, show_page
from cxroadmap.web import reads_upload, start_writing, submit


def tell_invited(done: services.Invited) -> None:
    """Say what the upload did: queued, and who was not invited and why."""
    flash(ngettext("%(num)d invitation queued: the background work sends it within minutes.",
                   "%(num)d invitations queued: the background work sends them within minutes.", done.queued),
          "success")
    days = services.quiet_days(g.organisation.id)
    if done.quiet:
        flash(ngettext("%(num)d not invited: asked within the last %(days)s days.",
                       "%(num)d not invited: asked within the last %(days)s days.", done.quiet, days=days), "info")
    if done.suppressed:
        flash(ngettext("%(num)d unsubscribed.", "%(num)d unsubscribed.", done.suppressed), "info")


@bp.post("/surveys/<int:survey_id>/invitations")
@requires(CHANGE_SURVEY)
@reads_upload
def upload_contacts(survey_id: int):
    """The file is read as a stream before the request writes; any refused line refuses the whole file."""
    survey = survey_services.survey_in(g.organisation, survey_id)
    form = ContactsForm()

    def action():
        contacts = read_contacts(form.contacts.data.stream, g.organisation.locale[:2])
        start_writing()
        return services.upload_contacts(survey, contacts)

    done = submit(form, action)
    if done:
        tell_invited(done)
        return redirect(url_for(".show", survey_id=survey.id, _anchor="invitations-title"))
    return show_page(survey, contacts_form=form, status=422)


@bp.post("/surveys/<int:survey_id>/inviting")
@requires(CHANGE_SURVEY)
def inviting_settings(survey_id: int):
    survey = survey_services.survey_in(g.organisation, survey_id)
    form = InvitingForm()
    if submit(form, lambda: services.set_inviting(survey, form.reminder_days.data, form.delay_minutes.data)):
        flash(_("Invitation settings saved."), "success")
        return redirect(url_for(".show", survey_id=survey.id, _anchor="invitations-title"))
    return show_page(survey, inviting_form=form, status=422)


@bp.get("/surveys/suppressions")
@requires(CHANGE_SURVEY)
def suppressions():
    return render_template("surveys/invitations/suppressions.html",
                           suppressions=services.suppression_list(g.organisation),
                           quiet_days=services.quiet_days(g.organisation.id))


@bp.post("/surveys/suppressions/<int:suppression_id>/remove")
@requires(CHANGE_SURVEY)
def remove_suppression(suppression_id: int):
    removed = services.remove_suppression(g.organisation, suppression_id)
    flash(_("%(email)s may be invited again.", email=removed.email), "success")
    return redirect(url_for(".suppressions"))
