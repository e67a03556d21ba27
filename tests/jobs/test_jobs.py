"""Long work in the background: a large organisation's report and a large import go through a job's page, in a
thread of the web process or on an RQ worker, and only the person who asked sees it."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.jobs import services
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.reports.models import IssuedReport
from cxroadmap.timeutil import utcnow
from tests.factories import InitiativeFactory, JobFactory, JourneyStageFactory, OrganisationFactory
from tests.helpers import page_text
from tests.i18n.test_language import pdf_text

JOB_PAGE = re.compile(r"/o/[^/]+/jobs/([A-Za-z0-9_-]{32})$")


@pytest.fixture
def large(app, monkeypatch):
    """Organisations of more than two initiatives count as large."""
    monkeypatch.setitem(app.config, "BACKGROUND_REPORT_INITIATIVES", 2)
    organisation = OrganisationFactory(slug="big", name="Big Programme B.V.")
    for number in range(3):
        InitiativeFactory(organisation=organisation, title=f"Webshop promise {number}")
    return organisation


def _job_of(response) -> str:
    assert response.status_code == 302, response.status_code
    return JOB_PAGE.search(response.headers["Location"]).group(1)


def _finished_page(app, client, slug, job_id):
    wait_for_jobs(app)
    return client.get(f"/o/{slug}/jobs/{job_id}")


def test_a_large_organisations_report_is_built_in_the_background_then_downloaded(app, client, large):
    reports = client.get("/o/big/reports")
    assert 'action="/o/big/reports/build"' in reports.get_data(as_text=True)
    assert "/o/big/reports/current/roadmap.pdf" not in reports.get_data(as_text=True)
    # The direct link, typed in, does not hold the request either: it leads back to the page that offers the job.
    assert client.get("/o/big/reports/current/roadmap.pdf").headers["Location"].endswith("/o/big/reports")
    job_id = _job_of(client.post("/o/big/reports/build", data={"kind": "roadmap"}))
    page = _finished_page(app, client, "big", job_id)
    assert page.status_code == 200
    text = page_text(page)
    assert "Roadmap and progress report" in text and "Ready" in text
    link = re.search(r'href="(/o/big/jobs/[^"]+/download/[^"]+\.pdf)"', page.get_data(as_text=True)).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    pdf = pdf_text(download.data)
    assert "Big Programme B.V." in pdf and "Webshop promise 2" in pdf
    labels = db.session.scalars(select(AuditEvent.object_label).where(AuditEvent.action == "report_download"))
    assert any(label.startswith("big-roadmap-") for label in labels)


def test_issuing_a_large_report_keeps_the_same_record_as_issuing_it_at_once(app, client, large, admin_user):
    job_id = _job_of(client.post("/o/big/reports/issue", data={"kind": "summary"}))
    page = _finished_page(app, client, "big", job_id)
    assert "Issued and kept in the archive" in page_text(page)
    report = db.session.scalar(select(IssuedReport))
    job = db.session.get(Job, job_id)
    assert report.issued_by == admin_user.name and report.kind == "summary"
    assert report.content == job.result and report.size == len(job.result)
    assert report.sha256 == hashlib.sha256(job.result).hexdigest()
    assert "CX executive summary" in pdf_text(report.content)


def test_a_small_organisation_still_downloads_at_once(client):
    organisation = OrganisationFactory(slug="small")
    InitiativeFactory(organisation=organisation)
    response = client.get("/o/small/reports/current/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0


def test_the_page_shows_progress_while_it_runs_and_its_status_as_json(client, admin_user):
    organisation = OrganisationFactory(slug="slow")
    job = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, state="running", progress=40,
                     message="Laying out the pages…", result=None, result_filename="", started_at=utcnow())
    page = client.get(f"/o/slow/jobs/{job.id}")
    body = page.get_data(as_text=True)
    assert 'data-job-status="/o/slow/jobs/' in body and 'value="40"' in body
    assert "Laying out the pages…" in page_text(page) and "Download" not in page_text(page)
    assert client.get(f"/o/slow/jobs/{job.id}/status").get_json() == {
        "state": "running", "progress": 40, "message": "Laying out the pages…", "error": ""}
    assert client.get(f"/o/slow/jobs/{job.id}/download/x.pdf").status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_job_holds(client, admin_user, count_queries):
    organisation = OrganisationFactory(slug="q")
    small = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, state="failed", problems=["one"])
    big = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, state="failed",
                     problems=[f"row {n}: not a date" for n in range(500)], result=b"x" * 2_000_000)
    counts = []
    for job in (small, big):
        with count_queries as counter:
            assert client.get(f"/o/q/jobs/{job.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 8
    assert not any("payload" in s or " result," in s for s in counter.statements)


def test_only_the_person_who_asked_sees_a_job(app, client_as, admin_user):
    home, other = OrganisationFactory(slug="home"), OrganisationFactory(slug="other")
    asker = client_as("viewer", home)
    colleague = client_as("admin", home)
    outsider = client_as("admin", other)
    job = JobFactory(organisation_id=home.id, user_id=asker.user.id)
    for path in (f"/o/home/jobs/{job.id}", f"/o/home/jobs/{job.id}/status",
                 f"/o/home/jobs/{job.id}/download/{job.result_filename}"):
        assert asker.get(path).status_code == 200, path
        assert colleague.get(path).status_code == 404, path
        assert outsider.get(path).status_code == 404, path
        assert outsider.get(path.replace("/o/home/", "/o/other/")).status_code == 404, path
        assert app.test_client().get(path).status_code == 302, path
    assert asker.get(f"/o/home/jobs/{job.id}/download/other.pdf").status_code == 404
    assert asker.get("/o/home/jobs/" + "A" * 32).status_code == 404


def test_a_job_that_breaks_says_so_plainly_and_changes_nothing(app, client, admin_user, monkeypatch):
    def broken(job, progress):
        progress(10, "Starting")
        raise RuntimeError("internal detail: /srv/secret path")

    monkeypatch.setitem(services.KINDS, "broken", services.JobKind("broken", broken, lambda job: "Broken thing"))
    organisation = OrganisationFactory(slug="oops")
    with app.test_request_context():
        from cxroadmap.jobs.runner import dispatch
        job = services.submit(organisation, admin_user.id, "broken", {}, "en")
        db.session.commit()
        dispatch(app, job.id)
    page = _finished_page(app, client, "oops", job.id)
    text = page_text(page)
    assert "It could not be done." in text and "Something went wrong" in text
    assert "secret" not in text and "Traceback" not in text and "RuntimeError" not in text


def test_a_job_stopped_by_a_restart_is_shown_failed_and_old_jobs_are_deleted(client, admin_user, runner):
    organisation = OrganisationFactory(slug="restart")
    long_ago = utcnow() - timedelta(hours=3)
    stuck = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, state="running", progress=30,
                       result=None, result_filename="", created_at=long_ago, started_at=long_ago)
    fresh = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, state="running",
                       result=None, result_filename="", started_at=utcnow())
    old = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, created_at=utcnow() - timedelta(days=8))
    text = page_text(client.get(f"/o/restart/jobs/{stuck.id}"))
    assert "It could not be done." in text and "server restarted" in text
    assert client.get(f"/o/restart/jobs/{fresh.id}/status").get_json()["state"] == "running"
    old_id = old.id
    result = runner.invoke(args=["notify"])
    assert "1 that stopped marked failed, 1 old ones deleted" in result.output
    db.session.expire_all()
    assert db.session.get(Job, stuck.id).state == "failed"
    assert db.session.get(Job, fresh.id).state == "running"
    assert db.session.get(Job, old_id) is None
    assert "server restarted" in page_text(client.get(f"/o/restart/jobs/{stuck.id}"))


# -- imports -------------------------------------------------------------------------------------------

HEADER = "Ref,Title,Readiness question,Status,Health,Progress,Due date\n"


def _upload(client, slug, text, name="initiatives.csv"):
    return client.post(f"/o/{slug}/initiatives/import", data={"file": (io.BytesIO(text.encode()), name)},
                        content_type="multipart/form-data")


@pytest.fixture
def large_files(app, monkeypatch):
    monkeypatch.setitem(app.config, "BACKGROUND_IMPORT_BYTES", 100)


def test_a_large_spreadsheet_that_fails_its_checks_shows_every_problem(app, client, large_files):
    OrganisationFactory(slug="imp")
    rows = "".join(f",Promise {n},know_customers,in_progress,green,40,not a date\n" for n in range(5))
    job_id = _job_of(_upload(client, "imp", HEADER + rows))
    page = _finished_page(app, client, "imp", job_id)
    text = page_text(page)
    assert "Nothing was imported: 5 problems." in text
    assert 'row 2, column "Due date"' in text and 'row 6, column "Due date"' in text
    assert "Upload a corrected file" in text
    assert db.session.scalar(select(db.func.count()).select_from(InitiativeFactory._meta.model)) == 0


def test_a_large_spreadsheet_is_previewed_then_imported_once_confirmed(app, client, large_files):
    organisation = OrganisationFactory(slug="imp")
    rows = "".join(f",Promise {n},know_customers,in_progress,green,40,2027-03-31\n" for n in range(4))
    job_id = _job_of(_upload(client, "imp", HEADER + rows))
    preview = _finished_page(app, client, "imp", job_id)
    text = page_text(preview)
    assert "Preview of initiatives.csv" in text and "4 initiatives to create" in text and "Promise 3" in text
    initiative = InitiativeFactory._meta.model
    assert db.session.scalar(select(db.func.count()).select_from(initiative)) == 0
    second = _job_of(client.post("/o/imp/initiatives/import", data={"job": job_id, "confirm": "yes"}))
    done = _finished_page(app, client, "imp", second)
    assert "Imported: 4 created, 0 updated, 0 benefit estimates added." in page_text(done)
    titles = db.session.scalars(select(initiative.title).where(initiative.organisation_id == organisation.id))
    assert sorted(titles) == [f"Promise {n}" for n in range(4)]
    events = db.session.scalars(select(AuditEvent.actor).where(AuditEvent.organisation_id == organisation.id))
    assert "Ada Admin" in set(events)


def test_a_large_document_replaces_the_organisation_in_the_background(app, client, large_files):
    from cxroadmap.exchange.document.export import dumps, export_document

    source = OrganisationFactory(slug="source", name="Source Co")
    InitiativeFactory(organisation=source, title="Carried over")
    JourneyStageFactory(organisation=source)
    document = dumps(export_document(source)).encode()
    OrganisationFactory(slug="target", name="Target Co")
    response = client.post("/o/target/settings/import", data={"file": (io.BytesIO(document), "doc.json"),
                                                                "confirm": "yes"},
                           content_type="multipart/form-data")
    page = _finished_page(app, client, "target", _job_of(response))
    assert "now holds what the document describes" in page_text(page)
    initiative = InitiativeFactory._meta.model
    assert db.session.scalars(select(initiative.title).join_from(initiative, OrganisationFactory._meta.model)
                              .where(OrganisationFactory._meta.model.slug == "target")).all() == ["Carried over"]

    broken = client.post("/o/target/settings/import", data={"file": (io.BytesIO(b'{"format": "nope"' + b" " * 200),
                                                                      "doc.json"), "confirm": "yes"},
                         content_type="multipart/form-data")
    text = page_text(_finished_page(app, client, "target", _job_of(broken)))
    assert "Nothing was imported" in text and "Upload a corrected document" in text


# -- on RQ workers -------------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture
def redis_queue(app, monkeypatch):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "JOB_QUEUE", REDIS_URL)
    before = set(connection.keys("*"))
    yield connection
    created = set(connection.keys("*")) - before
    if created:
        connection.delete(*created)


def test_on_rq_the_web_queues_the_job_and_a_worker_builds_it(app, client, large, redis_queue):
    from rq import SimpleWorker

    from cxroadmap.jobs.runner import rq_queue

    job_id = _job_of(client.post("/o/big/reports/build", data={"kind": "summary"}))
    waiting = client.get(f"/o/big/jobs/{job_id}")
    assert "Waiting" in page_text(waiting) and app.extensions.get("cxroadmap_jobs") is None
    queue = rq_queue(app, redis_queue)
    assert queue.count == 1
    SimpleWorker([queue], connection=redis_queue).work(burst=True)
    page = client.get(f"/o/big/jobs/{job_id}")
    assert "Ready" in page_text(page)
    link = re.search(r'href="(/o/big/jobs/[^"]+/download/[^"]+\.pdf)"', page.get_data(as_text=True)).group(1)
    assert "CX executive summary" in pdf_text(client.get(link).data)


def test_when_the_queue_cannot_be_reached_the_job_says_so(app, client, large, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_QUEUE", "redis://127.0.0.1:1/0")
    job_id = _job_of(client.post("/o/big/reports/build", data={"kind": "summary"}))
    text = page_text(client.get(f"/o/big/jobs/{job_id}"))
    assert "The job queue cannot be reached" in text


def test_the_worker_command_needs_a_queue(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "JOB_QUEUE" in result.output
