"""The areas of the application and what each contributes to the shared mechanisms, in one registry.

Every area is a package that owns all of its parts and exposes `load(area: Area)`; `create_app` calls it for
each name in `cxroadmap.AREAS`, lower areas first. The area registers its blueprints, commands and template
values on the app through `area`, and adds *contributions* for the shared mechanisms (exchange parts, report
sections, API operations, events, audit names, navigation entries, demo data, timed work …). Each mechanism
defines the type of what it accepts and asks `contributions(ThatType)` for them, in the order the areas were
loaded; a mechanism never names an area. Adding an area is one folder plus one line in `AREAS`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import import_module
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app

KEY = "cxroadmap.areas"
T = TypeVar("T")


class Registry:
    """What the loaded areas contributed, in the order they added it; kept on the app."""

    def __init__(self) -> None:
        self.areas: list[str] = []
        self._items: list[tuple[str, Any]] = []
        self._by_kind: dict[type, list] = {}
        self._derived: dict[Any, Any] = {}

    def add(self, area: str, item: Any) -> None:
        self._items.append((area, item))
        self._by_kind.clear()
        self._derived.clear()

    def of(self, kind: type[T]) -> list[T]:
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind[kind] = [item for _area, item in self._items if isinstance(item, kind)]
        return found

    def derived(self, key: Any, make: Callable[[], T]) -> T:
        """What a mechanism works out from the contributions (a merged table), worked out once."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def area_of(self, item: Any) -> str | None:
        """Which area added this contribution (for messages and tests)."""
        return next((area for area, added in self._items if added is item), None)


class Area:
    """One area's handle on the application while it loads: what it adds lands on the app or in the registry."""

    def __init__(self, name: str, app: Flask, registry: Registry) -> None:
        self.name, self.app, self.registry = name, app, registry

    def blueprints(self, *blueprints: Blueprint) -> None:
        for blueprint in blueprints:
            self.app.register_blueprint(blueprint)

    def commands(self, *commands) -> None:
        for command in commands:
            self.app.cli.add_command(command)

    def template_values(self, **values: Any) -> None:
        """Names every template (and imported macro) sees: an area's enumerations, formatters."""
        clash = set(values) & set(self.app.jinja_env.globals)
        if clash:
            raise RuntimeError(f"area {self.name} redefines template values {sorted(clash)}")
        self.app.jinja_env.globals.update(values)

    def add(self, *contributions: Any) -> None:
        for contribution in contributions:
            self.registry.add(self.name, contribution)


def load_areas(app: Flask, names: Iterable[str]) -> Registry:
    """Load each area (`cxroadmap.<name>.load(area)`) in order, into a registry kept on the app."""
    registry = app.extensions[KEY] = Registry()
    for name in names:
        module = import_module(f"cxroadmap.{name}")
        registry.areas.append(name)
        module.load(Area(name, app, registry))
    return registry


