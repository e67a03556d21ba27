"""The scheduler as it runs, with short intervals: webhooks reach a real receiver on loopback with nobody running a
command, two schedulers deliver each event once, work missed while none ran is done once on start, /healthz
and the site administrator's page say how it goes, and `flask notify --dry-run` counts what the real run does."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest

from cxroadmap.database import writing
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.notifications.models import WebhookDelivery
from cxroadmap.notifications.notify import save_settings
from cxroadmap.scheduler import Scheduler, SchedulerLease
from cxroadmap.timeutil import aware, today, utcnow
from tests.conftest import POSTGRES_URL
from tests.digests.test_digests import world
from tests.factories import ActionFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import page_text
from tests.notifications.test_webhooks import endpoint_of

FAST = {"SCHEDULER_BEAT_SECONDS": 0.1, "SCHEDULER_LEASE_SECONDS": 1,
        "SCHEDULER_INTERVALS": {"webhooks": 0.2, "mail": 0.3, "tidy-jobs": 1}}


@pytest.fixture
def schedulers(app, monkeypatch):
    """start(name) -> a running scheduler with short intervals; every one still running is stopped at the end."""
    for key, value in FAST.items():
        monkeypatch.setitem(app.config, key, value)
    started = []

    def start(name: str) -> Scheduler:
        scheduler = Scheduler(app, holder=name)
        started.append(scheduler)
        return scheduler.start()

    yield start
    for scheduler in started:
        if scheduler.clock.running:
            scheduler.stop()


def wait_for(condition, seconds: float = 20.0) -> float:
    """Seconds until condition() held; fails after `seconds` (the limit is generous, the wait is short)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "waited in vain"
        time.sleep(0.05)
    return time.monotonic() - started


@contextmanager
def writing_now():
    """The test writes while schedulers write: in a transaction of its own that takes SQLite's write lock first,
    as the app's writing requests do."""
    db.session.commit()
    with writing():
        yield
        db.session.commit()


def change_health(initiative_id: int, health: str) -> None:
    with writing_now():
        db.session.get(Initiative, initiative_id).health = health


def delivered_ids(receiver) -> list[str]:
    return [request["body"]["id"] for request in receiver.requests]


def test_a_running_scheduler_delivers_a_webhook_with_nobody_running_a_command(client, receiver, schedulers):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation, ["initiative.status_changed"])
    InitiativeFactory(organisation=organisation, ref="INIT-1", status="in_progress")
    schedulers("web-1")
    update = {"status": "on_hold", "health": "green", "progress": "40", "note": "Supplier stopped."}
    assert client.post("/o/acme/initiatives/INIT-1/updates", data=update).status_code == 302
    waited = wait_for(lambda: receiver.requests)
    assert waited < 60  # well within a minute: the webhook work runs every 0.2 s here, every 10 s by default
    [request] = receiver.requests
    assert request["signature_ok"] and request["body"]["event"] == "initiative.status_changed"
    assert request["body"]["data"]["to"] == "on_hold"
    wait_for(lambda: db.session.rollback() or db.session.scalar(db.select(WebhookDelivery.delivered_at)))


def test_two_schedulers_deliver_each_event_once_and_one_takes_over_when_the_other_dies(receiver, schedulers):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation, ["initiative.health_changed", "action.overdue"])
    initiative = InitiativeFactory(organisation=organisation, health="green")
    ActionFactory(organisation_id=organisation.id, title="Call the carrier", due_on=today() - timedelta(days=1))
    db.session.commit()
    first, second = schedulers("one"), schedulers("two")
    for health in ("amber", "red", "amber", "green", "red"):
        change_health(initiative.id, health)
        time.sleep(0.05)
    wait_for(lambda: len(receiver.requests) >= 6)
    time.sleep(1.0)  # several more rounds of both: nothing comes twice
    assert len(receiver.requests) == 6 and len(set(delivered_ids(receiver))) == 6
    assert sorted(r["body"]["event"] for r in receiver.requests).count("action.overdue") == 1
    assert [first.leading, second.leading].count(True) == 1
    leader, other = (first, second) if first.leading else (second, first)

    leader.stop(release=False)  # as a crash: the lease is not given up, it runs out
    db.session.rollback()
    expiry = aware(db.session.scalar(db.select(SchedulerLease.expires_at).where(
        SchedulerLease.holder == leader.holder)))
    change_health(initiative.id, "amber")
    wait_for(lambda: len(receiver.requests) == 7)
    assert other.leading
    time.sleep(0.5)
    assert len(set(delivered_ids(receiver))) == len(receiver.requests) == 7
    last = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id.desc())).first()
    assert expiry is None or aware(last.delivered_at) >= expiry  # not before the dead one's lease ran out


