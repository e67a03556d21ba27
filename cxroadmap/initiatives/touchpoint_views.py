"""The touchpoints an initiative works on: a section of the initiative page, and of the touchpoint page."""

from flask import g, redirect, url_for
from wtforms import SelectMultipleField

from cxroadmap.access import can, requires
from cxroadmap.fields import Form
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives import touchpoints
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_by_ref
from cxroadmap.initiatives.views import initiative_page_section
from cxroadmap.journey import reading
from cxroadmap.journey.models import Touchpoint
from cxroadmap.journey.views import touchpoint_page_section
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, submit_and_tell

# The initiative page's touchpoint form posts here; the URL sits under the initiative's own.
bp = organisation_blueprint("initiative_touchpoints", __name__)


class TouchpointsForm(Form):
    touchpoints = SelectMultipleField(_l("Touchpoints it works on"))

    def __init__(self, options, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.touchpoints.choices = [(t.key, t.name) for t, _stage in options]


@initiative_page_section("initiatives/_touchpoints.html", place=12)
def touchpoints_section(initiative: Initiative) -> dict:
    chosen = touchpoints.touchpoints_of(initiative)
    readings = [reading.touchpoint_reading(t, today()) for t in chosen]
    options = reading.touchpoint_options(g.organisation) if can("steering") else []
    return {"readings": readings, "options": options, "chosen": {t.key for t in chosen},
            "form": TouchpointsForm(options) if options else None}


@bp.post("/initiatives/<ref>/touchpoints")
@requires("steering")
def set_touchpoints(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = TouchpointsForm(reading.touchpoint_options(g.organisation))
    submit_and_tell(form, lambda: touchpoints.set_touchpoints(g.organisation, initiative,
                                                                form.touchpoints.data or []),
                    _("%(ref)s now names the touchpoints it works on.", ref=initiative.ref))
    return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="touchpoints-worked-on"))


@touchpoint_page_section("initiatives/_on_touchpoint.html", place=10)
def initiatives_section(touchpoint: Touchpoint) -> dict:
    return {"initiatives": touchpoints.initiatives_on(touchpoint)}
