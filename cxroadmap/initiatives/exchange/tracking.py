"""The initiatives' tracking in a cxroadmap/1 document: each one's status history, milestones with their slips
and the initiatives it waits for (after its benefits), checked with their JSON paths and written in bulk; and
their sheets, of the workbook and of the initiatives list."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.audit.services import current_actor
from cxroadmap.errors import DomainError
from cxroadmap.exchangekit.parts import ExchangePart, ListSheet, WorkbookSheet, Writing
from cxroadmap.exchangekit.reading import plain_items, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.exchange.core import day
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone, MilestoneSlip, StatusUpdate
from cxroadmap.initiatives.services import InitiativeFilter, initiatives_query
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.initiatives.tracking import all_history, dependencies, milestones_of
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import today
from cxroadmap.validation import tidy

UPDATE = {"posted_on": ("date", True), "author": ("text", False), "status": ("text", True),
          "health": ("text", True), "progress": ("integer", True), "note": ("text", False)}
MILESTONE = {"title": ("text", True), "due_on": ("date", True), "original_due_on": ("date", False),
             "done_on": ("date", False)}
SLIP = {"moved_on": ("date", True), "from_date": ("date", True), "to_date": ("date", True),
        "author": ("text", False)}


# -- the document ------------------------------------------------------------------------------------------

def tracking_keys(organisation: Organisation, initiatives: list[Initiative]) -> dict[int, dict]:
    """Each initiative's status_updates, milestones and waits_for, in a few queries."""
    history, milestones = all_history(initiatives), milestones_of(initiatives)
    waits: dict[int, list[str]] = {}
    for dependency in dependencies(organisation):
        waits.setdefault(dependency.initiative_id, []).append(dependency.depends_on.ref)
    return {initiative.id: {
        "status_updates": [
            {"posted_on": day(u.posted_on), "author": u.author, "status": u.status, "health": u.health,
             "progress": u.progress, "note": u.note}
            for u in history[initiative.id]
        ],
        "milestones": [
            {"title": m.title, "due_on": day(m.due_on), "original_due_on": day(m.original_due_on),
             "done_on": day(m.done_on),
             "slips": [{"moved_on": day(s.moved_on), "from_date": day(s.from_date), "to_date": day(s.to_date),
                        "author": s.author} for s in m.slips]}
            for m in milestones[initiative.id]
        ],
        "waits_for": sorted(waits.get(initiative.id, []), key=lambda ref: (len(ref), ref)),
    } for initiative in initiatives}


def _check_loops(reader, document, entries: dict) -> None:
    """Note, at each initiative's waits_for, a wait for itself or one that comes back round to it."""
    items = document.get("initiatives") or []
    ref_of = {index: str(item.get("ref", "")).upper() for index, item in enumerate(items) if isinstance(item, dict)}
    waits = {ref_of[index]: set(entry.get("waits_for", [])) for index, entry in entries.items() if index in ref_of}
    for index in entries:
        start = ref_of.get(index)
        seen, frontier = set(), list(waits.get(start, ()))
        while frontier:
            current = frontier.pop()
            if current == start:
                reader.note(f"initiatives[{index}].waits_for",
                            _("%(ref)s would wait for itself, through what it waits for: that is a loop.", ref=start))
                break
            if current not in seen:
                seen.add(current)
                frontier.extend(waits.get(current, ()))


def check_tracking(reader, document, known: dict) -> dict:
    """The optional tracking keys of every initiative, checked (waits_for names known["refs"]); what they hold
    by the initiative's position, ready to write, with the initiatives read (known["initiatives"])."""
    entries = {}
    for index, item in enumerate(document.get("initiatives") or []):
        if isinstance(item, dict):
            entries[index] = _check_one(reader, item, f"initiatives[{index}]", known["refs"])
    _check_loops(reader, document, entries)
    return {"entries": entries, "initiatives": known["initiatives"]}


