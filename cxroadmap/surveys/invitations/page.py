"""What a survey's page shows of its invitations: the figures, the settings, and the forms to upload contacts and
change the settings (kept apart from the views, which the survey page's module is imported by)."""

from cxroadmap.surveys.invitations import services
from cxroadmap.surveys.invitations.forms import ContactsForm, InvitingForm


def invitations_section(survey, contacts_form=None, inviting_form=None) -> dict:
    """What the survey page shows of its invitations, with the forms (refused ones as they came back)."""
    settings = services.inviting(survey)
    return {"figures": services.invitation_figures(survey), "settings": settings,
            "quiet_days": services.quiet_days(survey.organisation_id),
            "contacts_form": contacts_form or ContactsForm(formdata=None),
            "inviting_form": inviting_form or InvitingForm(formdata=None, obj=settings)}
