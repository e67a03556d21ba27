"""The answer lane: customers' answers posted to a survey's public link (/f/<code>), taken in front of the
application.

A flood of answers is the one load a public link invites, and most of a request's cost in the application is
what every page needs and an answer does not: the request's context, signing in, the session, the request's
transaction and its hooks. The lane takes an answer that is simply right with only what it needs: the per-address
limit, the signed moment the page was shown, one statement reading the survey's questions and one storing the
answer, on a connection held for it (`HeldConnections`); then the way to the thanks page, with the headers the
application would have sent. What the answer moves (the KPI, the touchpoint, a follow-up case) is settled in the
background (`settling`).

Everything else goes on to the application, unchanged, which answers as it always has: an answer with something
wrong beside a field (the page again, every problem shown), a bot's or a too-quick answer (a kind refusal), a flood
(429), an unknown or closed survey, a form that is not plain (a multipart or very large body), and any answer the
database did not take here. Such a request is counted against the limit once: by the lane, which says so in the
environ (`COUNTED`), or, for a flood, by the application's limit as well (it is refused either way).
"""

import re
import time
from io import BytesIO

from flask import Flask
from limits import parse_many
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import parse_form_data
from werkzeug.http import parse_options_header
from werkzeug.urls import iri_to_uri
from werkzeug.utils import redirect
from werkzeug.wrappers import Request

from cxroadmap.database import HeldConnections, writing
from cxroadmap.extensions import db, limiter
from cxroadmap.security import security_headers
from cxroadmap.surveys import answering, settling
from cxroadmap.surveys.embedding import allow_framing
from cxroadmap.surveys.forms import given_from
from cxroadmap.timeutil import utcnow

PATH = re.compile(r"/f/([A-Za-z0-9]{1,16})\Z")
#: In the environ of an answer the lane counted against the per-address limit but left to the application.
COUNTED = "cxroadmap.answer_counted"
#: Flask-Limiter's bucket for the answer page's limit (`public.answer`: its endpoint and the limit's scope).
LIMIT_SCOPE = "feedback.answer:survey-answer"
#: The most a posted answer page weighs here (a 5,000-character comment of emoji, encoded); more goes on.
MOST_BYTES = 128 * 1024
#: How long a survey's form is kept once it took an answer, and the most forms kept (all forgotten when one more
#: comes). Within that time a form is still checked by every answer's statement: kept, never stale.
KEEP_FORM_SECONDS = 10
CACHED_FORMS = 1024


