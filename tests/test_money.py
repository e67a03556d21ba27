"""Amounts as people read them: the product's formatter says exactly what babel's format_currency says."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_currency

from cxroadmap.money import _whole_pattern, format_money, to_cents

AMOUNTS = [Decimal(text) for text in ("0", "-0.00", "0.005", "-0.005", "1", "12.5", "999.995", "1234.5",
                                      "-1234.56", "1000000", "999999999999.99", "-999999999999.99", "0.4999")]


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "JPY", "CHF", "BHD"])
def test_amounts_read_as_babel_writes_them(locale, currency):
    for amount in AMOUNTS:
        assert format_money(amount, currency, locale) == format_currency(to_cents(amount), currency, locale=locale)
        whole = to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        assert format_money(amount, currency, locale, whole=True) == format_currency(
            whole, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False)


def test_the_familiar_forms():
    assert format_money(Decimal("1234.5"), "EUR", "en") == "€1,234.50"
    assert format_money(Decimal("1234.5"), "EUR", "nl") == "€\u00a01.234,50"
    assert format_money(Decimal("1234.5"), "EUR", "en", whole=True) == "€1,235"
    assert format_money(None, "EUR") == "—"
