"""Benefit estimates on the initiative page: the business case section, adding, editing, deleting."""

from flask import current_app, flash, g, redirect, url_for

from cxroadmap.access import requires
from cxroadmap.benefits import services
from cxroadmap.benefits.forms import BenefitForm
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_by_ref
from cxroadmap.initiatives.views import initiative_page_section
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = organisation_blueprint("benefits", __name__)


@initiative_page_section("benefits/_section.html", place=10)
def business_case_section(initiative: Initiative) -> dict:
    benefits = services.benefits_by_initiative([initiative])[initiative.id]
    horizon = current_app.config["BENEFIT_HORIZON_YEARS"]
    case = services.initiative_case(g.organisation, initiative, benefits, horizon, today())
    return {"benefits": benefits, "case": case, "describe_drivers": services.describe_drivers}


@bp.route("/initiatives/<ref>/benefits/new", methods=["GET", "POST"])
@requires("steering")
def new(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = BenefitForm()
    if submit(form, lambda: services.add_benefit(initiative, **form.values())):
        flash(_("Benefit estimate added."), "success")
        return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="benefits"))
    return render_form("benefits/form.html", form, initiative=initiative, benefit=None)


@bp.route("/initiatives/<ref>/benefits/<int:benefit_id>/edit", methods=["GET", "POST"])
@requires("steering")
def edit(ref: str, benefit_id: int):
    initiative = initiative_by_ref(g.organisation, ref)
    benefit = services.benefit_of(initiative, benefit_id)
    form = BenefitForm(obj=benefit)
    if submit(form, lambda: services.update_benefit(benefit, **form.values(),
                                                          expected_version=form.version.data)):
        flash(_("Benefit estimate saved."), "success")
        return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="benefits"))
    return render_form("benefits/form.html", form, initiative=initiative, benefit=benefit)


@bp.post("/initiatives/<ref>/benefits/<int:benefit_id>/delete")
@requires("steering")
def delete(ref: str, benefit_id: int):
    initiative = initiative_by_ref(g.organisation, ref)
    services.delete_benefit(services.benefit_of(initiative, benefit_id))
    flash(_("Benefit estimate deleted."), "success")
    return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="benefits"))
