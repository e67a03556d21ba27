"""The six CX maturity stages and the two coarser three-level views that sit beside them."""

from cxroadmap.choices import Choice, Choices

STAGES = Choices(
    Choice("ignore", "Ignore",
           "Customer experience is not treated as something that sets the organisation apart. "
           "Nobody owns it and nobody measures it."),
    Choice("explore", "Explore",
           "Senior executives look into what a better customer experience could do for the business "
           "and what it would take to deliver it."),
    Choice("mobilise", "Mobilise",
           "The executives are committed. A cross-functional CX coalition is formed and the customer "
           "journey is being mapped."),
    Choice("operationalise", "Operationalise",
           "Processes are redesigned from customer insight and CX metrics, and the coalition draws the "
           "whole workforce into the work."),
    Choice("align", "Align",
           "Putting the customer first is the norm, reinforced by hiring, performance management and "
           "incentives. The programme delivers, with the occasional bump."),
    Choice("embed", "Embed",
           "Customer experience is part of every decision and every working day; great experiences "
           "are delivered consistently."),
)

EXPERIENCE_LEVELS = Choices(
    Choice("random", "Random",
           "Focus on tasks, products and processes; nothing is measured; experiences vary and barely "
           "meet minimum expectations, at unnecessary cost."),
    Choice("intentional", "Intentional",
           "A shared vision, measurement programmes and cross-functional governance; the organisation "
           "fixes its own problems and meets expectations."),
    Choice("differentiated", "Differentiated",
           "Easy to do business with; acts on the customer's behalf and keeps the brand promise "
           "consistently because everyone knows their role; exceeds expectations."),
)

SERVICE_POSTURES = Choices(
    Choice("negative", "Negative", "Problems stay unsolved; customers are passed from department to department."),
    Choice("reactive", "Re-active", "Problems are solved when the customer calls."),
    Choice("proactive", "Pro-active", "Problems are prevented before the customer notices them."),
)

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
