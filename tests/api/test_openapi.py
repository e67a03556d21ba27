"""The OpenAPI document says what the API checks, in words JSON Schema and OpenAPI know: a linter of OpenAPI
documents finds no error in it, bounds are minimum and maximum, decimals and dates carry their patterns, and every
write says it may answer 412."""

import re
from decimal import Decimal

import pytest
from openapi_spec_validator import validate
from pydantic import ValidationError

from cxroadmap.apikit import schemas
from cxroadmap.initiatives.services import MAX_MONEY
from cxroadmap.journey.api import Score17
from cxroadmap.measures.api import ReadingValue
from cxroadmap.measures.services import MAX_VALUE

# JSON Schema 2020-12's keywords (core, applicator, validation, meta-data, format, content) and OpenAPI 3.1's own.
KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "$anchor", "$dynamicRef", "$dynamicAnchor", "$comment", "$vocabulary",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
    "properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems",
    "unevaluatedProperties", "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains",
    "minContains", "maxProperties", "minProperties", "required", "dependentRequired", "title", "description",
    "default", "deprecated", "readOnly", "writeOnly", "examples", "format", "contentEncoding", "contentMediaType",
    "contentSchema", "discriminator", "xml", "externalDocs", "example",
}


@pytest.fixture
def document(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _schemas(document):
    """Every schema object in the document, with where it is."""
    found = [(f"components.{name}", schema) for name, schema in document["components"]["schemas"].items()]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            found += [(f"{method} {path} {p['name']}", p["schema"]) for p in operation["parameters"]]
    every = []
    while found:
        where, schema = found.pop()
        if not isinstance(schema, dict):
            continue
        every.append((where, schema))
        for key in ("properties", "$defs", "patternProperties"):
            found += [(f"{where}.{name}", inner) for name, inner in schema.get(key, {}).items()]
        for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
            found += [(f"{where}[{n}]", inner) for n, inner in enumerate(schema.get(key, []))]
        for key in ("items", "additionalProperties", "not", "contains"):
            if isinstance(schema.get(key), dict):
                found.append((f"{where}.{key}", schema[key]))
    return every


def test_a_linter_of_openapi_documents_finds_no_error(document):
    validate(document)  # openapi-spec-validator, against OpenAPI 3.1's own schema; raises on any error


def test_every_schema_uses_only_words_json_schema_knows(document):
    unknown = {(where, key) for where, schema in _schemas(document) for key in schema if key not in KEYWORDS}
    assert not unknown  # pydantic wrote "ge"/"le" for progress and respondents, which clients ignore


def test_bounds_decimals_and_dates_are_said(document):
    found = document["components"]["schemas"]
    progress = found["InitiativeCreate"]["properties"]["progress"]
    assert (progress["minimum"], progress["maximum"]) == (0, 100)
    respondents = found["KpiReadingCreate"]["properties"]["respondents"]["anyOf"][0]
    assert (respondents["minimum"], respondents["maximum"]) == (0, 1_000_000_000)
    for model, field in (("InitiativeCreate", "one_off_cost"), ("KpiReadingCreate", "value"),
                         ("TouchpointScoreCreate", "expectation"), ("InitiativeCreate", "due_date")):
        schema = found[model]["properties"][field]
        schema = schema["anyOf"][0] if "anyOf" in schema else schema  # or null, where it may be left out
        assert schema["type"] == "string" and schema["pattern"], (model, field)


@pytest.mark.parametrize("kind, accepted, refused", [
    (schemas.Money, ["0", "12500.50", str(MAX_MONEY)], ["1000000000000", "1.005", "-1", "1e3", " 1", "", "+1"]),
    (ReadingValue, ["-42.5", str(MAX_VALUE), "0.0001"], [str(MAX_VALUE + 1), "1.00001", "NaN", "1,5"]),
    (Score17, ["1", "5.50", "7", "7.00", "6.99"], ["0.99", "7.01", "8", "5.555"]),
])
def test_a_decimal_string_is_accepted_exactly_when_its_pattern_says_so(kind, accepted, refused):
    from pydantic import TypeAdapter

    adapter = TypeAdapter(kind)
    pattern = adapter.json_schema()["pattern"]
    for text in accepted:
        assert re.fullmatch(pattern, text) and adapter.validate_python(text) == Decimal(text)
    for text in refused:
        assert not re.fullmatch(pattern, text)
        with pytest.raises(ValidationError):
            adapter.validate_python(text)
    with pytest.raises(ValidationError):
        adapter.validate_python(12.5)  # a number is never money: exact decimals travel as strings


def test_every_write_says_it_may_answer_412_and_versioned_ones_describe_if_match(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "patch", "put", "delete"):
                assert "412" in operation["responses"], (method, path)
            names = {p["name"]: p for p in operation["parameters"]}
            if "If-Match" in names:
                assert names["If-Match"]["schema"]["pattern"]
    patch = document["paths"]["/api/v1/o/{slug}/initiatives/{ref}"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