def test_work_missed_while_no_scheduler_ran_is_done_once_on_start(app, anonymous, receiver, smtp, schedulers):
    organisation, _carla, _member = world("acme", "Acme")  # Carla's weekly digest is due
    save_settings(organisation, 3, digest_hour=0)
    db.session.commit()
    endpoint_of(receiver, organisation, ["initiative.health_changed", "action.overdue"])
    earlier = schedulers("before")
    wait_for(lambda: earlier.leading and smtp.messages and receiver.requests)  # Carla's digest, her overdue action
    earlier.stop()
    smtp.clear()
    receiver.requests.clear()
    # While nothing runs: an event is recorded, an action falls due, a new member's digest becomes due.
    with writing_now():
        initiative = InitiativeFactory(organisation=organisation, health="green")
    change_health(initiative.id, "red")
    with writing_now():
        ActionFactory(organisation_id=organisation.id, title="Ring the carrier", due_on=today() - timedelta(days=1))
        bolt, _bert, _member = world("bolt", "Bolt", email="bert@example.com")
        save_settings(bolt, 3, digest_hour=0)
    time.sleep(1.1)  # the lease of the stopped scheduler has run out: /healthz says it is late
    assert anonymous.get("/healthz").get_json()["scheduler"]["state"] == "late"

    schedulers("after")
    wait_for(lambda: len(receiver.requests) >= 2 and smtp.to("bert@example.com"))
    time.sleep(1.0)  # more rounds: nothing is done again
    events = sorted(r["body"]["event"] for r in receiver.requests)
    assert events == ["action.overdue", "initiative.health_changed"]  # the new action only: the old one was raised
    assert [m["Subject"] for m in smtp.messages] == ["Bolt: your digest"]  # Carla had hers before the stop
    health = anonymous.get("/healthz").get_json()
    assert health["status"] == "ok" and health["scheduler"]["state"] == "ok"  # it beat within the lease's 1 s


def test_the_dry_run_counts_the_deliveries_the_real_run_makes(runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation, ["initiative.health_changed", "action.overdue"])
    other = InitiativeFactory(organisation=organisation, health="green")
    db.session.commit()
    endpoint_of(receiver, organisation, ["action.overdue"])
    change_health(other.id, "red")  # one delivery waiting (the second endpoint did not want it)
    ActionFactory(organisation_id=organisation.id, title="Call the carrier", due_on=today() - timedelta(days=1))
    ActionFactory(organisation_id=organisation.id, title="Book the room", due_on=today() - timedelta(days=2))
    db.session.commit()
    # Two overdue actions, each an event for both endpoints: 4 deliveries, and the 1 waiting: 5.
    dry = runner.invoke(args=["notify", "--dry-run"])
    assert dry.exit_code == 0 and "Dry run: webhooks: 5 would be done." in dry.output
    assert receiver.requests == [] and db.session.scalar(db.select(db.func.count()).select_from(WebhookDelivery)) == 1
    done = runner.invoke(args=["notify"])
    assert done.exit_code == 0 and "Made 5 webhook deliveries." in done.output
    assert len(receiver.requests) == 5


def test_notify_by_hand_refuses_while_a_scheduler_acts(runner, schedulers):
    scheduler = schedulers("acting")
    wait_for(lambda: scheduler.leading)
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 1 and "A scheduler is running" in result.output
    scheduler.stop()
    assert db.session.scalar(db.select(SchedulerLease.holder)) == ""  # an orderly stop gives the lease up
    assert runner.invoke(args=["notify"]).exit_code == 0


def test_the_site_administrators_page_shows_the_scheduler_and_what_waits_or_failed(client, client_as, receiver):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    endpoint = endpoint_of(receiver, organisation, ["initiative.health_changed"])
    initiative = InitiativeFactory(organisation=organisation)
    change_health(initiative.id, "red")
    change_health(initiative.id, "amber")
    first = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).first()
    first.given_up_at, first.last_error, first.last_attempt_at = utcnow(), "HTTP 500", utcnow()
    db.session.commit()
    page = page_text(client.get("/admin/work"))
    assert "Not running" in page and "webhooks" in page and "tidy-jobs" in page and "mail" in page
    assert "Webhook deliveries 1 1" in page  # one waiting, one given up
    assert "HTTP 500" in page and f"initiative.health_changed → {endpoint.url}" in page and "Acme" in page
    assert client_as("admin", organisation).get("/admin/work").status_code == 403


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's write lock; on PostgreSQL works lock the rows they change")
def test_works_that_read_then_write_side_by_side_wait_their_turn_instead_of_failing(app):
    """Two works in two threads, each reading a row, pausing, then writing it: on SQLite a transaction that began
    by reading cannot take the write lock once another wrote ('database is locked'), so each work begins by taking
    it (as on `make run`'s first start, when case reminders and survey retention met the digests)."""
    import threading

    from cxroadmap.areas import TimedWork
    from cxroadmap.scheduler import do_work

    organisation = OrganisationFactory(name="Before")
    db.session.commit()
    model, organisation_id = type(organisation), organisation.id
    db.session.commit()  # the test's own session holds no transaction while the works run
    failures = []

    def rename(suffix):
        def run(now):
            row = db.session.get(model, organisation_id)
            time.sleep(0.3)
            row.name = f"{row.name} {suffix}"
            return 1
        return TimedWork(f"rename-{suffix}", run=run, due=lambda now: 1)

    def in_thread(work):
        with app.app_context():
            try:
                do_work(work, utcnow())
            except Exception as problem:  # noqa: BLE001 - what the test reports
                failures.append(repr(problem))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=in_thread, args=(rename(suffix),)) for suffix in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    db.session.expire_all()
    assert sorted(db.session.get(model, organisation_id).name.split()) == ["Before", "a", "b"]