def _check_updates(reader, item: dict, path: str) -> list[dict] | None:
    updates = plain_items(reader, item, "status_updates", path, UPDATE)
    if updates is None:
        return None
    for where, _index, values in updates:
        if values["status"] not in STATUSES:
            reader.note(f"{where}.status", STATUSES.describe())
        if values["health"] not in HEALTHS:
            reader.note(f"{where}.health", HEALTHS.describe())
        if not 0 <= values["progress"] <= 100:
            reader.note(f"{where}.progress", _("Progress is a whole percentage from 0 to 100."))
    return [with_defaults(values) for _, _, values in updates]


def _check_one(reader, item: dict, path: str, refs: set[str]) -> dict:
    """One initiative's status history, milestones with their slips and dependencies."""
    entry = {}
    updates = _check_updates(reader, item, path)
    if updates is not None:
        entry["status_updates"] = updates
    milestones = plain_items(reader, item, "milestones", path, MILESTONE)
    if milestones is not None:
        entry["milestones"] = []
        for where, raw, values in milestones:
            slips = plain_items(reader, raw, "slips", where, SLIP) or []
            entry["milestones"].append((with_defaults(values), [with_defaults(v) for _, _, v in slips]))
    waits = item.get("waits_for")
    if waits is not None:
        if not isinstance(waits, list) or not all(isinstance(ref, str) for ref in waits):
            reader.note(f"{path}.waits_for", _("not a list of strings"))
        else:
            for ref in waits:
                if ref.upper() not in refs:
                    reader.note(f"{path}.waits_for", _("%(ref)s is not an initiative in this document", ref=ref))
            entry["waits_for"] = [ref.upper() for ref in waits]
    return entry


def write_tracking(_organisation: Organisation, plan: dict, writing: Writing) -> dict:
    """Every initiative's history (or, without one, the first entry creating it writes), milestones with their
    slips, and dependencies (a loop refused: DomainError)."""
    entries = plan["entries"]
    ordered = [writing.initiative_ids[initiative["ref"]] for initiative in plan["initiatives"]]
    actor, on = current_actor().label, today()
    updates, milestones, slips = [], [], []
    for index, (initiative, initiative_id) in enumerate(zip(plan["initiatives"], ordered, strict=True)):
        entry = entries.get(index, {})
        if "status_updates" in entry:
            updates += [{"initiative_id": initiative_id, **values} for values in entry["status_updates"]]
        else:
            # As creating an initiative does: its history starts with where it stands.
            updates.append({"initiative_id": initiative_id, "posted_on": on, "author": actor,
                            "status": initiative["status"], "health": initiative["health"],
                            "progress": initiative["progress"], "note": tidy(_("Created."))})
        for values, its_slips in entry.get("milestones", []):
            milestones.append({"initiative_id": initiative_id, "title": values["title"], "due_on": values["due_on"],
                               "original_due_on": values["original_due_on"] or values["due_on"],
                               "done_on": values["done_on"]})
            slips.append(its_slips)
    writing.insert(StatusUpdate, updates)
    milestone_ids = writing.insert(Milestone, milestones)
    writing.insert(MilestoneSlip, [{"milestone_id": milestone_id, **slip}
                                   for milestone_id, its_slips in zip(milestone_ids, slips, strict=True)
                                   for slip in its_slips])
    pairs = _dependencies(entries, ordered, writing.initiative_ids)
    writing.insert(Dependency, [{"initiative_id": a, "depends_on_id": b} for a, b in pairs])
    return {"status_updates": len(updates), "milestones": len(milestones), "dependencies": len(pairs)}


def _dependencies(entries: dict, ordered: list[int], by_ref: dict[str, int]) -> list[tuple[int, int]]:
    """Each (waiting, waited-for) pair once; an initiative waiting for itself or a loop is refused."""
    refs = {initiative_id: ref for ref, initiative_id in by_ref.items()}
    edges: dict[int, list[int]] = defaultdict(list)
    pairs = []
    for index, entry in sorted(entries.items()):
        waiting = ordered[index]
        for ref in entry.get("waits_for", []):
            needed = by_ref[ref]
            if needed == waiting:
                raise DomainError({"depends_on": _("An initiative cannot wait for itself.")})
            if (waiting, needed) in pairs:
                raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s.", ref=refs[waiting],
                                                   other=refs[needed])})
            pairs.append((waiting, needed))
            edges[waiting].append(needed)
    _refuse_loops(edges, refs)
    return pairs


