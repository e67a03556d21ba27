"""Reading decimals that people type and writing them back in one canonical form."""

import re
from decimal import Decimal, InvalidOperation

from cxroadmap.i18n import _

_GROUPED_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_GROUPED_BY_DOTS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_NOISE = re.compile(r"[\s_'\u00a0\u202f€$£¥]")


def parse_decimal(text: str, *, allow_percent: bool = False, decimal_comma: bool = False) -> Decimal:
    """Read a number as typed: '1234.5', '1,234.50', '1.234,50', '12,5'; with allow_percent '5%' is 0.05.

    With one kind of separator the reader's habit decides: with decimal_comma (Dutch) '12.500' is twelve
    thousand five hundred and '12,500' is twelve and a half; without it (English), the other way round.
    Raises ValueError with a short reason when it is not a finite number.
    """
    raw = _NOISE.sub("", str(text))
    percent = raw.endswith("%")
    if percent:
        if not allow_percent:
            raise ValueError(_("not a number"))
        raw = raw[:-1]
    if "," in raw and "." in raw:
        # The separator that comes last is the decimal one; the other groups thousands.
        thousands = "," if raw.rfind(",") < raw.rfind(".") else "."
        raw = raw.replace(thousands, "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", "") if _GROUPED_THOUSANDS.match(raw) and not decimal_comma else raw.replace(",", ".")
    elif decimal_comma and _GROUPED_BY_DOTS.match(raw):
        raw = raw.replace(".", "")
    if not raw or not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", raw):
        raise ValueError(_("not a number"))
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only decimals
        raise ValueError(_("not a number")) from exc
    return value / 100 if percent else value


_STRICT_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def parse_strict_decimal(text) -> Decimal:
    """Read a decimal string as the exchange format writes it ('-12.50', '0.08'); ValueError otherwise."""
    if not isinstance(text, str) or not _STRICT_DECIMAL.fullmatch(text):
        raise ValueError(_("not a decimal"))
    return Decimal(text)


def decimal_text(value: Decimal | None, places: int | None = None) -> str | None:
    """The canonical text of a decimal: fixed places when given, else no trailing zeros, never exponent."""
    if value is None:
        return None
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text