def registry(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions[KEY]


def contributions(kind: type[T], app: Flask | None = None) -> list[T]:
    """What the areas added of this kind, in the order the areas were loaded (lower areas first)."""
    return registry(app).of(kind)


# -- contributions every area may make that belong to no single mechanism below the areas ------------------

@dataclass(frozen=True)
class TimedWork:
    """Work the scheduler does by itself: `run(now)` does what is due at `now` and says how many things it did
    (mails sent, rows purged …); `due(now)` counts what run would do without doing it (`flask notify --dry-run`).
    `every` is how often the scheduler looks; work must be safe to run again (it does only what is due), and does
    what fell due while nothing ran. `said(count)` puts a run's count in words for `flask notify` ("Sent 3 mails.").
    Lines it logs to `cxroadmap.scheduler.work_log` ("sent weekly digest to …") go to the scheduler's log and to
    `flask notify`'s output."""

    name: str
    run: Callable[[datetime], int]
    due: Callable[[datetime], int]
    every: timedelta = timedelta(minutes=1)
    said: Callable[[int], str] | None = None


@dataclass(frozen=True)
class DemoData:
    """An area's share of the demo organisation: `seed(organisation, today)` adds it (flushing, never committing).
    Areas are seeded in their loading order, so a share may rely on what lower areas seeded."""

    name: str
    seed: Callable[[Any, date], None]


@dataclass(frozen=True)
class ReportSection:
    """What an area draws in the PDF reports, at the places the reports offer for it. Between two sections:
    "roadmap.after_measures" (the roadmap report, after the experience measures) and "steering_pack.after_status"
    (the steering pack, after the status of the initiatives under review); the report starts a new page after
    each when too little room is left. Inside a section: "roadmap.measures" (the roadmap's "Customer experience
    measures"), "roadmap.summary" and "executive_summary.summary" (after the summary's figures), "roadmap.maturity"
    (after the maturity ladder), "roadmap.after_benefits" (after the benefits, before the appendix: a part that is a
    section of its own opens with `CondPageBreak(report.section_room)`) and "steering_pack.agenda" (the steering
    pack's agenda, after the initiatives under review).

    `draw(report)` gives the flowables (reportlab), drawn with the report's own helpers: `report.organisation`,
    `report.data`, `report.heading(text, bookmark)`, `report.para(text, style)`, `report.table(…)`, `report.day(…)`,
    `report.safe(text)`, `report.styles`, `report.content_width`, `report.section_room`, `report.percent(…)`; in the
    steering pack `report.subheading(text)` too.
    At one place, what has the lower `rank` comes first, then the order the areas were loaded."""

    places: tuple[str, ...]
    draw: Callable[[Any], list]
    rank: int = 0


@dataclass(frozen=True)
class ReportFigures:
    """An area's share of the figures every report (the PDFs, their HTML version, the steering deck) is drawn
    from, gathered once after the rest: `gather(data)` gives them from the report's data (`data.organisation`,
    `data.on`, `data.stage` …), which then keeps them as `data.figures[name]` for the area's own parts (its
    sections, story line, slides and HTML part)."""

    name: str
    gather: Callable[[Any], Any]


@dataclass(frozen=True)
class StoryLine:
    """A paragraph an area tells in the reports' executive story ("In short", the deck's story slide): `facts(data)`
    reads what it tells from the report's data as plain values, gathered with the figures (kept as
    `data.facts.told[name]`); `sentence(facts)` words them in the language being written. The story tells the stage
    (the maturity area's line, rank 0), then the other areas' lines (the lower `rank` first), then the red
    initiatives and the money."""

    name: str
    facts: Callable[[Any], Any]
    sentence: Callable[[Any], str]
    rank: int = 0


@dataclass(frozen=True)
class DeckPart:
    """What an area adds to the steering deck (PowerPoint), at the places the deck offers for it.

    "deck.after_stage": `draw(deck)` adds the area's slides after the stage's, with the deck's helpers
    (`deck.slide(title, notes)`, `deck.body`, `deck.table`, `deck.bar_chart`, `deck.note`, `deck.data`,
    `deck.told(name)` for its story line's facts) and gives nothing back. "deck.decisions": `draw(deck)`
    gives the lines of "Decisions needed" the area adds after the red and overdue initiatives. At one place, what
    has the lower `rank` comes first, then the order the areas were loaded."""

    places: tuple[str, ...]
    draw: Callable[[Any], list]
    rank: int = 0


@dataclass(frozen=True)
class ReadablePart:
    """An area's part of a report's accessible HTML version (`/reports/current/<kind>.html`): a template
    included at a place of the page, seeing what the page sees (`d`: the report's data, `d.figures[…]` the area's
    own figures): "readable.after_benefits" (both reports) or "readable.roadmap" (the roadmap's alone, at its end).
    At one place, what has the lower `rank` comes first."""

    template: str
    rank: int = 0
    place: str = "readable.after_benefits"


@dataclass(frozen=True)
class ReportKind:
    """A report of the whole organisation that the reports area offers, found by its `slug` (in its addresses
    `/reports/current/<slug>.pdf` and `.html`, its file's name and the archive); `label` names it on the reports
    page, in the archive and on a job's page. `make(order)` writes it from a `reportkit.making.ReportOrder` (the
    organisation, the day, the settings, and for an issued kind the `Baseline` it compares with) and gives a
    `reportkit.making.MadeReport` (its bytes, and the figures the next issue compares with); `readable(order)` gives
    the values its accessible HTML version (`reports/readable.html`) is written from. `large(organisation)` says
    whether it takes longer to make than a page should wait, so that a job makes it. A kind with `issued` False
    (the steering deck) is only downloaded, as a file of its `mime` type, never issued into the archive."""

    slug: str
    label: Any
    make: Callable[[Any], Any]
    large: Callable[[Any], bool]
    readable: Callable[[Any], dict] | None = None
    issued: bool = True
    mime: str = "application/pdf"