def _refuse_loops(edges: dict[int, list[int]], refs: dict[int, str]) -> None:
    done, on_path = set(), set()
    for start in list(edges):
        if start in done:
            continue
        stack = [(start, iter(edges.get(start, ())))]
        on_path.add(start)
        while stack:
            node, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif following in on_path:
                raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s: that would be a loop.",
                                                   ref=refs[following], other=refs[node])})
            elif following not in done:
                on_path.add(following)
                stack.append((following, iter(edges.get(following, ()))))


# -- the sheets --------------------------------------------------------------------------------------------

def status_updates_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    # Read as columns, not as whole updates and initiatives: tens of thousands of rows to print, none to change.
    ids = select(initiatives_query(organisation, wanted).with_only_columns(Initiative.id).subquery().c.id)
    query = (StatusUpdate.scoped_to(organisation).where(StatusUpdate.initiative_id.in_(ids))
             .with_only_columns(Initiative.ref, StatusUpdate.posted_on, StatusUpdate.author, StatusUpdate.status,
                                StatusUpdate.health, StatusUpdate.progress, StatusUpdate.note)
             .order_by(StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(), StatusUpdate.id.desc()))
    statuses, healths = ({key: labels.label(key) for key in labels.keys} for labels in (STATUSES, HEALTHS))
    rows = [[ref, posted_on, author, statuses.get(status) or STATUSES.label(status),
             healths.get(health) or HEALTHS.label(health), progress, note]
            for ref, posted_on, author, status, health, progress, note in db.session.execute(query)]
    return Sheet(_l("Status updates"), [Column(_l("Initiative ref")), Column(_l("Date"), "date"),
                                        Column(_l("Author")), Column(_l("Status")), Column(_l("Health")),
                                        Column(_l("Progress"), "percent"), Column(_l("Note"), width=50)], rows)


def milestones_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    ids = select(initiatives_query(organisation, wanted).with_only_columns(Initiative.id).subquery().c.id)
    query = (Milestone.scoped_to(organisation).where(Milestone.initiative_id.in_(ids))
             .options(joinedload(Milestone.initiative), selectinload(Milestone.slips))
             .order_by(Milestone.due_on, Milestone.id))
    rows = [[m.initiative.ref, m.title, m.due_on, m.original_due_on, m.done_on, len(m.slips),
             (m.due_on - m.original_due_on).days] for m in db.session.scalars(query)]
    return Sheet(_l("Milestones"), [Column(_l("Initiative ref")), Column(_l("Milestone")),
                                    Column(_l("Due"), "date"), Column(_l("Originally due"), "date"),
                                    Column(_l("Done"), "date"), Column(_l("Slips"), "whole"),
                                    Column(_l("Days slipped"), "whole")], rows)


def _everything() -> InitiativeFilter:
    """The workbook's initiatives: archived ones too."""
    return InitiativeFilter(archive="all")


# After the benefits in each initiative of the document (its keys: benefits, then status_updates, milestones,
# waits_for); in the workbook after the benefits' sheets.
TRACKING = ExchangePart(
    order=2, export=lambda _organisation, _answers: {}, check=check_tracking, write=write_tracking,
    initiatives=tracking_keys,
    sheets=(WorkbookSheet(30, lambda organisation, _scope: status_updates_sheet(organisation, _everything())),
            WorkbookSheet(40, lambda organisation, _scope: milestones_sheet(organisation, _everything()))),
    list_sheets=(ListSheet("status-updates", _l("Status updates"),
                           lambda organisation, wanted, _years, _on: status_updates_sheet(organisation, wanted)),
                 ListSheet("milestones", _l("Milestones"),
                           lambda organisation, wanted, _years, _on: milestones_sheet(organisation, wanted))))
