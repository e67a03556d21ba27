"""What the roadmap and progress report and the executive summary share: the organisation's stage, readiness,
figures and what needs attention, and the 'since the last report' section."""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Paragraph, Spacer

from cxroadmap.i18n import format_day
from cxroadmap.initiatives.report import InitiativeCells
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.overview.narrative import narrative
from cxroadmap.overview.progress import Baseline, Progress
from cxroadmap.overview.report_data import Changes, ReportData
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import Renderer, safe
from cxroadmap.stages import STAGES


class OrganisationReport(InitiativeCells, Renderer):
    """A report of the whole organisation, over the figures every report is drawn from (overview.report_data)."""

    def __init__(self, data: ReportData, changes: Changes | None = None, first_issue: bool = False,
                 previous: Baseline | None = None, progress: Progress | None = None, readable_at: str | None = None):
        """readable_at: the address of the report's accessible HTML version, linked from the first page."""
        super().__init__(data, readable_at=readable_at)
        self.changes, self.first_issue = changes, first_issue
        self.baseline, self.story_since = previous, progress

    def payback(self, months: int | None) -> str:
        return label("kpi.not_reached") if months is None else label("months_short", months=months)

    # -- shared sections -------------------------------------------------------------------------------
    def narrative_part(self) -> list:
        """The story in a few sentences, before any table or chart: what a reader forwards."""
        if self.data.facts is None:
            return []
        return [Paragraph(safe(label("summary.story")), self.styles["h2"]),
                *(self.para(sentence, "story") for sentence in narrative(self.data.facts))]

    def summary_figures(self, heading: bool = True) -> list:
        d = self.data
        totals, years = d.totals, d.horizon_years
        figures = self.kpis([
            (label("kpi.annual"), self.money(totals.annual_expected)),
            (label("kpi.risk"), self.money(totals.annual_risk_adjusted)),
            (label("kpi.npv", years=years), self.money(totals.npv)),
            (label("kpi.roi", years=years), self.percent(totals.roi)),
            (label("kpi.payback"), label("kpi.payback_months", months=d.portfolio_payback)
             if d.portfolio_payback is not None else label("kpi.not_reached")),
        ])
        footnote = Paragraph(safe(label("benefit.footnote", rate=self.percent(self.organisation.discount_rate))),
                             self.styles["small"])
        # The heading travels with its figures: never alone at the foot of a page.
        title = [Paragraph(safe(label("summary.benefits")), self.styles["h2"])] if heading else []
        return [KeepTogether([*title, figures, footnote])]

    def target_reached(self) -> bool:
        target, stage = self.organisation.target_stage, self.data.stage
        return bool(target and stage and STAGES.position(stage.stage) >= STAGES.position(target))

    def stage_sentence(self) -> str:
        d = self.data
        if d.stage is None:
            return label("stage_unknown")
        current = STAGES.label(d.stage.stage)
        if self.target_reached():
            return label("stage_reached", current=current, target=STAGES.label(self.organisation.target_stage))
        text = label("stage_now", current=current)
        if self.organisation.target_stage:
            target = STAGES.label(self.organisation.target_stage)
            text += "; " + label("target_by", target=target, date=self.day(self.organisation.target_date))
        return text

    def readiness_table(self) -> list[LongTable]:
        from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS

        rows = []
        for question in QUESTIONS:
            latest = self.data.readiness[question.key]
            score = f"{latest.score} / 4 · {SCORE_LABELS[latest.score]}" if latest else label("question.unscored")
            rows.append([question.label, score, self.day(latest.assessed_on) if latest else "—"])
        coverage = self.data.coverage
        rows.append([label("teams.heading"), f"{coverage.part} / {coverage.whole} · "
                     f"{self.percent(coverage.share)}", ""])
        return self.table([label("summary.readiness"), label("col.score"), label("col.assessed")], rows, [5, 3, 1.6])

    def counts_table(self) -> list[LongTable]:
        counts = self.data.counts
        header = [label("col.status"), label("col.count"), label("col.health"), label("col.count")]
        statuses, healths = list(STATUSES), list(HEALTHS)
        rows = []
        for index in range(max(len(statuses), len(healths))):
            status = statuses[index] if index < len(statuses) else None
            health = healths[index] if index < len(healths) else None
            rows.append([status.label if status else "", str(counts["status"][status.key]) if status else "",
                         self.health_cell(health.key) if health else "",
                         str(counts["health"][health.key]) if health else ""])
        return self.table(header, rows, [3, 1, 3, 1])

    def attention_section(self, limit: int | None = None) -> list:
        """Red, amber and overdue initiatives, most pressing first; at most `limit`, saying how many more."""
        items = self.data.attention[:limit] if limit else self.data.attention
        hidden = len(self.data.attention) - len(items)
        story = [Paragraph(safe(label("summary.attention")), self.styles["h2"])]
        if not items:
            return story + [self.para(label("summary.attention_none"))]
        more = [self.para(label("attention.more", count=hidden), "small")] if hidden else []
        rows = [[i.ref, i.title, self.health_cell(i.health),
                 self.day(i.due_date) + (f" ({label('overdue')})" if i.is_overdue(self.data.on) else ""),
                 i.owner.name if i.owner else "—"] for i in items]
        return story + self.table([label("col.ref"), label("col.initiative"), label("col.health"), label("col.due"),
                                   label("col.owner")], rows, [1.1, 4.2, 1.3, 1.9, 2], wrap={1, 3, 4}) + more

    def since_section(self) -> list:
        if self.changes is None and not self.first_issue:
            return []
        story = [self.heading(label("since.title"), "since")]
        if self.changes is None:
            return story + [self.para(label("since.first"))]
        return story + [self.para(self.compared_with()), *self.since_figures(), Spacer(0, 2 * mm), *self.since_lists(),
                        Spacer(0, 4 * mm)]

    def compared_with(self) -> str:
        """Which report this one is compared with: the previous one of the same kind, when and by whom."""
        p = self.baseline
        return label(f"since.intro.{p.report.kind}", date=format_day(p.since, "long"), name=p.issuer or "—")

    def since_figures(self) -> list:
        c = self.changes
        rows = [[label("since.stage"), STAGES.label(c.stage[0]), STAGES.label(c.stage[1])]]
        names = {"annual_expected": label("kpi.annual"), "annual_risk_adjusted": label("kpi.risk"),
                 "npv": label("kpi.npv", years=self.data.horizon_years)}
        for key, (then, now) in c.totals.items():
            rows.append([names[key], self.money(then), self.money(now)])
        return self.table(["", label("col.then"), label("col.now")], rows, [3, 2, 2], numeric_from=1)

    def since_lists(self, limit: int = 8) -> list:
        """New and finished initiatives and health changes, each named up to limit and then counted."""
        c, story = self.changes, []
        for title, items in ((label("since.new"), [f"{r} {t}" for r, t in c.new]),
                             (label("since.finished"), [f"{r} {t}" for r, t in c.finished]),
                             (label("since.health"), [f"{r} {t}: {HEALTHS.label(a)} → {HEALTHS.label(b)}"
                                                      for r, t, a, b in c.health])):
            text = "; ".join(items[:limit]) if items else label("since.none")
            if len(items) > limit:
                text += " " + label("since.more", count=len(items) - limit)
            # One paragraph each, its title in bold: three lists of "none" take three lines, not a page.
            story.append(Paragraph(f"<b>{safe(title)}:</b> {safe(text)}", self.styles["body"]))
        return story
