"""Money: rounding to cents and formatting with the organisation's currency, each in one place."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, is_currency, parse_pattern

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount half-up to whole cents: the only rounding of money in the product."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16)
def _whole_pattern(locale: str) -> str:
    return Locale.parse(locale).currency_formats["standard"].pattern.replace("0.00", "0")


@lru_cache(maxsize=32)
def _money_format(locale: str, whole: bool) -> tuple[Locale, NumberPattern]:
    """The locale and its currency pattern, parsed once: format_currency parses both on every call, which is
    most of what a report of thousands of amounts spends on them."""
    parsed = Locale.parse(locale)
    return parsed, parse_pattern(_whole_pattern(locale)) if whole else parsed.currency_formats["standard"]


def format_money(amount: Decimal | None, currency: str, locale: str = "en", whole: bool = False) -> str:
    """The amount as people read it: '€1,234.50' (en), '€ 1.234,50' (nl); whole=True drops the cents.

    An unknown amount reads as an em dash. The same as babel's format_currency with that pattern.
    """
    if amount is None:
        return "—"
    parsed, pattern = _money_format(locale, whole)
    if whole:
        rounded = to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return pattern.apply(rounded, parsed, currency=currency, currency_digits=False)
    return pattern.apply(to_cents(amount), parsed, currency=currency)


def is_known_currency(code) -> bool:
    """Whether code is an ISO 4217 currency code, written in capitals."""
    return isinstance(code, str) and len(code) == 3 and code.isupper() and is_currency(code)
