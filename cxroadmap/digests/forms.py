"""The form that confirms an unsubscribe link."""

from cxroadmap.fields import Form


class UnsubscribeForm(Form):
    """Confirming the unsubscribe link: one button."""
