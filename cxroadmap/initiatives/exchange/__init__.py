"""The initiatives' part of the cxroadmap/1 document and the workbook: the initiatives themselves (core), their
history, milestones and dependencies (tracking) and the touchpoints they improve (touchpoints), each at its place
in the document's order."""

from dataclasses import asdict

from cxroadmap.exchangekit.parts import ExchangePart, ListFilter
from cxroadmap.initiatives.exchange.core import check_initiatives, listed, own_keys, write_initiatives
from cxroadmap.initiatives.exchange.touchpoints import TOUCHPOINTS
from cxroadmap.initiatives.exchange.tracking import TRACKING
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import InitiativeFilter, large_organisation
from cxroadmap.initiatives.views import list_filter

# The initiatives list, whose sheets the list page's Download menu offers: what of its address filters it (as
# list_filter reads it), and how many initiatives make its downloads a background job.
LIST = ListFilter(page="initiatives.index",
                  arguments=("question", "status", "health", "owner", "archive", "state", "q", "sort", "dir"),
                  asked=list_filter, kept=asdict, restored=lambda values: InitiativeFilter(**values),
                  large=lambda organisation: large_organisation(organisation, "BACKGROUND_DOWNLOAD_INITIATIVES"))

# The document's initiatives, after the parts of negative order (readiness, maturity, coalition, whose members
# own them) and before everything that names them; removing them takes what hangs off them (the database's
# cascades: histories, benefits, milestones …). Their benefits come next (order 1), then the tracking (2).
PART = ExchangePart(order=0, export=lambda _organisation, _answers: {}, check=check_initiatives,
                    write=write_initiatives, removes=(Initiative,), initiatives=own_keys, lists_initiatives=listed,
                    list_filter=LIST, also=(TRACKING, TOUCHPOINTS))
