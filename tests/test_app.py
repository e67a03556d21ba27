"""The application as a whole: configuration, secret key, health check, error pages, SQLite settings."""

import io
import stat
import threading
from decimal import Decimal

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from cxroadmap import create_app, instance_secret_key
from cxroadmap.access import public
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from tests.conftest import RequestClient, config_for, sign_in
from tests.factories import InitiativeFactory, MeetingFactory, OrganisationFactory
from tests.helpers import page_text


def test_healthz_reports_ok_after_reading_and_writing_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert {"read": "ok", "write": "ok"}.items() <= response.get_json()["checks"].items()


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    broken = create_app(config_for("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database unreachable",
                                   "checks": {"read": "failed"}}


def test_healthz_answers_503_when_the_database_can_be_read_but_not_written(tmp_path):
    path = tmp_path / "readonly.sqlite"
    writable = create_app(config_for(f"sqlite:///{path}"))
    with writable.app_context():
        upgrade()
        db.engine.dispose()
    # The same file opened read-only, as when its permissions or its filesystem no longer allow writing.
    read_only = create_app(config_for(f"sqlite:///file:{path}?mode=ro&uri=true"))
    response = read_only.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database refuses writes",
                                   "checks": {"read": "ok", "write": "failed"}}


def test_healthz_commits_its_heartbeat(client):
    from cxroadmap.health import Heartbeat

    client.get("/healthz")
    first = db.session.get(Heartbeat, 1).beat_at
    db.session.expire_all()
    assert client.get("/healthz").status_code == 200
    assert db.session.get(Heartbeat, 1).beat_at > first  # read on the test's own connection: it was committed


def test_healthz_answers_503_when_the_database_refuses_to_commit(app):
    from sqlalchemy.exc import OperationalError

    def refuse(connection):  # as a database answers a COMMIT it cannot keep
        raise OperationalError("COMMIT", None, Exception("disk I/O error"))

    event.listen(db.engine, "commit", refuse)
    try:
        response = app.test_client().get("/healthz")
    finally:
        event.remove(db.engine, "commit", refuse)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database refuses writes",
                                   "checks": {"read": "ok", "write": "failed"}}


