"""What every area's API resources share: their URLs, pages of a list with a Link to the next, and the entity
tags that make a change refused when the row changed since it was read."""

import re
from urllib.parse import urlencode

from flask import request

from cxroadmap.apikit import schemas
from cxroadmap.apikit.problems import ApiProblem
from cxroadmap.apikit.spec import IF_MATCH, PREFIX
from cxroadmap.extensions import db
from cxroadmap.i18n import _


def api_url(path: str) -> str:
    """The API's URL of a resource path ("/o/acme/kpis/NPS" → "/api/v1/o/acme/kpis/NPS")."""
    return f"{PREFIX}{path}"


def _cursor_offset(page: schemas.Page) -> int:
    """Where the page starts; the cursor is opaque to clients (today it counts rows, in base 36)."""
    return int(page.cursor[1:], 36) if page.cursor else 0


def _cursor(offset: int) -> str:
    digits = ""
    while True:
        offset, digit = divmod(offset, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not offset:
            return "c" + digits


def paged(query, page: schemas.Page) -> tuple[list, dict]:
    """One page of the query's rows, and the Link header to the next page when there is one."""
    offset = _cursor_offset(page)
    rows = list(db.session.scalars(query.limit(page.limit + 1).offset(offset)).unique())
    headers = {}
    if len(rows) > page.limit:
        rows = rows[:page.limit]
        args = {**request.args.to_dict(), "cursor": _cursor(offset + page.limit), "limit": page.limit}
        headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return rows, headers


def etag(row) -> str:
    """A versioned row's entity tag ("v3")."""
    return f'"v{row.version}"'


def check_if_match(row, what: str) -> None:
    """Refuse (412) a change to a row changed since the version the If-Match header names; none, or "*", lets it
    through. `what` names the row in the refusal ("INIT-3")."""
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    if not re.fullmatch(IF_MATCH, wanted):
        raise ApiProblem(400, _("If-Match must be the ETag you read, such as \"v3\", or several separated by "
                                "commas."))
    tags = [tag.strip().removeprefix("W/") for tag in wanted.split(",")]
    if etag(row) not in tags:
        who = row.updated_by or _("someone else")
        when = row.updated_at.strftime("%Y-%m-%d %H:%M UTC") if row.updated_at else ""
        raise ApiProblem(412, _("%(who)s changed %(what)s at %(when)s, after the version you sent. Nothing was "
                                "saved: read it again, then make your change.", who=who, what=what, when=when),
                         headers={"ETag": etag(row)})
