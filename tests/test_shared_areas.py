"""The shared areas keep the machinery and know no area by name (issue 22): what an area adds to the API, the
reports, the export or the events it contributes through the registry, so adding an area edits none of them.

The imports are read from the source (every import, those inside functions too), so a lazy import counts."""

import re
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import grimp
import pytest

import cxroadmap
from cxroadmap import AREAS
from cxroadmap.accounts.people import KnownNames
from cxroadmap.apikit.spec import ApiOperations
from cxroadmap.areas import (
    DeckPart,
    ReadablePart,
    ReportFigures,
    ReportKind,
    ReportSection,
    StoryLine,
    contributions,
)
from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.maturity.story import StageConfirmation

# The shared areas: machinery the other areas contribute to (events, API operations, report parts, exchange parts).
# One may use another's machinery (the reports declare their events with notifications' EventKind).
SHARED = ("notifications", "api", "reports", "exchange")
# The areas below every other area: the organisation, the trail, accounts and the job runner. Any area, shared ones
# too, may use them.
BASE = {"organisations", "audit", "accounts", "jobs"}
# What a shared area still names, each entry with why; an entry goes when those parts move into their areas. None
# does: the exchange is made of the areas' parts (`ExchangePart` in <area>/exchange.py), and the reports list, issue
# and download the reports the areas contribute (`ReportKind`: the overview's roadmap, summary and deck in
# overview/documents.py), drawn with the machinery below the areas (`reportkit`), each area drawing its own parts
# (`ReportFigures`, `ReportSection`, `StoryLine`, `DeckPart`, `ReadablePart`); governance serves its meetings' packs
# and minutes itself.
STILL_NAMED: dict[str, set[str]] = {}
PACKAGE = Path(cxroadmap.__file__).parent
TEMPLATES = PACKAGE.parent / "templates"


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("cxroadmap", exclude_type_checking_imports=True)


def _area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in AREAS else None


def named_areas(graph, shared: str) -> dict[str, set[str]]:
    """The areas a shared area's modules import, other than the base and the shared ones: area -> the modules
    that do."""
    named: dict[str, set[str]] = {}
    for module in graph.find_descendants(f"cxroadmap.{shared}") | {f"cxroadmap.{shared}"}:
        for imported in graph.find_modules_directly_imported_by(module):
            area = _area_of(imported)
            if area is not None and area not in BASE and area not in SHARED:
                named.setdefault(area, set()).add(module)
    return named


@pytest.mark.parametrize("shared", SHARED)
def test_a_shared_area_names_no_other_area(graph, shared):
    named = named_areas(graph, shared)
    unexpected = {area: sorted(modules) for area, modules in named.items() if area not in STILL_NAMED.get(shared, ())}
    assert not unexpected, f"cxroadmap.{shared} names these areas (area: importing modules): {unexpected}"


def test_what_is_still_named_is_still_there(graph):
    """An allowance that is no longer needed goes, so that nothing creeps back in behind it."""
    for shared, allowed in STILL_NAMED.items():
        gone = allowed - set(named_areas(graph, shared))
        assert not gone, f"cxroadmap.{shared} no longer names {sorted(gone)}: take them out of STILL_NAMED"


def test_the_check_sees_an_area_named_in_a_function(graph):
    """The check reads lazy imports too: the api area's load imports its own modules inside the function."""
    assert "cxroadmap.api.assembly" in graph.find_modules_directly_imported_by("cxroadmap.api")


def test_what_an_area_declares_for_the_api_and_the_reports_is_contributed(app):
    """An area's api module and report module are its contributions: one the area forgot to add would vanish
    from the API (and its document) or the reports without any other test noticing."""
    operations, sections = contributions(ApiOperations, app), contributions(ReportSection, app)
    declared = 0
    for area in AREAS:
        if find_spec(f"cxroadmap.{area}.api") is not None:
            assert import_module(f"cxroadmap.{area}.api").bp in operations, f"{area}: area.add(api.bp)"
            declared += 1
        if find_spec(f"cxroadmap.{area}.report") is not None:
            module = import_module(f"cxroadmap.{area}.report")
            for section in getattr(module, "SECTIONS", ()) + ((module.SECTION,) if hasattr(module, "SECTION") else ()):
                assert section in sections, f"{area}: area.add(report.SECTION or *report.SECTIONS)"
                declared += 1
    assert declared >= 14  # nine areas' operations, five report parts: the check looks where they are


# What an area may add to the reports, and the modules it declares it in.
REPORT_KINDS = (ReportFigures, ReportSection, StoryLine, DeckPart, ReadablePart, StageConfirmation, KnownNames,
                ReportKind)
