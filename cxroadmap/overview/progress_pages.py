"""The progress story of the roadmap and progress report, laid out: a page of what moved, stalled and needs a
decision, then each initiative that changed. The figures come gathered in self.story_since (overview/progress.py)."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from cxroadmap.i18n import format_day, format_month
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.overview.progress import InitiativeProgress
from cxroadmap.palette import FONT, INK, LINE
from cxroadmap.reportkit.document import CONTENT_WIDTH, SECTION_ROOM
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import Cell, safe

MOVED_LIMIT = 8  # rows of "What moved" on the one page; the rest are in "Initiatives that changed"
STALLED_LIMIT = 6
DECIDE_LIMIT = 6
DETAIL_LIMIT = 30  # up to this many changed initiatives get a block each; more get one line each


class ProgressPart:
    """Mixed into the roadmap renderer: self.story_since is the story gathered by the services (or None)."""

    def progress_page(self) -> list:
        p = self.story_since
        if p is None:
            return []
        base = p.baseline
        story = [self.heading(label("progress.heading", date=format_day(base.since, "long")), "progress")]
        if base.report:
            story.append(self.para(self.compared_with()))
        else:
            story.append(self.para(label("progress.period", days=base.period_days,
                                         date=format_day(base.since, "long"))))
        story.append(self.para(label(
            "progress.counts", changed=len(p.changed), moved=len(p.moved),
            done=sum(len(c.done) for c in p.changed), slipped=sum(len(c.slipped) for c in p.changed),
            decisions=len(p.decisions)), "small"))
        if self.changes is not None:
            story += [Spacer(0, 2 * mm), *self.since_figures()]
        return story + self.moved_part() + self.stalled_part() + self.decide_part() + [PageBreak()]

    def moved_part(self) -> list:
        moved = self.story_since.moved
        story = [Paragraph(safe(label("progress.moved")), self.styles["h2"])]
        if not moved:
            return story + [self.para(label("progress.moved_none"))]
        rows = [[c.initiative.ref, c.initiative.title, *self.state_changes(c)] for c in moved[:MOVED_LIMIT]]
        story += self.table([label("col.ref"), label("col.initiative"), label("col.status"), label("col.health"),
                             label("col.progress")], rows, [1.1, 4.4, 2.6, 2, 1.5], wrap={1, 2, 3})
        if len(moved) > MOVED_LIMIT:
            story.append(self.para(label("progress.more", count=len(moved) - MOVED_LIMIT), "small"))
        return story

    def state_changes(self, c: InitiativeProgress) -> list[str]:
        """Status, health and progress as 'then → now', or as they are when they did not change."""
        i = c.initiative
        cells = []
        for what, show in (("status", STATUSES.label), ("health", HEALTHS.label), ("progress", lambda v: f"{v}%")):
            change = c.change(what)
            if c.then is None:
                cells.append(f"{show(getattr(i, what))} ({label('progress.new')})")
            elif change:
                cells.append(f"{show(change[0])} → {show(change[1])}")
            else:
                cells.append(show(getattr(i, what)))
        return cells

    def stalled_part(self) -> list:
        p = self.story_since
        story = [Paragraph(safe(label("progress.stalled")), self.styles["h2"])]
        rows = []
        for initiative, last in p.stalled:
            rows.append([initiative.ref, initiative.title,
                         label("progress.no_update", weeks=(p.on - last).days // 7) if last
                         else label("progress.never_updated")])
        for m in p.overdue_milestones:
            rows.append([m.initiative.ref, m.initiative.title,
                         label("progress.milestone_overdue", title=m.title, date=self.day(m.due_on),
                               days=(p.on - m.due_on).days)])
        if not rows:
            return story + [self.para(label("progress.stalled_none", days=p.stale_days))]
        return story + self.limited(rows, STALLED_LIMIT)

    def decide_part(self) -> list:
        p = self.story_since
        story = [Paragraph(safe(label("progress.decide")), self.styles["h2"])]
        rows = [[i.ref, i.title, label("progress.red")] for i in p.red]
        for d in p.blocked:
            needed = d.depends_on
            state = ("cancelled" if needed.status == "cancelled" else "red" if needed.health == "red"
                     else "overdue")
            rows.append([d.initiative.ref, d.initiative.title,
                         label("progress.blocked", ref=needed.ref, title=needed.title,
                               state=label(f"progress.state_{state}"))])
        for a in p.overdue_actions:
            rows.append([a.initiative.ref if a.initiative else "—", a.initiative.title if a.initiative else "",
                         label("progress.action", title=a.title, owner=a.owner.name if a.owner else "—",
                               date=self.day(a.due_on))])
        actions = self.para(label("progress.actions_open", open=len(p.open_actions), overdue=len(p.overdue_actions)),
                            "small")
        if not rows:
            return story + [self.para(label("progress.decide_none")), actions]
        return story + self.limited(rows, DECIDE_LIMIT) + [actions]

    def limited(self, rows: list[list], limit: int) -> list:
        story = self.table([label("col.ref"), label("col.initiative"), label("progress.what")], rows[:limit],
                           [1.1, 4.4, 6.1], wrap={1, 2})
        if len(rows) > limit:
            story.append(self.para(label("progress.more_items", count=len(rows) - limit), "small"))
        return story

    # -- each initiative that changed ------------------------------------------------------------------
    def changed_section(self) -> list:
        p = self.story_since
        if p is None:
            return []
        story = [self.heading(label("changed.heading"), "changed"),
                 self.para(label("changed.intro", date=format_day(p.baseline.since, "long"),
                                 until=format_month(p.benefit_until)), "small"), Spacer(0, 2 * mm)]
        if not p.changed:
            return story + [self.para(label("changed.none")), CondPageBreak(SECTION_ROOM)]
        if len(p.changed) > DETAIL_LIMIT:
            return story + self.changed_table() + [CondPageBreak(SECTION_ROOM)]
        for c in p.changed:
            story.append(self.changed_block(c))
        return story + [CondPageBreak(SECTION_ROOM)]

    def changed_block(self, c: InitiativeProgress) -> KeepTogether:
        i = c.initiative
        rows = [[label("changed.state"), self.state_line(c)],
                [label("changed.note"), self.note_line(c)],
                [label("changed.milestones"), self.milestone_line(c)],
                [label("changed.decisions"), "\n".join(
                    f"{self.day(d.meeting.held_on)}, {d.meeting.title}: {d.text}" for d in c.decisions)
                 or label("changed.no_decisions")],
                [label("changed.benefit"), self.benefit_line(c)]]
        title = Paragraph(f"<b>{safe(i.ref)}</b>  {safe(i.title)}", self.styles["body"])
        cells = [[Cell(safe(name), self.styles["cell_bold"]), Cell(safe(text), self.styles["cell"])]
                 for name, text in rows]
        table = Table(cells, colWidths=[CONTENT_WIDTH * 0.18, CONTENT_WIDTH * 0.82])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
        return KeepTogether([Spacer(0, 3 * mm), title, Spacer(0, 1 * mm), table])

    def state_line(self, c: InitiativeProgress) -> str:
        i = c.initiative
        values = {"status": STATUSES.label(i.status), "health": HEALTHS.label(i.health), "progress": i.progress}
        if c.then is None:
            return label("changed.new", **values)
        if not any(c.change(what) for what in values):
            return label("changed.unchanged", **values)
        return " · ".join(self.state_changes(c))

    def note_line(self, c: InitiativeProgress) -> str:
        if c.note is None:
            return label("changed.no_note")
        who = f", {c.note_author}" if c.note_author else ""
        return f"{self.day(c.note.posted_on)}{who}: {c.note.note or STATUSES.label(c.note.status)}"

    def milestone_line(self, c: InitiativeProgress) -> str:
        lines = [label("changed.done", title=m.title, date=self.day(m.done_on)) for m in c.done]
        lines += [label("changed.slipped", title=s.milestone.title, before=self.day(s.from_date),
                        after=self.day(s.to_date), days=s.days) for s in c.slipped]
        lines += [label("changed.overdue", title=m.title, date=self.day(m.due_on)) for m in c.overdue]
        return "\n".join(lines) or label("changed.no_milestones")

    def benefit_line(self, c: InitiativeProgress) -> str:
        if c.estimated:
            return label("changed.realised", realised=self.money(c.realised), estimated=self.money(c.estimated),
                         share=self.percent(c.realised / c.estimated))
        if c.realised:
            return label("changed.realised_only", realised=self.money(c.realised))
        return label("changed.no_benefit")

    def changed_table(self) -> list:
        """Thousands of changed initiatives: one line each, in blocks the table splits across pages."""
        rows = []
        for c in self.story_since.changed:
            status, health, progress = self.state_changes(c)
            rows.append([c.initiative.ref, c.initiative.title, status, health, progress,
                         label("col.done_slipped", done=len(c.done), slipped=len(c.slipped)),
                         str(len(c.decisions)),
                         f"{self.money(c.realised)} / {self.money(c.estimated)}" if c.estimated or c.realised
                         else "—"])
        return [self.para(label("changed.compact", count=len(rows)), "small"),
                *self.table([label("col.ref"), label("col.initiative"), label("col.status"), label("col.health"),
                             label("col.progress"), label("col.milestones"), label("col.decisions"),
                             label("col.realised")], rows, [1.1, 3.2, 2.1, 1.6, 1.3, 1.6, 1.1, 2.4],
                            wrap={1, 2, 3, 4, 5, 7})]
