"""The six CX maturity stages and the two coarser three-level views that sit beside them."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

TEXTS_FILE = texts_beside(__file__)
STAGES = Choices.of(TEXTS_FILE["STAGES"])
EXPERIENCE_LEVELS = Choices.of(TEXTS_FILE["EXPERIENCE_LEVELS"])
SERVICE_POSTURES = Choices.of(TEXTS_FILE["SERVICE_POSTURES"])

# Guidance, not a rule: where each stage usually sits on the two coarser views.
STAGE_EXPERIENCE = {
    "ignore": "random", "explore": "random",
    "mobilise": "intentional", "operationalise": "intentional",
    "align": "differentiated", "embed": "differentiated",
}
STAGE_SERVICE_POSTURE = {
    "ignore": "negative", "explore": "negative",
    "mobilise": "reactive", "operationalise": "reactive",
    "align": "proactive", "embed": "proactive",
}