REPORT_MODULES = ("report", "story", "deck", "people", "documents")


def _declared(module) -> list:
    """The report contributions a module declares at its top level, one by one or in a tuple."""
    values = [value for name, value in vars(module).items() if name.isupper()]
    found = [value for value in values if isinstance(value, REPORT_KINDS)]
    return found + [item for value in values if isinstance(value, tuple) for item in value
                    if isinstance(item, REPORT_KINDS)]


def test_every_report_part_an_area_declares_is_contributed(app):
    """An area's figures, story line, slides, HTML part, the names it knows or a report of its own that it forgot
    to add would vanish from the reports, the story or the deck (or from the reports page), and a report without
    them might still read well."""
    kinds = {}
    for area in AREAS:
        for name in REPORT_MODULES:
            if find_spec(f"cxroadmap.{area}.{name}") is None:
                continue
            for item in _declared(import_module(f"cxroadmap.{area}.{name}")):
                assert item in contributions(type(item), app), f"{area}.{name}: area.add(…) is missing {item}"
                kinds.setdefault(type(item).__name__, set()).add(area)
    # Where the parts are: the check must find them to be worth anything.
    assert {"maturity", "journey", "measures"} <= kinds["StoryLine"]
    assert {"assessments", "coalition", "journey", "measures"} <= kinds["ReportFigures"]
    assert {"journey", "measures"} <= kinds["DeckPart"]
    assert {"coalition", "journey", "measures"} <= kinds["ReadablePart"]
    assert "assessments" in kinds["StageConfirmation"]
    assert "coalition" in kinds["KnownNames"]
    assert "overview" in kinds["ReportKind"]


def test_every_areas_exchange_part_is_contributed(app):
    """An area's part of the cxroadmap/1 document that it forgot to add would vanish from the export and the
    import alike, and the round trip would not notice."""
    parts = contributions(ExchangePart, app)
    declared = [area for area in AREAS if find_spec(f"cxroadmap.{area}.exchange") is not None]
    for area in declared:
        assert import_module(f"cxroadmap.{area}.exchange").PART in parts, f"{area}: area.add(exchange.PART)"
    assert len(declared) == len(parts) >= 10  # every contributed part lives in an <area>/exchange.py
    orders = [part.order for part in parts]
    assert len(set(orders)) == len(orders), "two parts of the same order: the document's key order is not fixed"


# -- an area nothing builds on is named only where areas are registered ------------------------------------------

def areas_built_on(graph) -> set[str]:
    """The areas whose modules a module of another area imports."""
    return {area for module in graph.modules for imported in graph.find_modules_directly_imported_by(module)
            if (area := _area_of(imported)) is not None and area != _area_of(module)}


def named_outside(app, area: str) -> list[str]:
    """The source files and templates outside the area's own folders that name one of its endpoints or its
    templates (`'<blueprint>.` or `"<area>/`): what adding the area would have made someone edit."""
    own = {name for name, blueprint in app.blueprints.items() if blueprint.import_name.split(".")[1] == area}
    endpoints = "|".join(map(re.escape, own)) or "(?!)"  # an area without pages has no endpoint to name
    mention = re.compile(rf"""["'](?:(?:{endpoints})\.|{re.escape(area)}/)""")
    files = [*PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*.html")]
    return sorted(str(path.relative_to(PACKAGE.parent)) for path in files
                  if area not in path.relative_to(PACKAGE.parent).parts[1:2] and mention.search(path.read_text()))


def test_an_area_nothing_builds_on_is_named_nowhere_but_in_its_own_folders(app, graph):
    """The proof that adding an area edits no other area: for every area no other area imports (the newest ones,
    surveys and cases among them), no other area's code or template names its endpoints or templates; it reaches
    other pages only through what it contributes (menu entries, page panels, sections)."""
    leaves = set(AREAS) - areas_built_on(graph)
    assert {"surveys", "cases", "sso", "calendars", "chat", "api"} <= leaves
    named = {area: found for area in sorted(leaves) if (found := named_outside(app, area))}
    assert not named, f"these areas are named outside their folders (area: files): {named}"


def test_the_check_sees_a_template_naming_another_areas_page(app):
    assert "templates/organisations/index.html" not in named_outside(app, "sso")
    assert "cxroadmap/sso/__init__.py" not in named_outside(app, "sso")  # its own folder
    assert "templates/sso/providers.html" not in named_outside(app, "sso")
    assert named_outside(app, "accounts")  # a base area is named everywhere, as it may be
