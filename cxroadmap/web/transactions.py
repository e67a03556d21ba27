"""A request's one transaction: committed at its end when a writing request's view answered (finish_request), with
what must wait for the commit (after_commit), and uploads read before the write lock is taken."""

from collections.abc import Callable

from flask import Response, current_app, g, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict

from cxroadmap.access import SAFE_METHODS
from cxroadmap.database import begin_immediately, end_reading
from cxroadmap.extensions import db
from cxroadmap.i18n import _


def keep_changes() -> None:
    """Have the request's end commit what it recorded, even though it answers with an error or only reads."""
    g.keep_changes = True


def finish_request(response: Response) -> Response:
    """The one commit point: a writing request whose view answered keeps what it did.

    Error pages have already rolled back (`render_error`); reading requests never commit. A refusal by the
    database at this last moment (a duplicate, an overwrite) is answered with 409 and nothing is kept.
    """
    if response.status_code >= 500 or (request.method in SAFE_METHODS and not g.get("keep_changes")):
        return response
    try:
        db.session.commit()
        for action in g.pop("after_commit", []):
            action()
    except (IntegrityError, StaleDataError):
        current_app.logger.exception("the database refused the changes of %s %s", request.method, request.path)
        db.session.rollback()
        # Answered by the handler registered for 409: a page, or a problem document under /api/.
        return current_app.make_response(current_app.handle_http_exception(Conflict(_(
            "Someone else saved a change at the same moment, or it clashes with something already saved. "
            "Nothing was saved."))))
    return response


def reads_upload(view: Callable) -> Callable:
    """Mark a view that reads an uploaded file before it writes: its request begins without SQLite's write lock (a
    POST otherwise takes it before its first query), so a large or hostile file being read or previewed holds
    back nobody else's writes. The view calls start_writing() once the file is read, before it writes."""
    view.reads_upload = True
    return view


def start_writing() -> None:
    """From here on this request writes: the transaction it read in ends (what it loaded stays loaded) and the
    next one takes SQLite's write lock at once, as a writing request's does."""
    end_reading(db.session())
    begin_immediately(True)


def after_commit(action: Callable[[], None]) -> None:
    """Run action once this request's changes are committed: a mail must not link to what was never saved."""
    g.setdefault("after_commit", []).append(action)
