"""The part of a report that closes the loop: the follow-up cases of the last 90 days (shared by the roadmap report
and the steering pack)."""

from babel.numbers import format_decimal
from reportlab.platypus import CondPageBreak

from cxroadmap.cases.figures import PERIOD_DAYS, closed_loop
from cxroadmap.cases.rules import cause_name
from cxroadmap.cases.services import root_causes, settings_of
from cxroadmap.i18n import current_language, format_share
from cxroadmap.reports.document import SECTION_ROOM
from cxroadmap.reports.labels import label
from cxroadmap.timeutil import utcnow


class LoopPart:
    def closing_the_loop(self) -> list:
        """The follow-up cases of the last 90 days: how many were followed up within the service level, how fast
        they closed, by team, and the root causes named most."""
        loop = closed_loop(self.organisation, utcnow(), label("loop.no_team"), label("loop.no_touchpoint"))
        overall = loop.overall
        story = [self.heading(label("loop.heading"), "loop")]
        if not overall.cases:
            return [*story, self.para(label("loop.none", days=PERIOD_DAYS)), CondPageBreak(SECTION_ROOM)]

        def days(value) -> str:
            return "—" if value is None else format_decimal(round(value, 1), format="0.0", locale=current_language())

        def share(figures) -> str:
            return "—" if figures.share_in_time is None else format_share(figures.share_in_time)

        story.append(self.para(label("loop.intro", cases=overall.cases, days=PERIOD_DAYS, judged=overall.judged,
                                     in_time=overall.in_time, share=share(overall), closed=overall.closed,
                                     median=days(overall.median_days_to_close))))
        rows = [[group.name, str(group.figures.cases), f"{group.figures.in_time} / {group.figures.judged} "
                 f"({share(group.figures)})", days(group.figures.median_days_to_close)] for group in loop.by_team]
        story += self.table([label("loop.col.team"), label("loop.col.cases"), label("loop.col.in_time"),
                             label("loop.col.median")], rows, [4.6, 1.4, 2.6, 2.6], numeric_from=1)
        if overall.causes:
            causes = root_causes(settings_of(self.organisation))
            named = ", ".join(f"{cause_name(causes, key, current_language())} ({count})"
                              for key, count in overall.causes[:5])
            story.append(self.para(label("loop.causes", causes=named)))
        return [*story, CondPageBreak(SECTION_ROOM)]
