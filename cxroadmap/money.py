"""Money: rounding to cents and formatting with the organisation's currency, each in one place."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, is_currency, parse_pattern

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Amounts under this many units keep their cents when shown (see format_money).
CENTS_SHOWN_BELOW = Decimal(100)


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


_SAMPLES = (Decimal(0), Decimal(7), Decimal(999), Decimal(1000), Decimal(1234), Decimal(999999), Decimal(1234567),
            Decimal(-1), Decimal(-1234567), Decimal("-0"))


@lru_cache(maxsize=64)
def _whole_layout(locale: str, currency: str) -> tuple[str, str, str, str, str] | None:
    """How babel writes a whole amount in this locale and currency, read off its own answers once: the text
    before and after the digits (for amounts from zero up, and below zero) and the group separator. None when
    the samples do not all come out exactly as babel writes them; then babel writes every amount."""
    parsed, pattern = _money_format(locale, True)

    def babel(amount: Decimal) -> str:
        return pattern.apply(amount, parsed, currency=currency, currency_digits=False)

    layout = []
    for sample in ("1234567", "-1234567"):
        written = babel(Decimal(sample))
        first, last = written.find("1"), written.rfind("7")
        digits = written[first:last + 1]
        separator = digits[1:1 + (len(digits) - 7) // 2]
        if first < 0 or digits != separator.join(("1", "234", "567")):
            return None
        layout += [written[:first], written[last + 1:]]
    layout.append(separator)
    if any(_whole(sample, tuple(layout)) != babel(sample) for sample in _SAMPLES):
        return None
    return tuple(layout)


def _whole(rounded: Decimal, layout: tuple[str, str, str, str, str]) -> str:
    before, after, negative_before, negative_after, separator = layout
    digits = f"{abs(int(rounded)):,}".replace(",", separator)
    return f"{negative_before}{digits}{negative_after}" if rounded.is_signed() else f"{before}{digits}{after}"


def format_money(amount: Decimal | None, currency: str, locale: str = "en", whole: bool = True) -> str:
    """The amount as people read it: '€1,235' (en), '€ 1.235' (nl); an unknown amount reads as an em dash.

    One rule for every page, report, chart and email: amounts are read in whole units, rounded half-up from the
    cents they are kept in, so a headline figure and the table beside it look alike. Cents are shown where
    they are the figure: for the value of one unit (whole=False: '€1,234.50', '€ 1.234,50'), a benefit's
    driver such as '€4.50 a call', and for any amount under a hundred that has them ('€12.50', never '€13':
    rounding would change it by up to 4 %). Forms and spreadsheets keep every cent typed. The same as babel's
    format_currency with that pattern.
    """
    if amount is None:
        return "—"
    if whole and cents_matter(amount):
        whole = False
    parsed, pattern = _money_format(locale, whole)
    if whole:
        rounded = to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        layout = _whole_layout(locale, currency)  # babel's own layout, read once (reports write thousands)
        if layout is not None:
            return _whole(rounded, layout)
        return pattern.apply(rounded, parsed, currency=currency, currency_digits=False)
    return pattern.apply(to_cents(amount), parsed, currency=currency)


def cents_matter(amount: Decimal) -> bool:
    """Whether rounding this amount to whole units would hide cents that matter: under a hundred, with cents."""
    cents = to_cents(amount)
    return abs(cents) < CENTS_SHOWN_BELOW and cents != cents.to_integral_value()


def is_known_currency(code) -> bool:
    """Whether code is an ISO 4217 currency code, written in capitals."""
    return isinstance(code, str) and len(code) == 3 and code.isupper() and is_currency(code)
