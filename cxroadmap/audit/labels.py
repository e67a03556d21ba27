"""How the trail names what happened and to what, in the reader's language; the trail itself keeps the keys.

The trail names only its own words; each area adds how its objects, actions and references are named
(`AuditNames`, registered when the area loads), the way pretix registers its log entry types.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cxroadmap.areas import contributions, registry
from cxroadmap.choices import KEYED_LABELS
from cxroadmap.i18n import _l


@dataclass(frozen=True)
class Reference:
    """How to name the object a recorded `<field>_id` points to: its model, and what to say of it."""

    model: type
    say: Callable[[Any], str]

    def __call__(self, identity: int) -> str | None:
        from cxroadmap.extensions import db

        found = db.session.get(self.model, identity)
        return self.say(found) if found is not None else None


@dataclass(frozen=True)
class AuditNames:
    """What an area adds to how the trail speaks: the names of its kinds of object (by the English name they are
    recorded with), of its actions and fields, how to name what its recorded ids point to, and fields that record
    keys of the organisation's own things (a function of the organisation's id giving {key: name})."""

    objects: Mapping[str, Any] = field(default_factory=dict)
    actions: Mapping[str, Any] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)
    references: Mapping[str, Reference] = field(default_factory=dict)
    organisation_keys: Mapping[str, Callable[[int], dict[str, str]]] = field(default_factory=dict)


# The trail's own words; the areas add theirs.
OBJECT_NAMES = {"Organisation": _l("Organisation")}
ACTION_NAMES = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"), "archive": _l("archived"),
    "restore": _l("restored"), "access_refused": _l("access refused"),
}


def _names(part: str, own: Mapping) -> dict:
    """The trail's own names of one part (objects, actions …) with every area's, merged once per app."""
    def merge() -> dict:
        merged = dict(own)
        for names in contributions(AuditNames):
            merged.update(getattr(names, part))
        return merged
    return registry().derived(("audit names", part), merge)


def object_name(kind: str | None) -> str:
    """What kind of object an event is about, as the reader says it; an unknown kind reads as kept."""
    return str(_names("objects", OBJECT_NAMES).get(kind, kind or ""))


def action_name(action: str) -> str:
    return str(_names("actions", ACTION_NAMES).get(action, action.replace("_", " ")))


# The fields as the forms name them. A field not listed reads as its key with spaces.
FIELD_NAMES = {
    "title": _l("Title"), "description": _l("Description"), "status": _l("Status"), "health": _l("Health"),
    "progress": _l("Progress"), "start_date": _l("Start"), "due_date": _l("Due"), "due_on": _l("Due"),
    "owner_id": _l("Owner"), "readiness_question": _l("Readiness question"), "target_stage": _l("Target stage"),
    "one_off_cost": _l("One-off cost"), "annual_running_cost": _l("Running cost a year"),
    "archived": _l("Archived"), "kind": _l("Kind"), "annual_amount": _l("Amount a year"), "volume": _l("Volume"),
    "rate": _l("Rate"), "unit_value": _l("Value per unit"), "confidence": _l("Confidence"),
    "starts_on": _l("Starts on"), "ramp_months": _l("Ramp-up (months)"), "name": _l("Name"), "email": _l("Email"),
    "function": _l("Function"), "coalition_role": _l("Role in the coalition"), "active": _l("Active"),
    "role": _l("Role"), "note": _l("Note"), "amount": _l("Amount"), "month": _l("Month"), "ref": _l("Ref"),
    "stage": _l("Stage"), "assessed_on": _l("Assessed on"), "assessed_by": _l("Assessed by"),
    "rationale": _l("Rationale"), "question": _l("Question"), "score": _l("Score"), "evidence": _l("Evidence"),
    "statement": _l("Statement"), "touchpoints": _l("Touchpoints"), "logged_on": _l("Logged on"),
    "logged_by": _l("Logged by"), "held_on": _l("Held on"), "minutes": _l("Minutes"), "text": _l("Text"),
    "done_on": _l("Done on"), "posted_on": _l("Date"), "author": _l("By"), "original_due_on": _l("First due date"),
    "brand_promise": _l("Brand promise"), "currency": _l("Currency"), "discount_rate": _l("Discount rate"),
    "target_date": _l("Target date"), "locale": _l("Language"), "slug": _l("Web address"),
    "depends_on_id": _l("Waits for"), "user_id": _l("Person"), "team_id": _l("Team"), "meeting_id": _l("Meeting"),
    "initiative_id": _l("Initiative"), "kind_label": _l("Kind"), "other_items": _l("Other items"),
    "require_two_factor": _l("Two-factor sign-in required"), "filename": _l("File"), "issued_at": _l("Issued"),
    "issued_by": _l("By"), "site_admin": _l("Site administrator"), "totp_enabled": _l("Two-factor sign-in"),
    "logo_width": _l("Logo width (pixels)"), "logo_height": _l("Logo height (pixels)"),
}
# Keys that say nothing to a reader of one organisation's trail.
HIDDEN_FIELDS = {"id", "organisation_id", "sha256", "size", "benefit_id", "milestone_id", "logo_sha256"}


def field_name(key: str) -> str:
    """A changed field as the reader's forms name it."""
    return str(_names("fields", FIELD_NAMES).get(key, key.replace("_", " ")))