def test_healthz_answers_503_when_the_database_file_and_folder_become_immutable(tmp_path):
    """As when the disk is remounted read-only under a running app: its open connections still write into the
    write-ahead log, which is why a write that is rolled back said nothing."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    folder = tmp_path / "data"
    folder.mkdir()
    served = create_app(config_for(f"sqlite:///{folder / 'app.sqlite'}"))
    with served.app_context():
        upgrade()
    browser = served.test_client()
    assert browser.get("/healthz").status_code == 200  # its connection is open, as in a running app
    if subprocess.run(["chattr", "+i", str(folder / "app.sqlite"), str(folder)], capture_output=True).returncode:
        pytest.skip("this filesystem or user cannot make files immutable")
    try:
        response = browser.get("/healthz")
    finally:
        subprocess.run(["chattr", "-i", str(folder / "app.sqlite"), str(folder)], check=True)
        with served.app_context():
            db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["reason"] == "database refuses writes"


def test_healthz_answers_503_when_the_disk_beside_the_database_is_almost_full(app, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the disk of a database server is not the app's to see")
    monkeypatch.setitem(app.config, "HEALTH_MIN_FREE_BYTES", 10**18)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["reason"] == "disk almost full"
    assert response.get_json()["checks"] == {"read": "ok", "write": "ok", "disk": "failed"}


def test_environment_variables_override_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("CXROADMAP_INITIATIVES_PER_PAGE", "7")
    monkeypatch.setenv("CXROADMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    monkeypatch.setenv("CXROADMAP_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["INITIATIVES_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_plain_postgresql_urls_use_the_installed_driver():
    app = create_app(config_for("postgresql://someone@127.0.0.1/db"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@127.0.0.1/db"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    key = instance_secret_key(tmp_path)
    assert len(key) == 64
    assert instance_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_unknown_pages_are_a_plain_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.data
    assert b"Traceback" not in response.data


def test_too_large_a_form_is_refused_on_its_page_and_changes_nothing(client, app):
    organisation = OrganisationFactory(brand_promise="Parts tomorrow, or we pay.")
    settings = f"/o/{organisation.slug}/settings"
    response = client.post(settings, data={"brand_promise": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 303 and response.headers["Location"] == settings
    shown = page_text(client.get(settings))
    assert "What you sent is larger than 2 MB, so nothing of it was read or saved." in shown
    assert "Parts tomorrow, or we pay." in shown
    upload = client.post(f"/o/{organisation.slug}/initiatives/import",
                         data={"file": (io.BytesIO(b"ref,title\n" * 300_000), "big.csv")},
                         content_type="multipart/form-data")
    assert upload.status_code == 303
    assert "larger than 2 MB" in page_text(client.get(upload.headers["Location"]))
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0


def test_too_large_a_request_without_a_page_is_a_413(client):
    organisation = OrganisationFactory()
    response = client.post(f"/o/{organisation.slug}/reports/issue", data={"kind": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_money_is_stored_and_read_back_exactly():
    organisation = OrganisationFactory()
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999999.99"), Decimal("1234567.89")]
    for n, amount in enumerate(amounts):
        InitiativeFactory(organisation=organisation, ref=f"M-{n}", one_off_cost=amount)
    db.session.expire_all()
    stored = db.session.scalars(db.select(Initiative.one_off_cost).order_by(Initiative.ref)).all()
    assert stored == amounts
    assert all(isinstance(amount, Decimal) for amount in stored)
    assert db.session.scalar(db.select(db.func.sum(Initiative.one_off_cost))) is not None


def test_concurrent_creations_never_lose_an_update_or_share_a_reference(app, admin_user):
    """Six people press "Create" at the same moment: six initiatives, six different references."""
    organisation = OrganisationFactory()
    slug, org_id = organisation.slug, organisation.id
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        sign_in(client, admin_user)
    db.session.commit()  # let go of the test's own transaction before the writers start
    statuses, barrier = [], threading.Barrier(6)

    def create(n):
        client = clients[n]
        barrier.wait()
        response = client.post(f"/o/{slug}/initiatives/new", data={
            "title": f"Parallel {n}", "readiness_question": "know_roles", "status": "proposed", "health": "green",
            "progress": "0"})
        statuses.append((response.status_code, "/initiatives/INIT-" in response.headers.get("Location", "")))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [(302, True)] * 6
    refs = db.session.scalars(db.select(Initiative.ref).where(Initiative.organisation_id == org_id)).all()
    assert sorted(refs, key=lambda ref: int(ref[5:])) == [f"INIT-{n}" for n in range(1, 7)]


def test_writes_begin_immediately_and_reads_do_not(app, client):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite transactions")
    begins = []

    def listener(conn, cursor, statement, *rest):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        slug = OrganisationFactory().slug
        db.session.commit()
        begins.clear()
        client.get(f"/o/{slug}/initiatives")
        assert begins and set(begins) == {"BEGIN"}
        begins.clear()
        client.post(f"/o/{slug}/teams/new", data={"name": "Warehouse"})
        assert begins and set(begins) == {"BEGIN IMMEDIATE"}
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def test_a_crash_shows_a_plain_page_without_internals(database_url):
    app = create_app(config_for(database_url, PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body


def _app_with_routes(database_url):
    """A fresh app with routes of its own, to test the request plumbing every view relies on."""
    from flask import abort, g

    from cxroadmap.access import requires
    from cxroadmap.errors import NotInOrganisation
    from cxroadmap.web import organisation_blueprint

    app = create_app(config_for(database_url))
    app.test_client_class = RequestClient
    extra = organisation_blueprint("plumbing", __name__)

    @extra.post("/rename/<outcome>")
    @requires("viewer")
    def rename_view(outcome: str):
        g.organisation.name = "Renamed"
        db.session.flush()
        if outcome == "missing":
            raise NotInOrganisation("no such thing")
        if outcome == "refused":
            abort(403)
        return "renamed", 302

    @app.get("/not-in-an-organisation")
    @requires("viewer")
    def misplaced():
        return "this view declares an organisation role outside /o/<slug>/"

    app.register_blueprint(extra)
    return app


@pytest.mark.parametrize("outcome, status, kept", [("ok", 302, True), ("missing", 404, False),
                                                    ("refused", 403, False)])
def test_a_writing_request_keeps_its_changes_only_when_its_view_answers(database_url, admin_user, outcome, status,
                                                                         kept):
    app = _app_with_routes(database_url)
    organisation = OrganisationFactory(name="Before")
    browser = app.test_client()
    sign_in(browser, admin_user)
    assert browser.post(f"/o/{organisation.slug}/rename/{outcome}").status_code == status
    db.session.refresh(organisation)
    assert (organisation.name == "Renamed") is kept


def test_a_view_that_needs_an_organisation_role_outside_an_organisation_is_refused(database_url, admin_user):
    app = _app_with_routes(database_url)
    browser = app.test_client()
    sign_in(browser, admin_user)
    assert browser.get("/not-in-an-organisation").status_code == 403


def test_generated_files_of_private_data_are_never_cached(client):
    organisation = OrganisationFactory()
    meeting = MeetingFactory(organisation_id=organisation.id)
    base = f"/o/{organisation.slug}"
    for url in (f"{base}/meetings/{meeting.id}/pack.pdf", f"{base}/reports/current/roadmap.pdf",
                f"{base}/charts/ladder.svg", f"{base}/dashboard/stages.svg", f"{base}/timeline.svg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_several_workers_counting_sign_ins_in_memory_are_warned_of_at_start(monkeypatch, caplog, database_url):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    create_app(config_for(database_url))
    assert "4 worker processes count failed sign-ins in memory" in caplog.text
    caplog.clear()
    create_app(config_for(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379"))
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    create_app(config_for(database_url))
    assert "worker processes" not in caplog.text


def test_serving_for_real_with_base_url_left_at_this_machine_is_warned_of_at_start(caplog, database_url):
    create_app(config_for(database_url, TESTING=False, SECURE_COOKIES=True, BASE_URL="http://127.0.0.1:5000"))
    assert "BASE_URL is 'http://127.0.0.1:5000'" in caplog.text and "CXROADMAP_BASE_URL" in caplog.text
    caplog.clear()
    create_app(config_for(database_url, TESTING=False, SECURE_COOKIES=True, BASE_URL="https://cx.example.com"))
    create_app(config_for(database_url, TESTING=False, SECURE_COOKIES=False))  # make run: plain http here
    assert "BASE_URL" not in caplog.text


def test_make_run_points_links_in_mail_at_the_host_and_port_it_serves_on():
    import os
    import shutil
    import subprocess

    from cxroadmap import REPOSITORY

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environment = {name: value for name, value in os.environ.items() if name != "CXROADMAP_BASE_URL"}
    shown = subprocess.run(["make", "-n", "run", "HOST=0.0.0.0", "PORT=5101"], cwd=REPOSITORY, env=environment,
                           capture_output=True, text=True, check=True).stdout
    assert "links in mail start with http://0.0.0.0:5101" in shown


def test_limits_in_memory_count_without_a_thread_per_hit_and_forget_what_expired(monkeypatch):
    """memory:// keeps the limits' counts in this process; the library's timer thread every 10 ms while counts change
    (a thread started every few answers under a flood) is replaced by a sweep the hits do, once a second."""
    import limits.storage.memory
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    from cxroadmap.extensions import SweptMemoryStorage

    storage = storage_from_string("memory://")
    assert isinstance(storage, SweptMemoryStorage)
    started = []
    monkeypatch.setattr(limits.storage.memory.threading, "Timer",
                        lambda *args, **kwargs: started.append(args) or threading.Timer(*args, **kwargs))
    limiter = FixedWindowRateLimiter(storage)
    three = parse("3 per minute")
    assert [limiter.hit(three, "survey-answer", "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    for address in range(500):
        limiter.hit(three, "survey-answer", f"10.1.{address // 256}.{address % 256}")
    assert started == []
    # A count whose window ended is gone at the next sweep, though nothing asks for it again.
    for key in list(storage.expirations):
        storage.expirations[key] = 0
    storage.next_sweep = 0
    limiter.hit(three, "survey-answer", "10.0.0.2")
    assert len(storage.storage) == 1