class AnswerLane:
    """WSGI middleware in front of the application (inside the proxies' ProxyFix, which gives the address)."""

    def __init__(self, app: Flask) -> None:
        self.app, self.inner = app, app.wsgi_app
        # On PostgreSQL an answer's commit waits for its WAL to reach the disk only when SURVEY_ANSWER_DURABLE_COMMIT
        # asks for it: a flush per answer costs about a third of the rate, and what a server crash may lose
        # instead (the last fraction of a second of answers, never the database's consistency) is worth that here.
        waits = app.config.get("SURVEY_ANSWER_DURABLE_COMMIT", False)
        self.held = HeldConnections(settings={} if waits else {"synchronous_commit": "off"})
        self.forms: dict[str, tuple] = {}  # code -> (the form of its live survey, when it was read)

    def __call__(self, environ, start_response):
        found = PATH.match(environ.get("PATH_INFO", "")) if environ.get("REQUEST_METHOD") == "POST" else None
        form = _posted_form(environ) if found else None
        if form is not None:
            with self.app.app_context():
                response = self.take(found.group(1), form, environ)
            if response is not None:
                return response(environ, start_response)
        return self.inner(environ, start_response)

    def take(self, code: str, form: MultiDict, environ: dict):
        """The response taking the answer, or None when the application must answer."""
        if not self._counted(environ):
            return None  # a flood: the application's limit refuses it, kindly
        if answering.flood_sign(form, code) is not None:
            return None  # the page refuses it, kindly
        request = Request(environ, populate_request=False)  # its address line and headers; the body is read
        query = request.args
        language = answering.respondent_language(query.get("lang", form.get("lang")), request.accept_languages)
        try:
            survey = self._store(code, form, language)
        except SQLAlchemyError:
            self.app.logger.exception("the answer lane could not take an answer; the application takes it")
            return None
        if survey is None:
            return None
        settling.settle_soon()
        embed = "&embed=1" if query.get("embed", form.get("embed")) == "1" else ""
        thanks = iri_to_uri(f"{environ.get('SCRIPT_NAME', '')}/f/{code}/thanks?lang={language}{embed}")
        response = allow_framing(redirect(thanks, code=303), survey)
        return security_headers(response, secure=environ.get("wsgi.url_scheme") == "https")

    def _counted(self, environ: dict) -> bool:
        """Count the request against the per-address limit as the application's limit would, in the same bucket
        (Flask-Limiter's storage, key prefix, address and scope); False when over it."""
        if not limiter.enabled:
            return True
        address = environ.get("REMOTE_ADDR") or "127.0.0.1"  # flask_limiter.util.get_remote_address
        # The prefix Flask-Limiter puts before its keys (RATELIMIT_KEY_PREFIX, as it was set up): one bucket.
        prefix = [limiter._key_prefix] if limiter._key_prefix else []  # noqa: SLF001
        limits = parse_many(answering.answer_limit(self.app.config))
        if not all(limiter.limiter.hit(limit, *prefix, address, LIMIT_SCOPE) for limit in limits):
            return False
        environ[COUNTED] = True
        return True

    def _store(self, code: str, form: MultiDict, language: str) -> answering.PublicForm | None:
        """The answer stored, as it came and not yet settled, when its survey is live and nothing in it is wrong:
        the survey's form; None otherwise, with nothing stored.

        A form that took an answer is kept for a few seconds (`KEEP_FORM_SECONDS`), so that under a flood each
        answer is one statement, which stores it only while the kept form is still the survey's: live, the same
        measure and sites, the same current version (`settling.take_answer_if_current`); after any such change the
        form is read again and the answer checked again. Only a form whose version took an answer is kept: such a
        version's questions never change (a change makes a new version)."""
        with self.held.connection(db.engine) as connection:
            for kept in (self._cached_form(code), None):
                survey = kept or self._read_form(code, connection)
                if survey is None:
                    return None
                given, bad = given_from(form, survey.version.rated)
                if bad or answering.check_given(survey, survey.version, given):
                    return None
                values = answering.answer_values(survey, survey.version, given, language,
                                                 answering.hidden_fields(form), utcnow())
                with writing():  # on SQLite the insert's transaction takes the write lock at once
                    if settling.take_answer_if_current(values, survey, connection):
                        self._keep(code, survey)
                        return survey
                self.forms.pop(code, None)
        return None

    def _cached_form(self, code: str) -> answering.PublicForm | None:
        kept = self.forms.get(code)
        if kept is None or time.monotonic() - kept[1] > KEEP_FORM_SECONDS:
            return None
        return kept[0]

    def _keep(self, code: str, survey: answering.PublicForm) -> None:
        if self._cached_form(code) is survey:
            return  # kept since it was read: its seconds count from then
        if len(self.forms) >= CACHED_FORMS:
            self.forms.clear()
        self.forms[code] = (survey, time.monotonic())

    @staticmethod
    def _read_form(code: str, connection) -> answering.PublicForm | None:
        """The live survey's form of a code; None for any other code."""
        survey = answering.public_form(code, connection)
        connection.rollback()  # the read ends here: the answer's insert is a transaction of its own
        return survey if survey is not None and survey.state == "live" else None


def _posted_form(environ: dict) -> MultiDict | None:
    """The fields of a plain, small form posted, read from the body, which is put back for the application to
    read again; None for any other body (left unread)."""
    mimetype, _options = parse_options_header(environ.get("CONTENT_TYPE", ""))
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if mimetype != "application/x-www-form-urlencoded" or not 0 <= length <= MOST_BYTES:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = BytesIO(body)
    _stream, form, _files = parse_form_data({**environ, "wsgi.input": BytesIO(body)}, max_content_length=MOST_BYTES,
                                            silent=True)
    return form


def init_app(app: Flask) -> None:
    """Put the lane in front of the application."""
    app.wsgi_app = app.extensions["cxroadmap_answer_lane"] = AnswerLane(app)
