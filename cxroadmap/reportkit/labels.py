"""Every fixed text the PDF reports print, in one place; each is translated when the report is drawn."""

from cxroadmap.i18n import Texts, texts_beside

LABELS = Texts(texts_beside(__file__)["LABELS"])

# The fixed text for key, with values filled in: what every report part says its labels with.
label = LABELS.say

