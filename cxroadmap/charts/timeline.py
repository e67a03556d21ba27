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

    def __init__(self, rows: list[dict], first_quarter: int, quarters: int, today: date | None = None,
                 lines: tuple[float, list[int]] | None = None):
        super().__init__()
        self.rows, self.first_quarter, self.quarters, self.today = rows, first_quarter, quarters, today
        self.drawing = None
        if lines is not None:
            self._lines = lines

    def wrap(self, available_width, available_height):
        # Only measured here: the rows are drawn once the part that fits a page is known (draw).
        self.width, self.drawing = available_width, None
        self.height = drawings.timeline_height(len(self.rows), extra_lines=sum(self.lines(available_width)) - len(
            self.rows))
        return self.width, self.height

    def lines(self, width: float) -> list[int]:
        """The lines each row's label takes at width (labels wrap, never cut), measured once per width."""
        if getattr(self, "_lines", (None,))[0] != width:
            self._lines = (width, [drawings.timeline_lines(row, width) for row in self.rows])
        return self._lines[1]

    def split(self, available_width, available_height):
        room, fitting = available_height - drawings.timeline_height(0), 0
        for lines in self.lines(available_width):
            room -= drawings.TIMELINE_ROW + drawings.TIMELINE_LINE * (lines - 1)
            if room < 0:
                break
            fitting += 1
        if fitting >= len(self.rows):
            return [self]
        while fitting > 0 and self.rows[fitting - 1].get("kind") == "group":  # a group's label with its rows
            fitting -= 1
        if fitting < 2:  # not even a row: all of it on the next page
            return []
        rest = self.rows[fitting:]
        group = next((row for row in reversed(self.rows[:fitting]) if row.get("kind") == "group"), None)
        if rest[0].get("kind") != "group" and group is not None:
            named = group.get("named", group["label"])  # "(continued)" once, however many pages it runs over
            rest = [{"kind": "group", "label": _("%(group)s (continued)", group=named), "named": named}, *rest]
        lines = self.lines(available_width)
        rest_lines = lines[fitting:] if len(rest) == len(self.rows) - fitting else [1, *lines[fitting:]]
        return [self._with(self.rows[:fitting], (available_width, lines[:fitting])),
                self._with(rest, (available_width, rest_lines))]

    def _with(self, rows: list[dict], lines: tuple[float, list[int]]) -> "TimelineChart":
        # The lines already measured go along: a long timeline is split once per page.
        return TimelineChart(rows, self.first_quarter, self.quarters, self.today, lines)

    def draw(self):
        renderPDF.draw(self.drawn(), self.canv, 0, 0)

    def drawn(self):
        """The chart at the width it was given (wrap first)."""
        if self.drawing is None:
            self.drawing = drawings.timeline(self.rows, self.first_quarter, self.quarters, self.width, self.today,
                                             wrap=True)
        return self.drawing
