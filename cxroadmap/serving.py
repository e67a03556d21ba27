"""gunicorn's settings for serving cxroadmap: `gunicorn -c python:cxroadmap.serving 'cxroadmap:create_app()'`.

WORKERS, HOST and PORT come from the environment (as `make serve` passes them); everything else about the
application (database, Redis, PROXY_HOPS) is the application's own configuration.
"""

import gc
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
# One line per request on standard output, errors on standard error: the service manager keeps both.
accesslog = "-"
errorlog = "-"
# X-Forwarded-* are trusted by the application alone, for exactly PROXY_HOPS proxies (werkzeug's ProxyFix).
# gunicorn would otherwise believe X-Forwarded-Proto from any client on loopback.
forwarded_allow_ips = ""
# Long reports are built in the background; a request that still takes this long is stuck.
timeout = int(os.environ.get("TIMEOUT", "60"))


def post_worker_init(worker) -> None:
    """Leave the objects made while the worker loaded the application (about 220,000: modules, routes, templates,
    mappers) out of the garbage collector's full passes. They live as long as the worker does, and walking them
    all costs about 130 ms, a pause a request now and then would wait for (the p95 of a page, not its median)."""
    gc.freeze()
