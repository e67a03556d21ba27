"""Benefit estimates on the initiative page: the business case section, adding, editing, deleting."""

from flask import current_app, g

from cxroadmap.access import requires
from cxroadmap.benefits import services
from cxroadmap.benefits.forms import BenefitForm
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_by_ref
from cxroadmap.initiatives.views import changed_on_page, initiative_page_section, section_url
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, render_form, saved

bp = organisation_blueprint("benefits", __name__)


@initiative_page_section("benefits/_section.html", place=10)
def business_case_section(initiative: Initiative) -> dict:
    benefits = services.benefits_by_initiative([initiative])[initiative.id]
    horizon = current_app.config["BENEFIT_HORIZON_YEARS"]
    case = services.initiative_case(g.organisation, initiative, benefits, horizon, today())
    return {"benefits": benefits, "case": case, "describe_drivers": services.describe_drivers}


def _benefit_form(initiative: Initiative, benefit: BenefitEstimate | None, save, done: str):
    """The form of a new benefit estimate (benefit None) or of one to change: saved by save(form), then the
    initiative's business case."""
    form = BenefitForm(obj=benefit)
    return saved(form, lambda: save(form), lambda benefit: done, lambda benefit: section_url(initiative, "benefits")) \
        or render_form("benefits/form.html", form, initiative=initiative, benefit=benefit)


@bp.route("/initiatives/<ref>/benefits/new", methods=["GET", "POST"])
@requires("steering")
def new(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    return _benefit_form(initiative, None, lambda form: services.add_benefit(initiative, **form.values()),
                         _("Benefit estimate added."))


@bp.route("/initiatives/<ref>/benefits/<int:benefit_id>/edit", methods=["GET", "POST"])
@requires("steering")
def edit(ref: str, benefit_id: int):
    initiative = initiative_by_ref(g.organisation, ref)
    benefit = services.benefit_of(initiative, benefit_id)
    return _benefit_form(initiative, benefit, lambda form: services.update_benefit(
        benefit, **form.values(), expected_version=form.version.data), _("Benefit estimate saved."))


@bp.post("/initiatives/<ref>/benefits/<int:benefit_id>/delete")
@requires("steering")
def delete(ref: str, benefit_id: int):
    return changed_on_page(ref, lambda initiative: services.delete_benefit(services.benefit_of(initiative, benefit_id)),
                           _("Benefit estimate deleted."), "benefits")
