"""The enumerations of follow-up cases, with their labels: statuses and the default root causes."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

CASE_STATUSES = Choices.of(texts_beside(__file__)["CASE_STATUSES"])
OPEN = ("new", "contacted")
CLOSED = ("resolved", "not_resolvable")

# Every organisation starts with these, and keeps its own list on the settings page. A cause's key is made from
# its English name (cases.rules.cause_key), as the settings page makes it.
DEFAULT_ROOT_CAUSES = (
    {"key": "late-delivery", "en": "Late delivery", "nl": "Te late levering"},
    {"key": "wrong-or-damaged-goods", "en": "Wrong or damaged goods", "nl": "Verkeerde of beschadigde goederen"},
    {"key": "invoice-error", "en": "Invoice error", "nl": "Fout in de factuur"},
    {"key": "hard-to-reach-us", "en": "Hard to reach us", "nl": "Moeilijk bereikbaar"},
    {"key": "lack-of-product-knowledge", "en": "Lack of product knowledge", "nl": "Te weinig productkennis"},
    {"key": "other", "en": "Other", "nl": "Overig"},
)
