"""Every fixed text the PDF reports print, in one place; each is translated when the report is drawn."""

from cxroadmap.i18n import Texts

LABELS = Texts.beside(__file__)

# The fixed text for key, with values filled in: what every report part says its labels with.
label = LABELS.say

