"""The roadmap timeline in a PDF: as wide as the frame it is placed in, over as many pages as its rows need."""

from datetime import date

from reportlab.graphics import renderPDF
from reportlab.platypus import Flowable

from cxroadmap.charts import drawings
from cxroadmap.i18n import _


class TimelineChart(Flowable):
    """The timeline chart (charts.drawings.timeline) as a flowable: drawn at the width of the frame, and split
    between pages where the rows run over (the quarters' axis on each page, a group that runs over named again
    as continued), so that its text keeps its size however many rows there are."""

    def __init__(self, rows: list[dict], first_quarter: int, quarters: int, today: date | None = None):
        super().__init__()
        self.rows, self.first_quarter, self.quarters, self.today = rows, first_quarter, quarters, today
        self.drawing = None

    def wrap(self, available_width, available_height):
        # Only measured here: the rows are drawn once the part that fits a page is known (draw).
        self.width, self.height, self.drawing = available_width, drawings.timeline_height(len(self.rows)), None
        return self.width, self.height

    def split(self, available_width, available_height):
        fitting = int((available_height - drawings.timeline_height(0)) // drawings.TIMELINE_ROW)
        if fitting >= len(self.rows):
            return [self]
        while fitting > 0 and self.rows[fitting - 1].get("kind") == "group":  # a group's label with its rows
            fitting -= 1
        if fitting < 2:  # not even a row: all of it on the next page
            return []
        rest = self.rows[fitting:]
        group = next((row for row in reversed(self.rows[:fitting]) if row.get("kind") == "group"), None)
        if rest[0].get("kind") != "group" and group is not None:
            rest = [{"kind": "group", "label": _("%(group)s (continued)", group=group["label"])}, *rest]
        return [self._with(self.rows[:fitting]), self._with(rest)]

    def _with(self, rows: list[dict]) -> "TimelineChart":
        return TimelineChart(rows, self.first_quarter, self.quarters, self.today)

    def draw(self):
        renderPDF.draw(self.drawn(), self.canv, 0, 0)

    def drawn(self):
        """The chart at the width it was given (wrap first)."""
        if self.drawing is None:
            self.drawing = drawings.timeline(self.rows, self.first_quarter, self.quarters, self.width, self.today)
        return self.drawing