def references() -> dict[str, Reference]:
    """`<field>_id` -> how to name the object with that id (None when it is gone), from the areas that own those
    objects, so that the trail says "Owner: Daan Mulder", never "owner_id: 5"."""
    return _names("references", {})


# Who acted, when it was the product itself rather than a person: recorded in English, read in the reader's language.
ACTOR_NAMES = {"system": _l("system"), "anonymous": _l("anonymous"), "command line": _l("command line")}


def actor_text(label: str | None) -> str:
    """Who acted, as recorded ("command line: import x.json"), with the product's own words in the reader's
    language ("opdrachtregel: import x.json"); a person's name or address is left as it is."""
    label = label or ""
    for word, name in ACTOR_NAMES.items():
        if label == word or label.startswith(f"{word}: "):
            return f"{name}{label[len(word):]}"
    return label



def value_text(key: str, value, organisation_id: int | None = None) -> str:
    """A recorded value as the reader would see it on a page: labels for keys, names for ids and for the
    organisation's own keys, local dates."""
    from datetime import date, datetime

    from cxroadmap.i18n import format_day, format_moment

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    reference = references().get(key)
    if reference is not None and isinstance(value, int):
        return reference(value) or f"#{value}"
    organisation_keys = _names("organisation_keys", {})
    if key in organisation_keys and organisation_id is not None and isinstance(value, list):
        names = organisation_keys[key](organisation_id)
        return ", ".join(names.get(item, str(item)) for item in value) or "—"
    if isinstance(value, str):
        if len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
            try:
                if len(value) == 10:
                    return format_day(date.fromisoformat(value))
                return format_moment(datetime.fromisoformat(value))
            except ValueError:
                return value
        label = KEYED_LABELS.get(value)
        if label is not None:
            return str(label)
        if key.endswith("_by"):  # who issued, recorded, opened …: the product's own words in the reader's language
            return actor_text(value)
    if isinstance(value, list):
        return ", ".join(value_text(key, item) for item in value)
    return str(value)


def preload(events) -> list:
    """Load every object the events' recorded ids name, one query per kind, so naming them asks nothing more.

    Keep what it returns while the page is drawn: the session holds loaded objects only as long as someone does.
    """
    from sqlalchemy import select

    from cxroadmap.extensions import db

    wanted: dict = {}
    for event in events:
        for key, change in (event.changes or {}).items():
            model = getattr(references().get(key), "model", None)
            if model is not None and isinstance(change, list):
                wanted.setdefault(model, set()).update(v for v in change if isinstance(v, int))
    return [found for model, ids in wanted.items()
            for found in db.session.scalars(select(model).where(model.id.in_(ids)))]


def visible_changes(changes: dict, organisation_id: int | None = None) -> list[tuple[str, str | None, str]]:
    """(field name, before or None, after) for the fields a reader cares about, in their words (the things of
    organisation_id named as they are called now).

    A change is [before, after]; a summary (an import's counts) records a value alone, shown as the after."""
    return [(field_name(key), None, value_text(key, change, organisation_id)) if not _is_change(change)
            else (field_name(key), None if change[0] is None else value_text(key, change[0], organisation_id),
                  value_text(key, change[1], organisation_id))
            for key, change in changes.items() if key not in HIDDEN_FIELDS]


def _is_change(value) -> bool:
    return isinstance(value, list) and len(value) == 2
