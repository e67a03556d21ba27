"""What an area contributes to the cxroadmap/1 document (its top-level keys, how they are checked on import and
how they are written) and to the organisation's workbook (its sheets)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cxroadmap.exchangekit.reading import Reader
from cxroadmap.exchangekit.sheets import Sheet
from cxroadmap.organisations.models import Organisation


@dataclass(frozen=True)
class Writing:
    """What a part's write is given besides its checked values: the importer's bulk writers and the ids of what
    was written before it: the coalition's part fills member_ids, the part that lists the initiatives
    initiative_ids (empty for a part of negative order, written before the initiatives)."""

    # insert(model, rows) -> the ids given, in the order of the rows: multi-row INSERTs, the audit's updated_by set.
    insert: Callable[[type, list[dict]], list[int]]
    # link(table, rows): rows of an association table.
    link: Callable[[Any, list[dict]], None]
    member_ids: dict[str, int] = field(default_factory=dict)  # the coalition's members: id by email
    initiative_ids: dict[str, int] = field(default_factory=dict)  # the initiatives: id by reference


@dataclass(frozen=True)
class SheetScope:
    """What a workbook is made for: the day, the business case's horizon, and the days whose customers' answers
    it holds (first and last)."""

    on: date
    horizon_years: int
    answers: tuple[date, date]
    asked: dict = field(default_factory=dict)  # a sheet downloaded by itself: its query's arguments (?state=)


@dataclass(frozen=True)
class WorkbookSheet:
    """One sheet an area adds to the organisation's workbook: make(organisation, scope) gathers it; order is its
    place among the workbook's sheets; name, when given, is its own download (/<name>.xlsx or .csv, whose
    endpoint is sheets.<name> with "_" for "-": the area's page links to it)."""

    order: int
    make: Callable[[Organisation, SheetScope], Sheet]
    name: str | None = None


@dataclass(frozen=True)
class ListSheet:
    """A sheet of the initiatives list, downloaded by itself with the list's filters (the list page's Download
    menu): its name (/<name>.xlsx or .csv, endpoint sheets.<name> with "_" for "-"), what the menu calls it,
    and make(organisation, the list's filter, horizon in years, day)."""

    name: str
    label: object
    make: Callable[[Organisation, Any, int, date], Sheet]


@dataclass(frozen=True)
class ListFilter:
    """The list whose sheets are downloaded (`ListSheet`) and how it is filtered: page, the endpoint of the list's
    page, and arguments, the names of its address that filter it; asked() the filter this request's address asks
    for; kept(wanted) that filter as plain values a job keeps, restored(values) it read back; large(organisation)
    whether the organisation is large enough that its downloads (the list's sheets, the workbook, the document)
    take longer than a page should wait, and are made in the background."""

    page: str
    arguments: tuple[str, ...]
    asked: Callable[[], Any]
    kept: Callable[[Any], dict]
    restored: Callable[[dict], Any]
    large: Callable[[Organisation], bool]


@dataclass(frozen=True)
class SheetImport:
    """Importing a spreadsheet (the workbook, or one of its sheets) into the organisation: check(organisation,
    tables, language) reads the tables (`cells.Table`) into a plan that names every problem (plan.problems), and
    writes nothing; write(organisation, plan) carries it out; preview(plan) what a page or a job shows of it
    before it is confirmed, as plain values; summary(plan) the line said once it is written."""

    check: Callable[[Organisation, list, str], Any]
    write: Callable[[Organisation, Any], Any]
    preview: Callable[[Any], dict]
    summary: Callable[[Any], str]


@dataclass(frozen=True, eq=False)
class ExchangePart:
    """One area's part of the document, after what the exchange area itself writes (the format and the
    organisation's settings).

    - order: the part's place among the parts; the document's keys follow it, so it keeps the exported bytes as
      they are (a number, not the area's load order, because the format was fixed before the parts moved). A part
      of negative order comes before the initiatives (the part of order 0): it is checked and written before
      them and removed after them, and knows none of them.
    - export(organisation, with_answers): the part's keys and values, {key: value} in the document's order.
      with_answers: also what is personal (customers' answers, contact details).
    - check(reader, document, known): the part read and checked (noting every problem with its JSON path on
      reader), ready to write; None when the document is silent. known holds what the document names, as the
      parts before this one read it (the coalition's teams and emails, the initiatives and their refs, the
      journey's touchpoints …); a part may add to it.
    - write(organisation, checked, writing): writes what check gave (writing: a `Writing`), after the parts
      before it; how many of what it wrote ({} when nothing worth counting).
    - removes: the part's models, deleted (in this order, before the parts before it) when a document replaces an
      organisation's contents; what hangs off them goes by the database's cascades.
    - initiatives(organisation, initiatives): the keys the part adds to each initiative of the document,
      {initiative id: {key: value}} for every one of them (in part order: the initiatives' own keys first).
    - lists_initiatives(organisation): given by the one part (of order 0) that holds the document's initiatives:
      them, in the document's order. The document's "initiatives" key comes after that part's own keys: each
      initiative is made of the keys the parts' `initiatives` give it (that part's own first). Its check puts
      the initiatives read in known["initiatives"] (by position: their values, None for one that did not read)
      and their references in known["refs"]; its write fills writing.initiative_ids.
    - sheets: the part's sheets of the organisation's workbook; list_sheets: its sheets of the initiatives list;
      list_filter: that list and its filter (one part gives it).
    - sheet_import: how a spreadsheet is imported (one part gives it).
    - also: the area's further parts, each at its own order (an area adds one part; one whose keys come at
      several places in the document, checked after other areas' keys, holds the later ones here).
    """

    order: int
    export: Callable[[Organisation, bool], dict]
    check: Callable[[Reader, dict, dict], Any]
    write: Callable[[Organisation, Any, Writing], dict]
    removes: tuple[type, ...] = ()
    initiatives: Callable[[Organisation, list], dict[int, dict]] | None = None
    sheets: tuple[WorkbookSheet, ...] = ()
    lists_initiatives: Callable[[Organisation], list] | None = None
    list_sheets: tuple[ListSheet, ...] = ()
    list_filter: ListFilter | None = None
    sheet_import: SheetImport | None = None
    also: tuple["ExchangePart", ...] = ()
