"""The Nu HTML checker (vnu.jar, run once over all of them) finds no error on the main pages, in English and Dutch.

Needs Java and the npm package vnu-jar (`npm ci` at the repository's root; `.ci/run` installs both). Without them the
test is skipped here, and fails where CXROADMAP_REQUIRE_HTML_CHECKER=1 says they must be there (CI).
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from cxroadmap import REPOSITORY

VNU = REPOSITORY / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The pages the browser tests visit (tests/e2e/test_accessibility.py), with the demo organisation's ids filled in.
PAGES = [
    "/", "/account", "/account/two-factor", "/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/maturity",
    "/o/{slug}/readiness", "/o/{slug}/initiatives", "/o/{slug}/initiatives?health=red&sort=due_date",
    "/o/{slug}/initiatives/INIT-4", "/o/{slug}/initiatives/INIT-4/edit", "/o/{slug}/initiatives/new",
    "/o/{slug}/initiatives/INIT-4/benefits/new", "/o/{slug}/timeline", "/o/{slug}/meetings",
    "/o/{slug}/meetings/{meeting}", "/o/{slug}/coalition", "/o/{slug}/coalition/new", "/o/{slug}/teams",
    "/o/{slug}/teams/{team}", "/o/{slug}/teams/new", "/o/{slug}/reports", "/o/{slug}/members", "/o/{slug}/audit",
    "/o/{slug}/settings", "/organisations/new", "/o/{slug}/initiatives/import", "/o/{slug}/settings/import",
    "/o/{slug}/journey", "/o/{slug}/journey?touchpoint=invoice",
    "/o/{slug}/journey/stages", "/o/{slug}/journey/touchpoints/new",
    "/o/{slug}/journey/touchpoints/on-site-before-10", "/o/{slug}/journey/touchpoints/on-site-before-10/edit",
    "/o/{slug}/kpis", "/o/{slug}/kpis/NPS-REL", "/o/{slug}/kpis/new", "/o/{slug}/kpis/OTD-10/edit",
    "/o/{slug}/notifications", "/o/{slug}/assessments", "/o/{slug}/assessments/{round}",
    "/o/{slug}/assessments/{round}/raters/{rater}/link",
    "/o/{slug}/surveys", "/o/{slug}/surveys/{survey}", "/o/{slug}/surveys/suppressions",
    "/o/{slug}/surveys/{survey}?unhappy=1", "/o/{slug}/surveys/{survey}/comments?q=lunch",
    "/o/{slug}/surveys/themes", "/o/{slug}/cases/settings",
]
SIGNED_OUT = ["/login", "/password/forgot", "/assess/{token}"]


def _checker() -> list[str]:
    """The command that runs the checker, or a skip (a failure where it is required) saying what is missing."""
    java = shutil.which("java")
    missing = [what for what, there in (("java (apt-get install default-jre-headless)", java),
                                        (f"{VNU} (npm ci)", VNU.is_file())) if not there]
    if missing:
        message = "the Nu HTML checker needs " + " and ".join(missing)
        if os.environ.get("CXROADMAP_REQUIRE_HTML_CHECKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(VNU), "--errors-only", "--format", "json"]


def _demo_pages(app):
    from sqlalchemy import select

    from cxroadmap.assessments.models import AssessmentRater, AssessmentRound
    from cxroadmap.coalition.models import Team
    from cxroadmap.demo import seed_demo
    from cxroadmap.extensions import db
    from cxroadmap.governance.models import SteeringMeeting
    from cxroadmap.surveys.models import Survey
    from tests.factories import assessment_round

    organisation = seed_demo()
    db.session.commit()
    first = {name: db.session.scalar(select(model.id).where(model.organisation_id == organisation.id)
                                     .order_by(model.id))
             for name, model in (("meeting", SteeringMeeting), ("team", Team), ("round", AssessmentRound),
                                         ("survey", Survey))}
    rater = db.session.scalar(select(AssessmentRater).where(AssessmentRater.round_id == first["round"])
                              .order_by(AssessmentRater.id))
    answering, tokens = assessment_round(organisation, raters=1)  # the demo's rounds are closed
    db.session.commit()
    token = tokens[answering.raters[0].id]
    ids = {**first, "slug": organisation.slug, "rater": rater.id, "token": token}
    return organisation, [page.format(**ids) for page in PAGES], [page.format(**ids) for page in SIGNED_OUT]


@pytest.mark.html_checker
def test_the_main_pages_are_valid_html_in_both_languages(app, client_as, tmp_path, monkeypatch):
    command = _checker()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # the CSRF field is part of every form
    organisation, pages, signed_out = _demo_pages(app)
    files = {}
    for language in ("en", "nl"):
        browser = client_as("admin", organisation, site_admin=True, locale=language)
        visits = [(browser, page) for page in pages] + [(app.test_client(), page) for page in signed_out]
        for client, page in visits:
            response = client.get(page, headers={"Accept-Language": language})
            assert response.status_code == 200, (language, page, response.status_code)
            path = tmp_path / f"{language}-{len(files):03}.html"
            path.write_bytes(response.data)
            files[str(path)] = f"{language} {page}"
    checked = subprocess.run([*command, *files], capture_output=True, text=True, timeout=600)
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = sorted({f"{files.get(re.sub('^file:', '', m.get('url', '')), m.get('url'))}: {m['message']} "
                     f"[{m.get('extract', '').strip()[:80]}]" for m in messages if m.get("type") == "error"})
    assert errors == []
