"""The kinds of economic benefit an initiative can bring, with how their drivers read."""

from cxroadmap.choices import Choice, Choices

BENEFIT_KINDS = Choices(
    Choice("revenue_retention", "Revenue: retention",
           "Customers × churn reduction (as a share, 0.02 = 2 points) × annual value per customer."),
    Choice("revenue_sales", "Revenue: sales optimisation",
           "Customers × uplift rate × yearly value per customer (average order value × orders per year)."),
    Choice("cost_reduction", "Cost reduction",
           "Volume (contacts, returns, truck rolls) × reduction rate × unit cost."),
)
