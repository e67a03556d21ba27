"""Reading typed values out of a JSON document, noting each problem against its JSON path."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from cxroadmap.decimals import parse_strict_decimal
from cxroadmap.i18n import _
from cxroadmap.timeutil import aware
from cxroadmap.validation import tidy

MISSING = object()

@dataclass
class Reader:
    """Reads typed values out of JSON objects, noting each problem against its path."""

    problems: list[str] = field(default_factory=list)

    def note(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.note(path, _("not an object"))
            return None
        return value

    def items(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.note(f"{path}{key}", _("not a list"))
            return []
        return value

    def get(self, parent: dict, key: str, path: str, kind: str, required: bool = True):
        """parent[key] read as kind (text, decimal, date, integer, boolean, strings).

        An optional key may be absent or null (None); MISSING marks a value that could not be read.
        """
        value = parent.get(key, MISSING)
        if value is MISSING or value is None:
            if required:
                self.note(f"{path}.{key}" if path else key, _("missing") if value is MISSING else _("must not be null"))
                return MISSING
            return None
        try:
            return _READERS[kind](value)
        except ValueError as exc:
            self.note(f"{path}.{key}" if path else key, str(exc))
            return MISSING


def _text(value):
    if not isinstance(value, str):
        raise ValueError(_("not a string"))
    return value


def _decimal(value):
    return parse_strict_decimal(value)


def _date(value):
    if not isinstance(value, str):
        raise ValueError(_("not an ISO date"))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("not an ISO date (YYYY-MM-DD)")) from None


def _moment(value):
    """An ISO moment with its time zone, read as UTC."""
    if not isinstance(value, str):
        raise ValueError(_("not an ISO moment"))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(_("not an ISO moment (YYYY-MM-DDTHH:MM:SS+00:00)")) from None
    if moment.tzinfo is None:
        raise ValueError(_("not an ISO moment (YYYY-MM-DDTHH:MM:SS+00:00)"))
    return moment.astimezone(UTC)


def _integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("not a whole number"))
    return value


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError(_("not true or false"))
    return value


def _strings(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(_("not a list of strings"))
    return value


_READERS = {"text": _text, "decimal": _decimal, "date": _date, "moment": _moment, "integer": _integer,
            "boolean": _boolean, "strings": _strings}


def read_fields(reader: Reader, item: dict, path: str, spec: dict[str, tuple[str, bool]]) -> dict | None:
    """The item's fields per spec {name: (kind, required)}; None when any could not be read."""
    values = {name: reader.get(item, name, path, kind, required) for name, (kind, required) in spec.items()}
    return None if any(value is MISSING for value in values.values()) else values


def read_object(reader: Reader, item, path: str, spec: dict[str, tuple[str, bool]]) -> dict | None:
    """The fields of the object at path per spec, as read_fields reads them; None when it is not an object or any
    field could not be read (each problem noted)."""
    if reader.obj(item, path) is None:
        return None
    return read_fields(reader, item, path, spec)


def report_checks(reader: Reader, path: str, problems: dict, rename: dict | None = None) -> None:
    for name, message in problems.items():
        name = (rename or {}).get(name, name)
        reader.note(f"{path}.{name}" if name else path, message)


_TEXT_DEFAULTS = ("brand_promise", "assessed_by", "rationale", "evidence", "function", "title", "logged_by",
                  "description")


def with_defaults(values: dict) -> dict:
    for name in _TEXT_DEFAULTS:
        if name in values and values[name] is None:
            values[name] = ""
    return {name: tidy(value) if isinstance(value, str) and name != "slug" else value
            for name, value in values.items()}


def read_items(reader: Reader, parent: dict, key: str, path: str, spec: dict) -> Iterator[tuple[str, dict, dict]]:
    """(its path, the object, its fields) of each object in the list under key whose fields read per spec; what
    could not be read is noted, at the path of the item (path "": the document's own list)."""
    prefix = f"{path}." if path else ""
    for index, item in enumerate(reader.items(parent, key, prefix)):
        where = f"{prefix}{key}[{index}]"
        values = read_object(reader, item, where, spec)
        if values is not None:
            yield where, item, values


def plain_items(reader, parent, key, path, spec) -> list[tuple[str, dict, dict]] | None:
    """The list under an optional key, as read_items reads it; None when the key is absent."""
    if not isinstance(parent, dict) or key not in parent:
        return None
    return list(read_items(reader, parent, key, path, spec))


def moment_text(value: datetime | None) -> str | None:
    """A stored moment as ISO text in UTC, as every export writes it."""
    return aware(value).astimezone(UTC).isoformat() if value else None


def read_one(reader: Reader, item, path: str, spec: dict, check, prepare=None) -> dict | None:
    """One object read per spec, its texts tidied, prepared (prepare(values)) and checked (check(values): the
    service's {field: problem}); None when it could not be read."""
    values = read_object(reader, item, path, spec)
    if values is None:
        return None
    values = with_defaults(values)
    if prepare:
        values = prepare(values)
    report_checks(reader, path, check(values))
    return values


def read_each(reader: Reader, document: dict, key: str, spec: dict, check, prepare=None) -> list[dict | None]:
    """Every object of the list under key, each as read_one reads it."""
    return [read_one(reader, item, f"{key}[{index}]", spec, check, prepare)
            for index, item in enumerate(reader.items(document, key, ""))]


def note_repeats(reader: Reader, key: str, values: list, field_name: str, message: str) -> None:
    """Note, at key[index].field_name, every value (None: one that did not read) met before in the list."""
    seen = set()
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            reader.note(f"{key}[{index}].{field_name}", message)
        seen.add(value)
