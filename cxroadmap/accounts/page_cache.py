"""Pages kept whole for a browser session: a reader who opens the overview or the dashboard again, with nothing
changed, gets what the last view sent, after one query that checks everything that answer depended on.

A view opts in with `cached_page`; its answer must follow only from the organisation's data (its stamp), the reader
(name, language, role), the address, the browser's language and the day, as the overview and the dashboard do.
The first view, and every view after a change, takes the normal way through every hook: signing in, the access
check, the view. Only a 200 answer to a signed-in GET is kept, and only repeated to the same session for the same
address, browser language and day, and only while
- the session is live (not ended, not idle too long, not too old) and has no second factor pending,
- the reader's account is active and unchanged (name, language, second factor, site administrator),
- the membership's role is the same, and
- the organisation's data stamp is the one the answer was drawn from.
Anything else goes the normal way: a flashed message waiting, a session whose activity is due to be noted, an
answer that sets a cookie, a request that is not a GET.
"""

import threading
from collections import OrderedDict
from functools import wraps
from types import SimpleNamespace
from typing import NamedTuple

from flask import Flask, g, request
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie

from cxroadmap.accounts.models import Membership, User, UserSession
from cxroadmap.accounts.services import SessionLimits, due_to_note, live, token_hash
from cxroadmap.database import HeldConnections
from cxroadmap.extensions import db
from cxroadmap.organisations.data_version import changed_here, data_version
from cxroadmap.organisations.models import DataVersion
from cxroadmap.timeutil import today, utcnow

_MARK = "cxroadmap.cached_page"  # in the WSGI environ: what the view's answer depended on, set by `cached_page`
COOKIE_CHECKED_SECONDS = 60
CACHE_BYTES = 64 * 1024 * 1024  # at most this much of kept answers per process, whatever KEPT_PAGES says
HELD_CONNECTIONS = 2  # connections of the pool a process holds for the check (a thread more connects for a moment)


def cached_page(view):
    """Mark a page whose whole answer may be repeated to the same session while nothing it shows has changed."""
    @wraps(view)
    def keep(*args, **kwargs):
        answer = view(*args, **kwargs)
        organisation, membership = g.get("organisation"), g.get("membership")
        if organisation is not None and membership is not None and current_user.is_authenticated \
                and not changed_here(organisation.id):
            stamp = data_version(organisation)
            if stamp is not None:
                request.environ[_MARK] = (organisation.id, _depends_on(current_user, membership, stamp))
        return answer
    return keep


# What a cached answer shows of its reader, their role and the organisation's data, declared once: read from the
# request's own objects when the answer is cached (`_depends_on`), and again by the one query that checks a repeated
# view (`_check_statement`, `_still_true`). A page that came to show more of them would add it here.
DEPENDS_ON = (User.id, User.name, User.locale, User.totp_enabled, User.site_admin, Membership.role, DataVersion.stamp)


def _depends_on(user: User, membership: Membership, stamp: str) -> tuple:
    found = {User: user, Membership: membership, DataVersion: SimpleNamespace(stamp=stamp)}
    return _as_compared(getattr(found[column.class_], column.key) for column in DEPENDS_ON)


def _as_compared(values) -> tuple:
    """Values as compared: a flag is True or False whether the database gave 1 or True."""
    return tuple(bool(value) if column.type.python_type is bool else value
                 for column, value in zip(DEPENDS_ON, values, strict=True))


class _Kept(NamedTuple):
    organisation_id: int
    depends_on: tuple
    status: str
    headers: tuple
    body: bytes


