"""schemathesis against the served OpenAPI document: every operation, every check (and one of the project's own:
a request the document calls valid is never refused as not fitting it), on a live server on SQLite, and on
PostgreSQL when the suite runs there.

It runs with a read-write token of the seeded demo organisation's administrator. In CI (CI set) each operation
gets at least 100 examples; locally fewer, unless CXROADMAP_SCHEMATHESIS_EXAMPLES says otherwise.
"""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cxroadmap import REPOSITORY

EXAMPLES = int(os.environ.get("CXROADMAP_SCHEMATHESIS_EXAMPLES") or (100 if os.environ.get("CI") else 20))


@pytest.fixture(scope="module")
def live_api(app, tmp_path_factory):  # app: the suite's database is migrated first
    from flask_migrate import upgrade

    from cxroadmap import create_app
    from cxroadmap.accounts import tokens
    from cxroadmap.accounts.services import add_membership, create_user
    from cxroadmap.demo import seed_demo
    from cxroadmap.extensions import db
    from tests.conftest import POSTGRES_URL, config_for

    folder = tmp_path_factory.mktemp("api-live")
    # On PostgreSQL the suite's own database (migrated by the app fixture, emptied after the test); else a file.
    url = POSTGRES_URL or f"sqlite:///{folder / 'live.sqlite'}"
    live = create_app(config_for(url, WTF_CSRF_ENABLED=True, TESTING=False, API_RATE_LIMIT="100000 per minute"))
    live.instance_path = str(folder)
    with live.app_context():
        upgrade()
        organisation = seed_demo()
        user = create_user("fuzz@example.com", "Fuzz", "a long test passphrase 42")
        add_membership(organisation, user.email, "admin")
        secret = tokens.create_token(user, "schemathesis", organisation, True, 1).secret
        db.session.commit()
        slug = organisation.slug
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "slug": slug, "token": secret, "folder": folder}
    server.shutdown()


# One worker: on Python 3.11 before 3.11.9, two threads parsing source at once (hypothesis describing a filter)
# can break the parser's recursion count (SystemError: AST constructor recursion depth mismatch).
def test_every_operation_passes_every_check(live_api):
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    report = live_api["folder"] / "report"
    command = [
        executable, "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
        "run", f"{live_api['url']}/api/v1/openapi.json",
        "--checks", "all", "--max-examples", str(EXAMPLES), "--workers", "1",
        "--header", f"Authorization: Bearer {live_api['token']}",
        "--suppress-health-check", "all", "--seed", "1", "--no-color", "--generation-database", "none",
        "--report-dir", str(report),
    ]
    # With the project's own check besides schemathesis's (schemathesis_hooks.py).
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
                   "PYTHONPATH": str(REPOSITORY)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=environment, cwd=REPOSITORY)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert "No issues found" in output or " passed" in output, output[-5000:]
