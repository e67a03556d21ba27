"""The six CX maturity stages and the two coarser three-level views that sit beside them."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

STAGES = Choices(
    Choice("ignore", _l("Ignore"),
           _l("Customer experience is not treated as something that sets the organisation apart. "
              "Nobody owns it and nobody measures it.")),
    Choice("explore", _l("Explore"),
           _l("Senior executives look into what a better customer experience could do for the business "
              "and what it would take to deliver it.")),
    Choice("mobilise", _l("Mobilise"),
           _l("The executives are committed. A cross-functional CX coalition is formed and the customer "
              "journey is being mapped.")),
    Choice("operationalise", _l("Operationalise"),
           _l("Processes are redesigned from customer insight and CX metrics, and the coalition draws the "
              "whole workforce into the work.")),
    Choice("align", _l("Align"),
           _l("Putting the customer first is the norm, reinforced by hiring, performance management and "
              "incentives. The programme delivers, with the occasional bump.")),
    Choice("embed", _l("Embed"),
           _l("Customer experience is part of every decision and every working day; great experiences "
              "are delivered consistently.")),
)

EXPERIENCE_LEVELS = Choices(
    Choice("random", _l("Random"),
           _l("Focus on tasks, products and processes; nothing is measured; experiences vary and barely "
              "meet minimum expectations, at unnecessary cost.")),
    Choice("intentional", _l("Intentional"),
           _l("A shared vision, measurement programmes and cross-functional governance; the organisation "
              "fixes its own problems and meets expectations.")),
    Choice("differentiated", _l("Differentiated"),
           _l("Easy to do business with; acts on the customer's behalf and keeps the brand promise "
              "consistently because everyone knows their role; exceeds expectations.")),
)

SERVICE_POSTURES = Choices(
    Choice("negative", _l("Negative"),
           _l("Problems stay unsolved; customers are passed from department to department.")),
    Choice("reactive", _l("Re-active"), _l("Problems are solved when the customer calls.")),
    Choice("proactive", _l("Pro-active"), _l("Problems are prevented before the customer notices them.")),
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