class PageCache:
    """WSGI middleware in front of the application: answers a repeated view of a kept page, keeps new ones."""

    def __init__(self, app: Flask, size: int):
        self.app, self.inner, self.size = app, app.wsgi_app, size
        self.limits = SessionLimits.configured(app.config)
        self.pages: OrderedDict = OrderedDict()
        self.cached_bytes = 0
        self.cookies: OrderedDict = OrderedDict()  # session cookie -> (its token, flashes waiting, when checked)
        self.lock = threading.Lock()
        self.engine = None
        self.held = HeldConnections(HELD_CONNECTIONS)  # for the check, on a database server

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.inner(environ, start_response)
        key = self._key(environ)
        if key is not None:
            with self.lock:
                kept = self.pages.get(key)
                if kept is not None:
                    self.pages.move_to_end(key)
            if kept is not None:
                if self._still_true(key[0], kept):
                    start_response(kept.status, list(kept.headers))
                    return [kept.body]
                self._forget(key)  # its session, reader, role or data moved on: never again
        return self._answer_and_keep(key, environ, start_response)

    def _key(self, environ) -> tuple | None:
        token = self._session_token(environ)
        if token is None:
            return None
        return (token_hash(token), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""),
                environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST", ""),
                environ.get("HTTP_X_FORWARDED_PROTO", ""), environ.get("HTTP_X_FORWARDED_HOST", ""), today())

    def _session_token(self, environ) -> str | None:
        """The session token of the browser's signed session cookie; None without one, or with a flash waiting."""
        cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(self.app.config["SESSION_COOKIE_NAME"])
        if not cookie:
            return None
        now = utcnow()
        with self.lock:
            checked = self.cookies.get(cookie)
        if checked is None or (now - checked[2]).total_seconds() > COOKIE_CHECKED_SECONDS:
            serializer = self.app.session_interface.get_signing_serializer(self.app)
            try:
                data = serializer.loads(cookie, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
            except BadSignature:  # a cookie that does not verify (or has expired) is simply not a session here
                return None
            token = data.get("_user_id")
            checked = (token if isinstance(token, str) else None, bool(data.get("_flashes")), now)
            with self.lock:
                self.cookies[cookie] = checked
                while len(self.cookies) > self.size:
                    self.cookies.popitem(last=False)
        token, flashes, _ = checked
        return None if flashes else token

    def _still_true(self, hashed: str, kept: _Kept) -> bool:
        """One query: is everything the kept answer depended on still so? A database that does not answer is a
        no: the normal way then answers (and shows its error page, logged, if the database is down)."""
        try:
            found = self._read(hashed, kept.organisation_id)
        except SQLAlchemyError:
            self.app.logger.exception("checking a kept page failed; answering it the normal way")
            return False
        if found is None:
            return False
        ended, created, seen, pending, active, *depends_on = found
        now = utcnow()
        if pending or not live(ended, active, created, seen, self.limits, now):
            return False
        if due_to_note(seen, now):
            return False  # its activity is due to be noted: the normal way does that
        return _as_compared(depends_on) == kept.depends_on  # a membership gone reads as no role: not the same

    def _read(self, hashed: str, organisation_id: int):
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
        # On a database server the check runs on a connection held for it, in autocommit: one round trip (not a
        # ping, BEGIN, the check and ROLLBACK, each costing the server as much as the check: the dashboard answered
        # 21.6 % of a hello-world's requests on PostgreSQL). One that fails is closed: the normal way then answers.
        with self.held.connection(self.engine) as connection:
            return connection.execute(_CHECK, {"token_hash": hashed, "organisation_id": organisation_id}).first()

    def _answer_and_keep(self, key, environ, start_response):
        answered = {}

        def remember(status, headers, exc_info=None):
            answered["status"], answered["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.inner(environ, remember)
        mark = environ.get(_MARK)
        if key is None or mark is None or not answered.get("status", "").startswith("200 ") \
                or any(name.lower() == "set-cookie" for name, _ in answered["headers"]):
            if key is not None:
                self._forget(key)
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        kept = _Kept(mark[0], mark[1], answered["status"], tuple(answered["headers"]), body)
        with self.lock:
            self._drop(key)
            self.pages[key] = kept
            self.cached_bytes += len(body)
            while self.pages and (len(self.pages) > self.size or self.cached_bytes > CACHE_BYTES):
                self._drop(next(iter(self.pages)))
        return [body]

    def _forget(self, key) -> None:
        with self.lock:
            self._drop(key)

    def _drop(self, key) -> None:
        """Under the lock: forget one kept answer, counting its bytes out."""
        kept = self.pages.pop(key, None)
        if kept is not None:
            self.cached_bytes -= len(kept.body)


def _check_statement():
    session, user, membership, version = (UserSession.__table__, User.__table__, Membership.__table__,
                                          DataVersion.__table__)
    organisation_id = bindparam("organisation_id")
    return (select(session.c.ended_at, session.c.created_at, session.c.last_seen_at,
                   session.c.pending_second_factor, user.c.active,
                   *(column.class_.__table__.c[column.key] for column in DEPENDS_ON))
            .select_from(session.join(user, user.c.id == session.c.user_id)
                         .outerjoin(membership, and_(membership.c.user_id == user.c.id,
                                                     membership.c.organisation_id == organisation_id))
                         .outerjoin(version, version.c.organisation_id == organisation_id))
            .where(session.c.token_hash == bindparam("token_hash")))


_CHECK = _check_statement()


def init_app(app: Flask) -> None:
    """Put the kept pages in front of the application (KEPT_PAGES answers at most, per process; 0: none)."""
    size = int(app.config.get("KEPT_PAGES", 0))
    if size > 0:
        app.wsgi_app = app.extensions["cxroadmap_page_cache"] = PageCache(app, size)

