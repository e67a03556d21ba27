"""Amounts as people read them: the product's formatter says exactly what babel's format_currency says."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_currency

from cxroadmap.money import _whole_pattern, cents_matter, format_money, to_cents

AMOUNTS = [Decimal(text) for text in ("0", "-0.00", "0.005", "-0.005", "1", "12.5", "999.995", "1234.5",
                                      "-1234.56", "1000000", "999999999999.99", "-999999999999.99", "0.4999")]


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "JPY", "CHF", "BHD"])
def test_amounts_read_as_babel_writes_them(locale, currency):
    for amount in AMOUNTS:
        assert format_money(amount, currency, locale, whole=False) == format_currency(
            to_cents(amount), currency, locale=locale)
        assert format_money(amount, currency, locale) == _as_babel_writes(amount, currency, locale)


def _as_babel_writes(amount: Decimal, currency: str, locale: str) -> str:
    """Babel's text for an amount read the product's way: whole units, but cents under a hundred that has them."""
    if cents_matter(amount):
        return format_currency(to_cents(amount), currency, locale=locale)
    whole = to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_currency(whole, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False)


def test_the_familiar_forms():
    # One rule: amounts are read in whole units; cents only when asked for (the value of one unit).
    assert format_money(Decimal("1234.5"), "EUR", "en") == "€1,235"
    assert format_money(Decimal("1234.5"), "EUR", "nl") == "€\u00a01.235"
    assert format_money(Decimal("1234.5"), "EUR", "en", whole=False) == "€1,234.50"
    assert format_money(Decimal("1234.5"), "EUR", "nl", whole=False) == "€\u00a01.234,50"
    assert format_money(None, "EUR") == "—"


def test_cents_are_kept_where_they_are_the_figure():
    # €12.50 is not €13: under a hundred, an amount with cents keeps them; whole amounts and large ones do not.
    assert format_money(Decimal("12.5"), "EUR", "en") == "€12.50"
    assert format_money(Decimal("12.5"), "EUR", "nl") == "€\u00a012,50"
    assert format_money(Decimal("-99.99"), "EUR", "en") == "-€99.99"
    assert format_money(Decimal("12"), "EUR", "en") == "€12"
    assert format_money(Decimal("12.004"), "EUR", "en") == "€12"
    assert format_money(Decimal("99.995"), "EUR", "en") == "€100"
    assert format_money(Decimal("100.50"), "EUR", "en") == "€101"


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_whole_amounts_read_as_babel_writes_them_in_every_currency(locale):
    # Whole amounts are written from babel's own layout, read once per currency (reports write thousands).
    from babel.numbers import list_currencies

    amounts = AMOUNTS + [Decimal(n) for n in (7, 10, 999, 1000, 1001, 12345, 123456, 1234567, -999, -1000,
                                               -123456789, 10 ** 15)]
    for currency in sorted(list_currencies()):
        for amount in amounts:
            assert format_money(amount, currency, locale) == _as_babel_writes(amount, currency, locale), (
                currency, amount)
