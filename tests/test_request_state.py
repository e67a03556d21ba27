"""Every slot a request carries in Flask's `g` is declared, with its type, in one place (web.request_state)."""

import re
from pathlib import Path
from typing import get_type_hints

from flask import g

import cxroadmap
from cxroadmap.accounts import models as accounts
from cxroadmap.organisations import models as organisations
from cxroadmap.sso import models as sso
from cxroadmap.web.request_state import RequestState

PACKAGE = Path(cxroadmap.__file__).parent
TEMPLATES = PACKAGE.parent / "templates"
# g.name, g.get("name"), g.pop("name"), g.setdefault("name"), "name" in g; an extension's slots start with "_"
USES = re.compile(r"""\bg\.(?!get\b|pop\b|setdefault\b)([a-z]\w*)"""
                  r"""|\bg\.(?:get|pop|setdefault)\(["']([a-z]\w*)["']|["']([a-z]\w*)["'] (?:not )?in g\b""")


def slots_used() -> dict[str, str]:
    used = {}
    for path in [*PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*.html")]:
        for found in USES.finditer(path.read_text(encoding="utf-8")):
            name = next(group for group in found.groups() if group)
            used.setdefault(name, str(path.relative_to(PACKAGE.parent)))
    return used


def test_every_slot_the_package_uses_is_declared():
    declared = set(RequestState.__annotations__)
    undeclared = {name: where for name, where in slots_used().items() if name not in declared}
    assert not undeclared, f"declare these in cxroadmap/web/request_state.py: {undeclared}"


def test_every_declared_slot_is_used_and_its_type_resolves():
    used = set(slots_used())
    assert set(RequestState.__annotations__) <= used, set(RequestState.__annotations__) - used
    hints = get_type_hints(RequestState, localns={**vars(accounts), **vars(organisations), **vars(sso)})
    assert hints["organisation"] is organisations.Organisation and hints["keep_changes"] is bool


def test_the_check_sees_each_way_of_using_a_slot():
    text = 'g.alpha = 1\ng.get("beta")\ng.pop("gamma", None)\ng.setdefault("delta", [])\nif "epsilon" not in g:'
    assert {next(x for x in m.groups() if x) for m in USES.finditer(text)} == {"alpha", "beta", "gamma", "delta",
                                                                               "epsilon"}


def test_g_is_the_request_state_and_an_unset_slot_is_still_unset(app):
    with app.test_request_context("/"):
        assert isinstance(g._get_current_object(), RequestState)
        assert "organisation" not in g and g.get("membership") is None
