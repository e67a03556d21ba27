"""What the initiatives give the PDF reports that list them: an initiative's health, marked in a table cell."""

from reportlab.platypus import Flowable

from cxroadmap.initiatives.states import HEALTHS
from cxroadmap.palette import HEALTH
from cxroadmap.reportkit.renderer import Mark


class InitiativeCells:
    """Mixed into a report renderer (`reportkit.renderer.Renderer`) whose tables list initiatives."""

    def health_cell(self, health: str) -> Flowable:
        return Mark(HEALTH.get(health), str(HEALTHS.label(health)), self.styles["cell"])
