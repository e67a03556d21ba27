"""Pages for the coalition's members, the teams, and each team's role in delivering the brand promise."""

from collections.abc import Callable

from flask import current_app, flash, g, redirect, render_template, url_for

from cxroadmap.access import requires
from cxroadmap.coalition import services
from cxroadmap.coalition.forms import MemberForm, RoleStatementForm, TeamForm
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.coalition.roles import USUAL_FUNCTIONS
from cxroadmap.i18n import _
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, render_form, saved, submit

bp = organisation_blueprint("coalition", __name__)

# Areas above this one (the journey: the touchpoints a team owns) add their part of the team page here,
# so that this area never has to know them: (place on the page, template, context function).
_team_sections: list[tuple[int, str, Callable[[Team], dict]]] = []


def team_page_section(template: str, place: int):
    """Register fn(team) -> context as a section of the team page, drawn with template, in order of place."""
    def register(fn):
        _team_sections.append((place, template, fn))
        _team_sections.sort(key=lambda section: section[0])
        return fn
    return register


@bp.get("/coalition")
@requires("viewer")
def members():
    return render_template("coalition/members.html", members=services.coalition_members(g.organisation))


@bp.route("/coalition/new", methods=["GET", "POST"])
@requires("steering")
def new_member():
    return _member_form(None, lambda form: services.add_member(g.organisation, **form.values()),
                        lambda member: _("%(name)s joined the coalition.", name=member.name))


@bp.route("/coalition/<int:member_id>/edit", methods=["GET", "POST"])
@requires("steering")
def edit_member(member_id: int):
    member = get_in_organisation(g.organisation, CoalitionMember, id=member_id)
    return _member_form(member, lambda form: services.update_member(g.organisation, member, **form.values(),
                                                                    expected_version=form.version.data),
                        lambda member: _("%(name)s saved.", name=member.name))


def _member_form(member: CoalitionMember | None, save, message):
    """The form of a new member (member None) or of a member's details: saved by save(form) and said by
    message(member), then the list of members."""
    form = MemberForm(obj=member)
    return saved(form, lambda: save(form), message, lambda member: url_for(".members")) \
        or render_form("coalition/member_form.html", form, member=member, functions=USUAL_FUNCTIONS)


@bp.get("/teams")
@requires("viewer")
def teams():
    teams = services.teams_with_roles(g.organisation)
    max_age = current_app.config["ROLE_STATEMENT_MAX_AGE_DAYS"]
    return render_template("coalition/teams.html", teams=teams, on=today(), max_age=max_age,
                           coverage=services.role_coverage(teams, today(), max_age), is_current=services.is_current)


@bp.route("/teams/new", methods=["GET", "POST"])
@requires("steering")
def new_team():
    return _team_form(None, lambda form: services.create_team(g.organisation, **form.values()),
                      lambda team: _("Team %(name)s added. Now log its role in delivering the brand promise.",
                                     name=team.name))


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@requires("steering")
def edit_team(team_id: int):
    team = get_in_organisation(g.organisation, Team, id=team_id)
    return _team_form(team, lambda form: services.update_team(g.organisation, team, **form.values(),
                                                              expected_version=form.version.data),
                      lambda team: _("Team %(name)s saved.", name=team.name))


def _team_form(team: Team | None, save, message):
    """The form of a new team (team None) or of a team's details: saved by save(form) and said by message(team),
    then the team's page."""
    form = TeamForm(obj=team)
    return saved(form, lambda: save(form), message, lambda team: url_for(".team", team_id=team.id)) \
        or render_form("coalition/team_form.html", form, team=team, functions=USUAL_FUNCTIONS)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@requires("contributor", reads="viewer")
def team(team_id: int):
    team = get_in_organisation(g.organisation, Team, id=team_id)
    form = RoleStatementForm()
    if not form.is_submitted() and team.current_statement:
        form.touchpoints.data = "\n".join(team.current_statement.touchpoints)
    if submit(form, lambda: services.log_role(team, **form.values())):
        flash(_("The role of %(name)s is logged.", name=team.name), "success")
        return redirect(url_for(".team", team_id=team.id))
    max_age = current_app.config["ROLE_STATEMENT_MAX_AGE_DAYS"]
    sections = [(template, context(team)) for _, template, context in _team_sections]
    return render_form("coalition/team.html", form, team=team, on=today(), max_age=max_age,
                       is_current=services.is_current, sections=sections)
