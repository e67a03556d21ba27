"""The organisation's audit trail, for the steering committee and administrators."""


from flask import g, render_template, request

from cxroadmap.access import requires
from cxroadmap.audit.labels import preload
from cxroadmap.audit.services import TrailFilter, object_types, trail_page
from cxroadmap.validation import tidy
from cxroadmap.web import organisation_blueprint, page_number, query_day

bp = organisation_blueprint("audit", __name__)


@bp.get("/audit")
@requires("steering")
def index():
    types = object_types()
    wanted = TrailFilter(
        object_type=request.args.get("object") if request.args.get("object") in types else "",
        person=tidy(request.args.get("person"))[:100],
        since=query_day("since"), until=query_day("until"))
    page = trail_page(g.organisation, wanted, page_number())
    # The objects the events name, loaded at once and held while the page is drawn.
    return render_template("audit/index.html", page=page, wanted=wanted, types=types, named=preload(page.items))
