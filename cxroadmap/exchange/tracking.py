"""The optional tracking keys of a cxroadmap/1 document's initiatives: history, milestones, dependencies and
realised amounts, checked with their JSON paths (exchange.bulk writes them). The meetings are the governance's
part (governance/exchange.py)."""

from cxroadmap.exchangekit.reading import plain_items, with_defaults
from cxroadmap.i18n import _
from cxroadmap.initiatives.states import HEALTHS, STATUSES

UPDATE = {"posted_on": ("date", True), "author": ("text", False), "status": ("text", True),
          "health": ("text", True), "progress": ("integer", True), "note": ("text", False)}
MILESTONE = {"title": ("text", True), "due_on": ("date", True), "original_due_on": ("date", False),
             "done_on": ("date", False)}
SLIP = {"moved_on": ("date", True), "from_date": ("date", True), "to_date": ("date", True),
        "author": ("text", False)}
ACTUAL = {"month": ("date", True), "amount": ("decimal", True), "note": ("text", False)}


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


def check_governance(reader, document, initiatives) -> dict:
    """The optional keys of every initiative, checked; what they hold, ready to write."""
    refs = {i["ref"] for i, _ in initiatives if i}
    governance = {"initiatives": {}}
    for index, item in enumerate(document.get("initiatives") or []):
        if isinstance(item, dict):
            governance["initiatives"][index] = _check_tracking(reader, item, f"initiatives[{index}]", refs)
    _check_loops(reader, document, governance["initiatives"])
    return governance


def _check_tracking(reader, item: dict, path: str, refs: set[str]) -> dict:
    """One initiative's status history, milestones with their slips, dependencies and realised amounts."""
    entry = {}
    updates = plain_items(reader, item, "status_updates", path, UPDATE)
    if updates is not None:
        for where, _index, values in updates:
            if values["status"] not in STATUSES:
                reader.note(f"{where}.status", STATUSES.describe())
            if values["health"] not in HEALTHS:
                reader.note(f"{where}.health", HEALTHS.describe())
            if not 0 <= values["progress"] <= 100:
                reader.note(f"{where}.progress", _("Progress is a whole percentage from 0 to 100."))
        entry["status_updates"] = [with_defaults(values) for _, _, values in updates]
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
    actuals = {}
    for number, benefit in enumerate(item.get("benefits") or []):
        found = plain_items(reader, benefit, "actuals", f"{path}.benefits[{number}]", ACTUAL)
        if found:
            actuals[number] = [with_defaults(values) for _, _, values in found]
    entry["actuals"] = actuals
    return entry
