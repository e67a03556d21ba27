"""The full roadmap and progress report."""

from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.services import describe_drivers
from cxroadmap.charts import drawings
from cxroadmap.charts.timeline import TimelineChart
from cxroadmap.i18n import current_language
from cxroadmap.initiatives.states import STATUSES
from cxroadmap.money import to_cents
from cxroadmap.overview.organisation_report import OrganisationReport
from cxroadmap.overview.progress_pages import ProgressPart
from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS, SHORT_LABELS
from cxroadmap.reportkit.document import CONTENT_WIDTH, SECTION_ROOM, contents_story
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import CELL_PADDING, Cell, fits, safe
from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES

# The summary lists the most pressing; every initiative's health is in the question sections.
ATTENTION_LIMIT = 25


class RoadmapReport(ProgressPart, OrganisationReport):
    title_key = "roadmap.title"

    def sections(self):
        # The progress story up front: a page of what moved since the previous progress report, then the
        # summary, then each initiative that changed.
        return [self.cover, self.contents, self.progress_page, self.summary, self.changed_section, self.maturity,
                self.questions, self.experience_measures, *self.contributed("roadmap.after_measures"), self.timeline,
                self.benefits, self.appendix]

    def cover(self) -> list:
        d, o = self.data, self.organisation
        story = [Spacer(0, 40 * mm), self.para(o.name, "cover_title"),
                 self.para(label(self.title_key), "cover_subtitle")]
        if o.brand_promise:
            story += [self.para(label("brand_promise"), "small"), self.para(f"“{o.brand_promise}”", "cover_promise")]
        if d.stage and o.target_stage and not self.target_reached():
            story.append(self.para(label("stage_now_target", current=STAGES.label(d.stage.stage),
                                         target=STAGES.label(o.target_stage)), "cover_stage"))
        else:
            story.append(self.para(self.stage_sentence(), "cover_stage"))
        story += [Spacer(0, 4 * mm), self.para(self.day(d.on))]
        return story

    def contents(self) -> list:
        return contents_story(self.styles)

    def summary(self) -> list:
        return [self.heading(label("summary.heading"), "summary"), *self.narrative_part(),
                Paragraph(safe(label("summary.stage")), self.styles["h2"]), self.para(self.stage_sentence()),
                Paragraph(safe(label("summary.readiness")), self.styles["h2"]), *self.readiness_table(),
                Paragraph(safe(label("summary.initiatives")), self.styles["h2"]), *self.counts_table(),
                *self.summary_figures(), *self.parts("roadmap.summary"), *self.attention_section(limit=ATTENTION_LIMIT),
                CondPageBreak(SECTION_ROOM)]

    def maturity(self) -> list:
        rows = [[f"{step['number']}. {step['choice'].label}"
                 + (f" ({label('ladder.current')})" if step["current"] else "")
                 + (f" ({label('ladder.target')})" if step["target"] else ""),
                 step["choice"].description, EXPERIENCE_LEVELS.label(step["experience"]),
                 SERVICE_POSTURES.label(step["posture"])] for step in self.data.ladder]
        return [self.heading(label("ladder.heading"), "maturity"), self.para(self.stage_sentence()), Spacer(0, 3 * mm),
                drawings.ladder(self.data.ladder, CONTENT_WIDTH), Spacer(0, 4 * mm),
                *self.table([label("col.stage"), label("col.description"), label("col.experience"),
                             label("col.service")], rows, [2.2, 5.6, 2.0, 1.5]),
                self.para(label("ladder.views"), "small"), *self.parts("roadmap.maturity")]

    def questions(self) -> list:
        story = [CondPageBreak(60 * mm), self.heading(label("questions.heading"), "questions")]
        for question in QUESTIONS:
            latest = self.data.readiness[question.key]
            block = [self.heading(question.label, f"question-{question.key}", level=1)]
            if latest:
                block.append(self.para(label("question.score", score=latest.score, label=SCORE_LABELS[latest.score])
                                       + " · " + label("question.assessed", date=self.day(latest.assessed_on)),
                                       "cell_bold"))
                if latest.evidence:
                    block.append(self.para(latest.evidence))
            else:
                block.append(self.para(label("question.unscored")))
            story.append(KeepTogether(block))
            answering = self.data.by_question(question.key)
            if answering:
                rows = [[f.initiative.ref, f.initiative.title, STATUSES.label(f.initiative.status),
                         self.health_cell(f.initiative.health), f"{f.initiative.progress}%",
                         self.day(f.initiative.due_date)] for f in answering]
                story += self.table([label("col.ref"), label("col.initiative"), label("col.status"),
                                     label("col.health"), label("col.progress"), label("col.due")],
                                    rows, [1.1, 4.6, 1.5, 1.3, 1.1, 1.7], wrap={1})
            else:
                story.append(self.para(label("question.none"), "small"))
        return story

    def experience_measures(self) -> list:
        """What the areas measure: the KPIs and the journey's gaps and moments of truth, each area's own part."""
        return [CondPageBreak(SECTION_ROOM), self.heading(label("measures.heading"), "measures"),
                *self.parts("roadmap.measures")]

    def timeline(self) -> list:
        d = self.data
        first = drawings.quarter_of(d.on) - 1
        rows = self.timeline_rows()
        quarters = drawings.timeline_quarters(rows, first, 4 * d.horizon_years + 1)
        story = [CondPageBreak(SECTION_ROOM), self.heading(label("timeline.heading"), "timeline"),
                 self.para(label("timeline.intro", start=drawings.quarter_label(first),
                                 end=drawings.quarter_label(first + quarters - 1)), "small"), Spacer(0, 2 * mm)]
        if not rows:
            return story + [self.para(label("timeline.none"))]
        return story + [TimelineChart(rows, first, quarters, today=d.on)]

    def timeline_rows(self) -> list[dict]:
        """The chart's rows: by readiness question, then those without any date under their own heading."""
        d, rows, undated = self.data, [], []
        for question in QUESTIONS:
            listed = [f.initiative for f in d.by_question(question.key)]
            dated = [i for i in listed if i.start_date or i.due_date]
            undated += [i for i in listed if not (i.start_date or i.due_date)]
            if dated:
                rows.append({"kind": "group", "label": SHORT_LABELS[question.key]})
                rows += [self.timeline_row(i) for i in dated]
        if undated:
            rows += [{"kind": "group", "label": label("timeline.undated")}, *map(self.timeline_row, undated)]
        return rows

    def timeline_row(self, initiative) -> dict:
        marks = self.data.timeline_marks.get(initiative.id)
        return {"label": f"{initiative.ref} {initiative.title}", "start": initiative.start_date,
                "due": initiative.due_date, "health": initiative.health, "status": initiative.status,
                "milestones": marks.milestones if marks else [], "conflict": bool(marks and marks.conflict)}

    def benefits(self) -> list:
        d, o = self.data, self.organisation
        kinds = {k.key: k.label for k in BENEFIT_KINDS}
        story = [CondPageBreak(SECTION_ROOM), self.heading(label("benefits.heading"), "benefits"),
                 *self.summary_figures(heading=False),
                 Paragraph(safe(label("benefits.by_kind")), self.styles["h2"]),
                 drawings.benefits_by_kind(d.by_kind, kinds, o.currency, current_language(), CONTENT_WIDTH),
                 Paragraph(safe(label("benefits.by_year")), self.styles["h2"]),
                 drawings.benefits_by_year(d.by_year, o.currency, current_language(), CONTENT_WIDTH),
                 self.heading(label("benefits.per_initiative"), "benefits-per-initiative", level=1)]
        counted = [f for f in d.initiatives if f.initiative.status != "cancelled"]
        # Whole amounts as printed, so that the total row is the sum of the rows above it, to the euro.
        amounts = [[whole(f.initiative.one_off_cost), whole(f.initiative.annual_running_cost),
                    whole(f.case.annual_risk_adjusted), whole(f.case.npv)] for f in counted]
        rows = [[f.initiative.ref, f.initiative.title, *map(self.money, figures),
                 self.payback(f.case.payback_months) if f.benefits else "—"]
                for f, figures in zip(counted, amounts, strict=True)]
        totals = [sum(column, Decimal(0)) for column in zip(*amounts, strict=True)] or [Decimal(0)] * 4
        rows.append([label("total"), "", *map(self.money, totals), ""])
        story += self.table([label("col.ref"), label("col.initiative"), label("col.one_off"), label("col.running"),
                             label("col.annual_risk"), label("col.npv"), label("col.payback")], rows,
                            [1.1, 4.6, 1.5, 1.5, 1.9, 1.6, 1.2], numeric_from=2, wrap={1, 6},
                            extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, "#17324d")])
        return story + self.parts("roadmap.after_benefits")  # what the areas add: the coalition's section

    def appendix(self) -> list:
        d = self.data
        story = [PageBreak(), self.heading(label("appendix.heading"), "appendix")]
        if not d.initiatives:
            return story + [self.para(label("appendix.none"))]
        widths = [1.1, 6.7, 3.5]
        self.case_width = CONTENT_WIDTH * widths[2] / sum(widths) - CELL_PADDING
        story += self.table([label("col.ref"), label("col.initiative"), label("col.case")],
                            [[f.initiative.ref, self.initiative_details(f), self.case_details(f)]
                             for f in d.initiatives], widths)
        story.append(self.heading(label("appendix.benefits"), "appendix-benefits", level=1))
        rows = [[f.initiative.ref, b.kind_label, b.description or "—",
                 describe_drivers(b, self.organisation.currency, current_language()) or "—",
                 self.percent(b.confidence), self.money(b.annual_amount)]
                for f in d.initiatives for b in f.benefits]
        if not rows:
            return story + [self.para(label("appendix.no_benefits"))]
        return story + self.table([label("col.ref"), label("col.kind"), label("col.description_short"),
                                   label("col.drivers"), label("col.confidence"), label("col.annual")], rows,
                                  [50, 123, 100, 118, 50, 52], numeric_from=4, wrap={1, 2, 3})

    def initiative_details(self, f) -> Paragraph:
        """Title, description and particulars of an initiative as one cell (escaped, wrapped)."""
        i = f.initiative
        fields = label("appendix.fields", owner=i.owner.name if i.owner else "—", status=i.status_label,
                       health=i.health_label, progress=i.progress, start=self.day(i.start_date),
                       due=self.day(i.due_date), stage=i.target_stage_label)
        description = f"<br/>{safe(i.description)}" if i.description else ""
        return Cell(f"<b>{safe(i.title)}</b>{description}<br/><font color='#3d4956'>"
                         f"{safe(SHORT_LABELS[i.readiness_question])} · {safe(fields)}</font>", self.styles["cell"])

    def case_details(self, f) -> Paragraph | str:
        i, case = f.initiative, f.case
        lines = [(label("col.one_off"), self.money(i.one_off_cost)), (label("col.running"), self.money(
            i.annual_running_cost)), (label("col.annual"), self.money(case.annual_expected)),
            (label("kpi.risk"), self.money(case.annual_risk_adjusted)), (label("col.npv"), self.money(case.npv)),
            (label("col.payback"), self.payback(case.payback_months) if f.benefits else "—")]
        texts = [f"{name}: {value}" for name, value in lines]
        if all(fits(text, self.case_width) for text in texts):
            return "\n".join(texts)  # drawn as lines of plain text, literally
        return Cell("<br/>".join(safe(text) for text in texts), self.styles["cell"])


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def whole(amount: Decimal) -> Decimal:
    """An amount rounded to the whole unit the way the tables print it."""
    return to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
