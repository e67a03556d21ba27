"""Pages of follow-up cases: the list with its filters, each team's inbox, a case, the settings, the figures."""

from babel.numbers import format_decimal
from flask import flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from cxroadmap.access import may, require, requires
from cxroadmap.cases import figures, mails, services
from cxroadmap.cases.forms import CaseForm, SettingsForm
from cxroadmap.cases.kinds import CASE_STATUSES
from cxroadmap.cases.models import Case
from cxroadmap.cases.policy import SETTINGS, WORK
from cxroadmap.cases.rules import cause_name
from cxroadmap.coalition.models import Team
from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.coalition.views import team_page_section
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language, format_moment, ngettext
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.views import initiative_page_section
from cxroadmap.journey.models import Touchpoint
from cxroadmap.journey.views import touchpoint_page_section
from cxroadmap.measures.kinds import MEASURES
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import aware, utcnow, zone
from cxroadmap.web import organisation_blueprint, query_int, render_form, submit

bp = organisation_blueprint("cases", __name__)


@bp.app_template_global()
def case_moment(moment) -> str:
    """A stored moment as the organisation's clock shows it."""
    if moment is None:
        return "—"
    organisation = g.get("organisation")
    return format_moment(aware(moment).astimezone(zone(organisation.time_zone if organisation else None)))


@bp.app_template_global()
def case_cause(key: str) -> str:
    return cause_name(services.root_causes(services.settings_of(g.organisation)), key, current_language())


@bp.app_template_global()
def format_days(days: float | None) -> str:
    """Working days to one decimal, as the current language writes them: 1.5 days, 1,5 dagen."""
    if days is None:
        return "—"
    shown = round(days, 1)
    return ngettext("%(days)s day", "%(days)s days", 1 if shown == 1 else 2,
                    days=format_decimal(shown, format="#,##0.0", locale=current_language()))


@bp.app_template_global()
def case_measure(measure: str | None) -> str:
    return MEASURES.label(measure) if measure else ""


def _touchpoints():
    return list(db.session.scalars(Touchpoint.scoped_to(g.organisation).order_by(Touchpoint.name)))


@bp.get("/cases")
@requires("viewer")
def index():
    status = request.args.get("status", "")
    wanted = services.CaseFilter(
        status=status if status == "open" or status in CASE_STATUSES else "",
        team_id=query_int("team"), touchpoint_id=query_int("touchpoint"), overdue=request.args.get("overdue") == "1")
    now = utcnow()
    return render_template("cases/index.html", cases=services.cases(g.organisation, wanted, now), wanted=wanted,
                           now=now, teams=teams_with_roles(g.organisation), touchpoints=_touchpoints())


def _inbox(team: Team | None):
    now = utcnow()
    wanted = services.CaseFilter(status="" if request.args.get("closed") == "1" else "open",
                                 team_id=team.id if team else 0)
    return render_template("cases/inbox.html", team=team, cases=services.cases(g.organisation, wanted, now),
                           now=now, with_closed=not wanted.status)


@bp.get("/cases/teams/<int:team_id>")
@requires("viewer")
def inbox(team_id: int):
    return _inbox(get_in_organisation(g.organisation, Team, id=team_id))


@bp.get("/cases/lead")
@requires("viewer")
def lead_inbox():
    return _inbox(None)


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@requires(WORK, reads="viewer")
def show(case_id: int):
    case = get_in_organisation(g.organisation, Case, id=case_id)
    settings = services.settings_of(g.organisation)
    causes = services.root_causes(settings)
    form = CaseForm(case, services.owner_choices(g.organisation, case.team), causes, current_language())
    form.domain_problems = lambda: services.case_problems(g.organisation, case, **form.values())
    if request.method == "POST":
        require(WORK, case)
        if submit(form, lambda: mails.update_case_and_tell(g.organisation, case, **form.values())):
            flash(_("Case #%(number)s saved.", number=case.id), "success")
            return redirect(url_for(".show", case_id=case.id))
    return render_form("cases/show.html", form, case=case, now=utcnow(), may_work=may(WORK, case))


@bp.route("/cases/settings", methods=["GET", "POST"])
@requires(SETTINGS)
def settings():
    kept = services.settings_of(g.organisation)
    form = SettingsForm(kept, services.root_causes(kept))
    form.domain_problems = lambda: services.settings_problems(**form.values())
    if submit(form, lambda: services.update_settings(g.organisation, **form.values())):
        flash(_("Follow-up settings saved."), "success")
        return redirect(url_for(".settings"))
    return render_form("cases/settings.html", form)


def _closed_loop():
    return figures.closed_loop(g.organisation, utcnow(), _("No team (CX lead)"), _("The relationship"))


@bp.get("/cases/figures")
@requires("viewer")
def loop_figures():
    return render_template("cases/figures.html", loop=_closed_loop(), days=figures.PERIOD_DAYS)


# -- what other pages show of the cases --------------------------------------------------------------------

def dashboard_panel() -> Markup:
    """The overview's panel: overdue and open cases, and the closed-loop figures of the last 90 days."""
    organisation = g.get("organisation")
    if organisation is None:
        return Markup("")
    now = utcnow()
    return Markup(render_template(
        "cases/_panel.html", overdue=services.overdue_count(organisation, now),
        open=services.open_count(organisation), loop=_closed_loop().overall, days=figures.PERIOD_DAYS))


@initiative_page_section("cases/_initiative_cases.html", place=40)
def initiative_cases_section(initiative: Initiative) -> dict:
    return {"cases": services.cases_of_initiative(initiative), "now": utcnow()}


def _open_and_overdue(wanted: services.CaseFilter) -> dict:
    now = utcnow()
    cases = services.cases(g.organisation, wanted, now)
    return {"open": len(cases), "overdue": sum(case.overdue(now) for case in cases)}


@team_page_section("cases/_team_cases.html", place=30)
def team_cases_section(team: Team) -> dict:
    return _open_and_overdue(services.CaseFilter(status="open", team_id=team.id))


@touchpoint_page_section("cases/_touchpoint_cases.html", place=30)
def touchpoint_cases_section(touchpoint: Touchpoint) -> dict:
    return _open_and_overdue(services.CaseFilter(status="open", touchpoint_id=touchpoint.id))
