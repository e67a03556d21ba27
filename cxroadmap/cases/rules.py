"""The alert rule and the root-cause list as pure functions: which answer opens a case, and how causes are named."""

import re
from dataclasses import dataclass

from cxroadmap.cases.kinds import DEFAULT_ROOT_CAUSES
from cxroadmap.i18n import _
from cxroadmap.measures.feedback import FeedbackAnswer


@dataclass(frozen=True)
class AlertRule:
    """At or below each threshold an answer opens a case; None: that measure opens none."""

    nps_at_most: int | None = 6
    csat_at_most: int | None = 2
    ces_at_most: int | None = 3
    gap_at_most: int | None = -2

    def threshold(self, measure: str | None) -> int | None:
        return {"nps": self.nps_at_most, "csat": self.csat_at_most, "ces": self.ces_at_most}.get(measure or "")


def meets_rule(rule: AlertRule, answer: FeedbackAnswer) -> bool:
    """Whether the answer's headline score or its touchpoint gap is at or below the rule's line."""
    line = rule.threshold(answer.measure)
    if line is not None and answer.score is not None and answer.score <= line:
        return True
    gap = answer.gap
    return rule.gap_at_most is not None and gap is not None and gap <= rule.gap_at_most


def cause_key(name: str) -> str:
    """A stable key from an English name: "Late delivery" → late-delivery."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:64] or "cause"


def causes_as_text(causes: list[dict]) -> str:
    """The list as the settings form shows it: one cause a line, English | Dutch."""
    return "\n".join(f"{cause['en']} | {cause['nl']}" for cause in causes)


def read_causes(text: str) -> tuple[list[dict], list[str]]:
    """The causes in the settings form's text, and a message per line that cannot be one (all at once)."""
    causes, problems, keys = [], [], {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        english, bar, dutch = (part.strip() for part in line.partition("|"))
        if not bar or not english or not dutch:
            problems.append(_("Line %(line)s: write the English name, a bar and the Dutch name "
                              "(Late delivery | Te late levering).", line=number))
            continue
        if len(english) > 100 or len(dutch) > 100:
            problems.append(_("Line %(line)s: at most 100 characters a name.", line=number))
            continue
        key = cause_key(english)
        if key in keys:
            problems.append(_("Line %(line)s: the same cause as line %(other)s.", line=number, other=keys[key]))
            continue
        keys[key] = number
        causes.append({"key": key, "en": english, "nl": dutch})
    if len(causes) > 40:
        problems.append(_("At most 40 root causes."))
    return causes, problems


def keep_keys(old: list[dict], new: list[dict]) -> list[dict]:
    """The new list, each cause keeping the key it had when its English or its Dutch name is unchanged, so that
    renaming a cause in one language leaves the cases that name it alone."""
    by_name = {}
    for cause in old:
        by_name.setdefault(("en", cause["en"].casefold()), cause["key"])
        by_name.setdefault(("nl", cause["nl"].casefold()), cause["key"])
    kept, taken = [], set()
    for cause in new:
        key = by_name.get(("en", cause["en"].casefold())) or by_name.get(("nl", cause["nl"].casefold()))
        key = key if key and key not in taken else cause["key"]
        taken.add(key)
        kept.append({**cause, "key": key})
    return kept


def causes_or_defaults(kept: list | None) -> list[dict]:
    return list(kept) if kept else [dict(cause) for cause in DEFAULT_ROOT_CAUSES]


def cause_name(causes: list[dict], key: str, language: str) -> str:
    """The cause's name in language ("en" or "nl"); a cause since taken off the list reads as its key."""
    if not key:
        return ""
    for cause in causes:
        if cause["key"] == key:
            return cause["nl" if language == "nl" else "en"]
    return key
