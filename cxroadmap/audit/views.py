"""The organisation's audit trail, for the steering committee and administrators."""

from datetime import date

from flask import g, render_template, request

from cxroadmap.access import requires
from cxroadmap.audit.services import TrailFilter, object_types, trail_page
from cxroadmap.errors import tidy
from cxroadmap.web import organisation_blueprint, page_number

bp = organisation_blueprint("audit", __name__)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.get("/audit")
@requires("steering")
def index():
    types = object_types()
    wanted = TrailFilter(
        object_type=request.args.get("object") if request.args.get("object") in types else "",
        person=tidy(request.args.get("person"))[:100],
        since=_day(request.args.get("since")), until=_day(request.args.get("until")))
    page = trail_page(g.organisation, wanted, page_number())
    return render_template("audit/index.html", page=page, wanted=wanted, types=types)
