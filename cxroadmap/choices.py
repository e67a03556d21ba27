"""Enumerations with labels: defined once, used by forms, pages, exchange and reports alike."""

from collections.abc import Mapping
from typing import NamedTuple

from cxroadmap.i18n import _, _l

# Every key of every enumeration with its label, first definition wins: how a bare key recorded in the audit
# trail ("in_progress") is read back as its label.
KEYED_LABELS: dict = {}


class Choice(NamedTuple):
    key: str
    label: str
    description: str = ""


class Choices:
    """An ordered, closed set of keys, each with a label and an optional description."""

    def __init__(self, *choices: Choice):
        self._by_key = {choice.key: choice for choice in choices}
        for choice in choices:  # so that the audit trail can name a recorded key the way pages do
            KEYED_LABELS.setdefault(choice.key, choice.label)

    @classmethod
    def of(cls, table: Mapping[str, Mapping[str, str]]) -> "Choices":
        """The choices of a table in a texts file (`i18n.texts_beside`), in the file's order: each key with its
        label and, where it has one, its description."""
        return cls(*(Choice(key, _l(texts["label"]), _l(texts["description"]) if "description" in texts else "")
                     for key, texts in table.items()))

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self):
        return len(self._by_key)

    def __contains__(self, key) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Choice:
        return self._by_key[key]

    @property
    def keys(self) -> list[str]:
        return list(self._by_key)

    def label(self, key: str | None) -> str:
        """The label for key; an unknown or empty key reads as an em dash."""
        choice = self._by_key.get(key)
        return str(choice.label) if choice else "—"

    def position(self, key: str) -> int:
        """1-based place of key in the order, as used on scales."""
        return self.keys.index(key) + 1

    def form_choices(self, blank: str | None = None) -> list[tuple[str, str]]:
        pairs = [(c.key, c.label) for c in self]
        return ([("", blank)] + pairs) if blank is not None else pairs

    def describe(self) -> str:
        """'Use one of a, b, c.': the message for a value that is not one of the keys."""
        return _("Use one of %(keys)s.", keys=", ".join(self.keys))
