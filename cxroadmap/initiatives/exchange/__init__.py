"""The initiatives' part of the cxroadmap/1 document and the workbook: the initiatives themselves (core), their
history, milestones and dependencies (tracking) and the touchpoints they improve (touchpoints), each at its place
in the document's order."""

from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.initiatives.exchange.core import check_initiatives, listed, own_keys, write_initiatives
from cxroadmap.initiatives.exchange.touchpoints import TOUCHPOINTS
from cxroadmap.initiatives.exchange.tracking import TRACKING
from cxroadmap.initiatives.models import Initiative

# The document's initiatives, after the parts of negative order (readiness, maturity, coalition, whose members
# own them) and before everything that names them; removing them takes what hangs off them (the database's
# cascades: histories, benefits, milestones …). Their benefits come next (order 1), then the tracking (2).
PART = ExchangePart(order=0, export=lambda _organisation, _answers: {}, check=check_initiatives,
                    write=write_initiatives, removes=(Initiative,), initiatives=own_keys, lists_initiatives=listed,
                    also=(TRACKING, TOUCHPOINTS))
