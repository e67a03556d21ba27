"""The building blocks of the API's request and response shapes (pydantic), which validate requests and are the
OpenAPI document: bounded numbers, lines, decimals as strings, days, moments, pages, the problem document. Each
area defines its own shapes from them in its api module."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema

from cxroadmap.access import ROLES
from cxroadmap.choices import Choices
from cxroadmap.stages import STAGES


def one_of(choices: Choices) -> type:
    """A key of these choices: the document lists the keys, and a request giving another is refused (422)."""
    return Literal[tuple(choices.keys)]


Stage = one_of(STAGES)
Role = one_of(ROLES)
# What a query may carry as text, and a one-line field: no control characters (the app refuses a query holding one
# with 400, and a line break in a name with 422).
PLAIN = r"^[^\x00-\x1f\x7f]*$"


def decimal_string(pattern: str, example: str) -> type:
    """A decimal travelling as a string matching pattern ("1250.00"): exact, never a float. The pattern is the
    whole rule (digits, places, range), so the document says exactly what is accepted."""
    compiled = re.compile(pattern)

    def read(value):
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"a decimal string like {example}")
        return Decimal(value)

    return Annotated[Decimal, PlainValidator(read), WithJsonSchema({"type": "string", "pattern": pattern,
                                                                     "examples": [example]})]


def whole(low: int, high: int) -> type:
    """A whole number from low to high; JSON's 21.0 is one too, "21" is not. (The bounds stand before the
    validator, so that the document says them as minimum and maximum.)"""
    return Annotated[int, Field(ge=low, le=high),
                     BeforeValidator(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)]


def line(most: int, least: int = 0) -> type:
    """One line of text: no line break or other control character."""
    return Annotated[str, Field(min_length=least, max_length=most, pattern=PLAIN)]


# Up to 12 digits before the point and 2 after, not negative: initiatives.services.MAX_MONEY (a test holds them
# together).
Money = decimal_string(r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "12500.50")
# A day from 1900 to 2199, as YYYY-MM-DD.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31)), WithJsonSchema(
    {"type": "string", "format": "date", "pattern": r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"})]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
Text = Annotated[str, Field(max_length=20000)]
Percentage = whole(0, 100)
# Stored in UTC; SQLite hands them back without the zone, the API always says it.
Moment = Annotated[datetime, AfterValidator(lambda moment: moment if moment.tzinfo else moment.replace(tzinfo=UTC))]
CURSOR = r"^c[0-9a-z]{1,8}$"
EMAIL = line(254)


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(ser_json_timedelta="iso8601")


# -- lists ---------------------------------------------------------------------------------------------

class Page(Query):
    limit: Annotated[int, Field(ge=1, le=200, description="How many items at most (default 50).")] = 50
    cursor: Annotated[str | None, Field(pattern=CURSOR, description="Where the next page starts: copy it "
                                                                     "from the Link header.")] = None


# -- errors --------------------------------------------------------------------------------------------

class Problem(Response):
    """RFC 9457: what went wrong; `errors` names each field the way the forms do."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: dict[str, str] | None = None
