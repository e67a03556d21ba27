"""Scores and gaps written as the reader's language writes numbers: '+0.5', '−1.25', '5,8'."""

from decimal import Decimal

from babel.numbers import format_decimal

from cxroadmap.i18n import current_language

# Babel's minus is a hyphen; a real minus sign reads better beside a plus and never looks like a dash.
MINUS = "\u2212"


def format_gap(gap: Decimal | None) -> str:
    """A gap with its sign, one or two decimals; none reads as an em dash."""
    if gap is None:
        return "—"
    text = format_decimal(abs(gap), format="#,##0.0#", locale=current_language())
    if gap > 0:
        return "+" + text
    if gap < 0:
        return MINUS + text
    return text


def format_score(score: Decimal | None) -> str:
    """A 1–7 score with one or two decimals; none reads as an em dash."""
    if score is None:
        return "—"
    return format_decimal(score, format="#,##0.0#", locale=current_language())
