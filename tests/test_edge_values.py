"""Out-of-range values in every route's path and query: a 404 or 400 (or the page, ignoring them), never a 500."""

import re

import pytest

from cxroadmap.extensions import db
from tests.factories import InitiativeFactory, MemberFactory, OrganisationFactory

ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
# Each: what an <int:…> becomes, what any other value becomes, and whether the slug is spoiled too.
PATH_VARIANTS = {
    "above 2**64": ("18446744073709551616", None),
    "above 2**63": ("9223372036854775808", None),
    "above 2**31": ("2147483648", None),
    "superscript": ("%C2%B2", "%C2%B2"),
    "nul": ("1%00", "INIT-1%00"),
    "control": ("1%01", "a%1Fb"),
    "very long": ("1" * 400, "x" * 400),
}
SLUG_VARIANTS = {"nul": "%00", "nul inside": "edge%00x", "control": "edge%07", "very long": "e" * 400}
QUERIES = [
    "page=%C2%B2&owner=%C2%B2",
    "page=9223372036854775808&owner=18446744073709551616",
    "owner=2147483648&page=-1",
    "since=0001-01-01&until=9999-12-31",
    "until=9999-12-31",
    "since=99999-01-01&until=1-1-1",
    "q=%00&status=%00&person=%00&object=%00",
    "health=a%01b&group=%00&question=%00&next=%00",
]


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, sorted(rule.methods & {"GET", "POST"})


def path_for(rule, int_value, text_value, slug="edge"):
    def fill(match):
        converter, name = match.groups()
        if name == "slug":
            return slug
        if converter == "int":
            return int_value
        return text_value
    return ARGUMENT.sub(fill, rule.rule)


@pytest.fixture
def edge(client):
    organisation = OrganisationFactory(slug="edge")
    owner = MemberFactory(organisation=organisation)
    InitiativeFactory(organisation=organisation, ref="INIT-1", owner_id=owner.id)
    db.session.commit()
    return client


def answer(client, method, url):
    response = client.open(url, method=method)
    assert response.status_code < 500, f"{method} {url} -> {response.status_code}"
    if url.startswith(("/api/", "/scim/")) and response.status_code == 401:
        # A browser's cookie is no API or SCIM token: schemathesis sends the API's own odd values with one, and
        # tests/sso sends SCIM's (an unknown or malformed id with a token is SCIM's 404).
        return 404
    return response.status_code


# A single-use link (password reset, invitation) that matches nothing answers 410 Gone, as a used one does.
NOT_THERE = (404, 405, 410)


def test_every_route_answers_out_of_range_path_values_with_404(app, edge):
    for rule, methods in routes(app):
        names = {name for _, name in ARGUMENT.findall(rule.rule)}
        for kind, (int_value, text_value) in PATH_VARIANTS.items():
            if not names - {"slug"} or (text_value is None and not any(
                    converter == "int" for converter, _ in ARGUMENT.findall(rule.rule))):
                continue
            url = path_for(rule, int_value, text_value or "INIT-1")
            for method in methods:
                assert answer(edge, method, url) in NOT_THERE, (kind, method, url)
        if "slug" in names:
            for kind, slug in SLUG_VARIANTS.items():
                url = path_for(rule, "1", "INIT-1", slug=slug)
                for method in methods:
                    assert answer(edge, method, url) in NOT_THERE, (kind, method, url)


def test_every_page_answers_out_of_range_query_values_without_failing(app, edge, anonymous):
    for rule, methods in routes(app):
        if "GET" not in methods:
            continue
        url = path_for(rule, "1", "INIT-1")
        for query in QUERIES:
            status = answer(edge, "GET", f"{url}?{query}")
            if "%00" in query or "%01" in query:
                assert status == 400, (url, query)
            answer(anonymous, "GET", f"{url}?{query}")
