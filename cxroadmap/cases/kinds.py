"""The enumerations of follow-up cases, with their labels: statuses and the default root causes."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

CASE_STATUSES = Choices(
    Choice("new", _l("New"), _l("Nobody has followed it up yet.")),
    Choice("contacted", _l("Contacted"), _l("Someone spoke to the customer or looked into it.")),
    Choice("resolved", _l("Resolved"), _l("Put right; closed.")),
    Choice("not_resolvable", _l("Not resolvable"), _l("Nothing more can be done; closed.")),
)
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
