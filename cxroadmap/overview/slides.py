"""The steering deck: the executive summary as PowerPoint slides (python-pptx), in the reader's language.

Title, the story, the stage, what the areas add (`cxroadmap.areas.DeckPart`: the KPIs with a native chart, the
widest gaps), red initiatives, money and the decisions needed; each slide's notes say where its figures come from.
User text is stripped of the control characters XML cannot hold.
"""

import io
import re
from datetime import date

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from cxroadmap.areas import DeckPart, contributions
from cxroadmap.i18n import Texts, current_language, format_day, format_share
from cxroadmap.money import format_money
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import logo_of
from cxroadmap.overview.narrative import money_sentence, narrative, red_sentence, told_sentence
from cxroadmap.overview.report_data import ReportData, gather
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.making import MadeReport, ReportOrder
from cxroadmap.stages import STAGES

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
INK, MUTED = RGBColor(0x17, 0x32, 0x4D), RGBColor(0x3D, 0x49, 0x56)
WIDE, HIGH = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.6)
BELOW_TITLE = Inches(1.5)
ROWS = 8  # rows a table slide holds

TEXTS = Texts.beside(__file__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(words) -> str:
    """User text as a slide can hold it: without the control characters XML refuses (python-pptx escapes the
    rest)."""
    return _CONTROL.sub("", str(words if words is not None else ""))


def filename_for(organisation: Organisation, on: date) -> str:
    return f"{organisation.slug}-steering-deck-{on.isoformat()}.pptx"


def make_deck(order: ReportOrder) -> MadeReport:
    """The steering deck of the organisation as it stands on `order.on`."""
    organisation, on = order.organisation, order.on
    data = gather(organisation, on, order.generated_at, order.horizon_years, order.role_max_age_days)
    return MadeReport("deck", filename_for(organisation, on), SteeringDeck(data).render(), {})


class SteeringDeck:
    """The slides, each from one method over the report's data."""

    def __init__(self, data: ReportData):
        self.data, self.organisation = data, data.organisation
        self.language = current_language()
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = WIDE, HIGH
        self.deck.core_properties.title = clean(f"{TEXTS.say('title')} · {self.organisation.name}")
        self.deck.core_properties.language = self.language
        self.deck.core_properties.author = "cxroadmap"

    def render(self) -> bytes:
        for slide in (self.title_slide, self.story_slide, self.stage_slide):
            slide()
        for part in self.parts("deck.after_stage"):
            part.draw(self)
        for slide in (self.reds_slide, self.money_slide, self.decide_slide):
            slide()
        out = io.BytesIO()
        self.deck.save(out)
        return out.getvalue()

    @staticmethod
    def parts(place: str) -> list[DeckPart]:
        return sorted((part for part in contributions(DeckPart) if place in part.places), key=lambda part: part.rank)

    # -- pieces (the areas' parts draw with them too) -------------------------------------------------------
    def told(self, name: str):
        """What an area's story line tells (cxroadmap.areas.StoryLine), as its facts."""
        return self.data.facts.told[name]

    def money(self, amount) -> str:
        return format_money(amount, self.organisation.currency, self.language)

    def slide(self, title: str, notes: str):
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[5])  # title only
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(0.35), WIDE - 2 * MARGIN, Inches(1)
        heading.text = clean(title)
        for paragraph in heading.text_frame.paragraphs:
            paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(30), True, INK
        slide.notes_slide.notes_text_frame.text = clean(notes)
        return slide

    @staticmethod
    def note(slide, words: str) -> None:
        """Words added to the slide's notes."""
        slide.notes_slide.notes_text_frame.text += clean(words)

    def body(self, slide, lines: list[str], top=BELOW_TITLE, size: int = 18, height=None):
        box = slide.shapes.add_textbox(MARGIN, top, WIDE - 2 * MARGIN, height or HIGH - top - Inches(0.5))
        frame = box.text_frame
        frame.word_wrap = True
        for number, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.text = clean(line)
            paragraph.font.size, paragraph.font.color.rgb = Pt(size), INK
            paragraph.space_after = Pt(8)
        return box

    def table(self, slide, header: list[str], rows: list[list[str]], widths: list[float], top=BELOW_TITLE):
        shown = rows[:ROWS]
        width = WIDE - 2 * MARGIN
        shape = slide.shapes.add_table(len(shown) + 1, len(header), MARGIN, top, width, Inches(0.45) * (len(shown) + 1))
        grid = shape.table
        for column, share in enumerate(widths):
            grid.columns[column].width = Emu(int(width * share / sum(widths)))
        for row_number, row in enumerate([header, *shown]):
            for column, value in enumerate(row):
                cell = grid.cell(row_number, column)
                cell.text = clean(value)
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(14)
                    paragraph.font.bold = row_number == 0
        if len(rows) > ROWS:  # at the foot of the slide, below however tall the rows have grown
            self.body(slide, [TEXTS.say("more", count=len(rows) - ROWS)], top=HIGH - Inches(0.7), size=14,
                      height=Inches(0.5))
        return grid

    # -- slides ----------------------------------------------------------------------------------------
    def title_slide(self) -> None:
        o = self.organisation
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])  # blank
        logo = logo_of(o)
        if logo:
            slide.shapes.add_picture(io.BytesIO(logo), MARGIN, Inches(0.6), height=Inches(1))
        lines = [o.name, TEXTS.say("title"), format_day(self.data.on, "long")]
        box = self.body(slide, lines, top=Inches(2.2), size=22, height=Inches(2.5))
        first = box.text_frame.paragraphs[0]
        first.font.size, first.font.bold = Pt(40), True
        if o.brand_promise:
            promise = self.body(slide, [f"“{o.brand_promise}”"], top=Inches(4.9), size=20, height=Inches(1.5))
            promise.text_frame.paragraphs[0].font.italic = True
        slide.notes_slide.notes_text_frame.text = clean(label("generated", when=format_day(self.data.on)))

    def story_slide(self) -> None:
        slide = self.slide(TEXTS.say("story"), TEXTS.say("notes.story", date=format_day(self.data.on)))
        self.body(slide, narrative(self.data.facts), size=16)

    def stage_slide(self) -> None:
        d, o = self.data, self.organisation
        slide = self.slide(TEXTS.say("stage"), TEXTS.say("notes.stage"))
        steps = []
        for step in d.ladder:
            marks = [label("ladder.current")] if step["current"] else []
            marks += [label("ladder.target")] if step["target"] else []
            steps.append(f"{step['number']}. {step['choice'].label}" + (f" ({', '.join(marks)})" if marks else "")
                         + f": {step['choice'].description}")
        box = self.body(slide, [told_sentence(d.facts, "stage"), *steps], size=16)
        for step, paragraph in zip(d.ladder, box.text_frame.paragraphs[1:], strict=True):
            paragraph.font.bold = bool(step["current"])
        if o.target_stage and d.stage:
            slide.notes_slide.notes_text_frame.text += clean(f" {STAGES.label(d.stage.stage)} → "
                                                             f"{STAGES.label(o.target_stage)}")

    def bar_chart(self, title: str, notes: str, categories: list[str], series: str, values: list[float],
                  number_format: str) -> None:
        """A slide of one native bar chart (its figures stay editable in PowerPoint or Impress), the first category
        at the top."""
        slide = self.slide(title, notes)
        chart_data = CategoryChartData()
        chart_data.categories = [clean(category)[:60] for category in reversed(categories)]
        chart_data.add_series(series, list(reversed(values)))
        chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, BELOW_TITLE, WIDE - 2 * MARGIN,
                                       HIGH - BELOW_TITLE - Inches(0.4), chart_data).chart
        chart.has_title = False  # the slide's title says what it shows
        chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.font.size = Pt(14)
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = number_format, False
        plot.series[0].format.fill.solid()
        plot.series[0].format.fill.fore_color.rgb = INK

    def reds_slide(self) -> None:
        facts = self.data.facts
        slide = self.slide(TEXTS.say("reds"), TEXTS.say("notes.reds"))
        if not facts.reds:
            self.body(slide, [red_sentence(facts)])
            return
        by_ref = {f.initiative.ref: f.initiative for f in self.data.initiatives}
        rows = []
        for red in facts.reds:
            initiative = by_ref.get(red.ref)
            owner = initiative.owner.name if initiative is not None and initiative.owner else "—"
            decided = f"{format_day(red.decided_on)}: {red.decision}" if red.decision else "—"
            rows.append([red.ref, red.title, owner, format_day(initiative.due_date if initiative else None), decided])
        self.table(slide, [label("col.ref"), label("col.initiative"), label("col.owner"), label("col.due"),
                           TEXTS.say("decision")], rows, [1.2, 4, 2, 1.6, 4])

    def money_slide(self) -> None:
        d, facts = self.data, self.data.facts
        slide = self.slide(TEXTS.say("money"), TEXTS.say("notes.money"))
        totals = d.totals
        self.body(slide, [money_sentence(facts),
                          f"{label('kpi.annual')}: {self.money(totals.annual_expected)}",
                          f"{label('kpi.risk')}: {self.money(totals.annual_risk_adjusted)}",
                          f"{label('kpi.npv', years=d.horizon_years)}: {self.money(totals.npv)}",
                          f"{label('kpi.roi', years=d.horizon_years)}: {format_share(totals.roi)}"], size=18)

    def decide_slide(self) -> None:
        d = self.data
        slide = self.slide(TEXTS.say("decide"), TEXTS.say("notes.decide"))
        items = [TEXTS.say("decide.red", ref=r.ref, title=r.title) for r in d.facts.reds if not r.decision]
        items += [TEXTS.say("decide.overdue", ref=i.ref, title=i.title, date=format_day(i.due_date))
                  for i in d.attention if i.is_overdue(d.on)]
        items += [item for part in self.parts("deck.decisions") for item in part.draw(self)]
        if len(items) > ROWS:
            items = [*items[:ROWS], TEXTS.say("more", count=len(items) - ROWS)]
        self.body(slide, [f"• {item}" for item in items] or [TEXTS.say("decide.none")], size=17)
