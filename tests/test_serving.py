"""Production serving: gunicorn's settings from the environment, and proxy headers trusted only per PROXY_HOPS."""

import importlib

from flask import request
from gunicorn.config import Config

from cxroadmap import create_app
from cxroadmap.access import public
from tests.conftest import config_for


def gunicorn_config(monkeypatch, **environment) -> Config:
    for name in ("WORKERS", "HOST", "PORT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import cxroadmap.serving as serving

    serving = importlib.reload(serving)
    config = Config()
    for name in ("bind", "workers", "accesslog", "errorlog", "forwarded_allow_ips", "timeout"):
        config.set(name, getattr(serving, name))
    return config


def test_gunicorn_takes_workers_host_and_port_from_the_environment(monkeypatch):
    config = gunicorn_config(monkeypatch, WORKERS="4", HOST="0.0.0.0", PORT="8080")
    assert config.bind == ["0.0.0.0:8080"]
    assert config.workers == 4
    assert config.accesslog == "-"


def test_gunicorn_defaults_to_two_workers_on_loopback_and_trusts_no_forwarded_headers(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers == 2
    # Not even from loopback, gunicorn's own default: the application decides, per PROXY_HOPS.
    assert config.forwarded_allow_ips == []


def _seen_by_app(database_url, hops: int) -> dict:
    """What the application believes of a request that came through loopback claiming a client and https."""
    app = create_app(config_for(database_url, PROXY_HOPS=hops))
    seen = {}

    @public
    def _seen():
        seen.update(address=request.remote_addr, scheme=request.scheme)
        return ""

    app.add_url_rule("/_seen", view_func=_seen)
    app.test_client().get("/_seen", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    return seen


def test_forwarded_headers_are_ignored_without_proxy_hops(database_url):
    assert _seen_by_app(database_url, 0) == {"address": "127.0.0.1", "scheme": "http"}


def test_forwarded_headers_are_believed_for_one_proxy_hop(database_url):
    assert _seen_by_app(database_url, 1) == {"address": "203.0.113.9", "scheme": "https"}


def test_a_worker_leaves_what_loading_made_out_of_full_collections(monkeypatch):
    """gunicorn calls the hook in each worker once the application is loaded; what exists then is frozen."""
    import gc

    config = gunicorn_config(monkeypatch)
    import cxroadmap.serving as serving

    config.set("post_worker_init", serving.post_worker_init)
    try:
        config.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
