"""The KPIs' part of the report's "Customer experience measures": baseline, target, latest, status, sparkline."""

from reportlab.platypus import Paragraph

from cxroadmap.charts.measures import STATUS_COLOURS, sparkline
from cxroadmap.i18n import current_language
from cxroadmap.measures import scores
from cxroadmap.measures.formatting import format_achievement, format_value, plot
from cxroadmap.measures.kinds import KPI_KINDS
from cxroadmap.measures.services import KpiFigures
from cxroadmap.reports.base import safe
from cxroadmap.reports.labels import label

SPARK_WIDTH, SPARK_HEIGHT = 56, 16


class MeasuresPart:
    """Mixed into a report renderer: self.data.kpis are the KPIs' figures on the report's date."""

    def kpi_value(self, value, kpi) -> str:
        return format_value(value, kpi.measure, kpi.unit, current_language())

    def kpi_latest(self, figures: KpiFigures, dated: bool = True) -> str:
        """The latest reading; a survey KPI's with its n and 95 % interval, or "too few answers to conclude"."""
        k, latest = figures.kpi, figures.latest
        if latest is None:
            return "—"
        lines = [self.kpi_value(latest.value, k)]
        if figures.latest_honest is not None:
            lines.append(scores.note_text(figures.latest_honest.score, k.unit, current_language()))
        if dated:
            lines.append(self.day(latest.taken_on))
        return "\n".join(line for line in lines if line)

    def kpi_status_cell(self, figures: KpiFigures) -> Paragraph:
        colour = STATUS_COLOURS.get(figures.status)
        mark = f'<font color="{colour.hexval()}">●</font> ' if colour else ""
        return Paragraph(mark + safe(figures.status_label), self.styles["cell"])

    def kpi_part(self) -> list:
        kpis: list[KpiFigures] = self.data.kpis
        story = [Paragraph(safe(label("kpis.heading")), self.styles["h2"])]
        if not kpis:
            return story + [self.para(label("kpis.none"))]
        story.append(self.para(label("kpis.intro"), "small"))
        for kind in KPI_KINDS:
            rows = []
            for f in (f for f in kpis if f.kpi.kind == kind.key):
                k = f.kpi
                rows.append([
                    f"{k.code} · {k.name}",
                    f"{self.kpi_value(k.baseline_value, k)}\n{self.day(k.baseline_on)}",
                    f"{self.kpi_value(k.target_value, k)}\n{self.day(k.target_on)}",
                    self.kpi_latest(f),
                    self.kpi_status_cell(f),
                    format_achievement(f.achievement, current_language()),
                    sparkline(plot([(r.taken_on, r.value) for r in f.readings], (k.baseline_on, k.baseline_value),
                                   (k.target_on, k.target_value), SPARK_WIDTH, SPARK_HEIGHT, pad=2), f.status),
                ])
            if rows:
                story.append(self.para(f"{kind.label}: {kind.description}", "small"))
                story += self.table([label("col.kpi"), label("col.baseline"), label("col.target"),
                                     label("col.latest"), label("col.status"), label("col.achieved"),
                                     label("col.trend")], rows, [3.0, 1.7, 1.7, 1.7, 1.4, 1.1, 1.7],
                                    wrap={0, 1, 2, 3})
        return story

    def kpis_off_track_part(self) -> list:
        """For the executive summary: the KPIs off track, named, or a line saying there are none."""
        off = [f for f in self.data.kpis if f.status == "off_track"]
        if not self.data.kpis:
            return []
        story = [Paragraph(safe(label("kpis.off_track")), self.styles["h2"])]
        if not off:
            return story + [self.para(label("kpis.none_off_track"))]
        rows = [[f"{f.kpi.code} · {f.kpi.name}", self.kpi_latest(f, dated=False),
                 self.kpi_value(f.expected, f.kpi), self.kpi_value(f.kpi.target_value, f.kpi)] for f in off]
        return story + self.table([label("col.kpi"), label("col.latest"), label("col.expected"), label("col.target")],
                                  rows, [4.2, 2.4, 1.6, 1.6], numeric_from=1, wrap={0, 1})
