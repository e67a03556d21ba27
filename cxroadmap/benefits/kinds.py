"""The kinds of economic benefit an initiative can bring, with how their drivers read."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

BENEFIT_KINDS = Choices(
    Choice("revenue_retention", _l("Revenue: retention"),
           _l("Customers × churn reduction (as a share, 0.02 = 2 points) × annual value per customer.")),
    Choice("revenue_sales", _l("Revenue: sales optimisation"),
           _l("Customers × uplift rate × yearly value per customer (average order value × orders per year).")),
    Choice("cost_reduction", _l("Cost reduction"),
           _l("Volume (contacts, returns, truck rolls) × reduction rate × unit cost.")),
)
