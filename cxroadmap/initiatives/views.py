"""Pages for initiatives: the filtered list, one initiative, creating, editing, archiving and restoring."""

from collections.abc import Callable

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for

from cxroadmap.access import can, requires
from cxroadmap.audit.services import object_history
from cxroadmap.coalition.services import coalition_members, member_names
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives import policy, services
from cxroadmap.initiatives.forms import InitiativeForm
from cxroadmap.initiatives.models import Initiative
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, page_number, query_int, render_form, saved

bp = organisation_blueprint("initiatives", __name__)

# Areas above this one (benefits, audit, later governance) add their part of the initiative page here,
# so that this area never has to know them: (place on the page, template, context function).
_page_sections: list[tuple[int, str, Callable[[Initiative], dict]]] = []


def initiative_page_section(template: str, place: int):
    """Register fn(initiative) -> context as a section of the initiative page, drawn with template.

    Sections appear in the order of their place (lower first), whatever order their areas were loaded in.
    """
    def register(fn):
        _page_sections.append((place, template, fn))
        _page_sections.sort(key=lambda section: section[0])
        return fn
    return register


def list_filter() -> services.InitiativeFilter:
    args = request.args
    return services.InitiativeFilter(
        question=args.get("question") or None, status=args.get("status") or None,
        health=args.get("health") or None, owner_id=query_int("owner"),
        archive=args.get("archive", "active"), state=args.get("state") or None,
        stale_days=current_app.config["STALE_UPDATE_DAYS"], text=args.get("q", ""),
        sort=args.get("sort", "ref"), descending=args.get("dir") == "desc",
    )


@bp.get("/initiatives")
@requires("viewer")
def index():
    wanted = list_filter()
    page = services.list_initiatives(g.organisation, wanted, page_number(),
                                     current_app.config["INITIATIVES_PER_PAGE"])
    return render_template("initiatives/index.html", page=page, wanted=wanted, on=today(),
                           members=member_names(g.organisation), archive_views=services.ARCHIVE_VIEWS,
                           states=services.STATES)


@bp.get("/initiatives/search")
@requires("viewer")
def search():
    """Up to 20 active initiatives matching ?q= (reference or title), for the initiative picker."""
    found = services.search_initiatives(g.organisation, request.args.get("q", ""))
    return jsonify({"initiatives": [{"ref": i.ref, "title": i.title} for i in found]})


@bp.route("/initiatives/new", methods=["GET", "POST"])
@requires(policy.CREATE)
def new():
    form = InitiativeForm(coalition_members(g.organisation, active_only=True))
    if request.method == "GET" and request.args.get("question"):
        form.readiness_question.data = request.args["question"]
    return saved(form, lambda: services.create_initiative(g.organisation, **form.values()),
                 lambda initiative: _("%(ref)s created. Add what it is expected to earn or save.", ref=initiative.ref),
                 _page_of) or render_form("initiatives/form.html", form, initiative=None)


@bp.get("/initiatives/<ref>")
@requires("viewer")
def show(ref: str):
    return render_initiative_page(services.initiative_by_ref(g.organisation, ref))


def render_initiative_page(initiative: Initiative, status: int = 200):
    """The initiative's page with all its sections; 422 when a small form on it was refused (the section shows
    that form again, as typed, with its errors)."""
    sections = [(template, context(initiative)) for _, template, context in _page_sections]
    return render_template("initiatives/show.html", initiative=initiative, sections=sections, on=today()), status


def section_url(initiative: Initiative, anchor: str) -> str:
    """The initiative's page, at the section whose anchor this is."""
    return url_for("initiatives.show", ref=initiative.ref, _anchor=anchor)


def changed_on_page(ref: str, change: Callable[[Initiative], object], done: str, anchor: str):
    """For a button in a section of the initiative page: change(initiative), say done, and back to the section."""
    initiative = services.initiative_by_ref(g.organisation, ref)
    change(initiative)
    flash(done, "success")
    return redirect(section_url(initiative, anchor))


@bp.route("/initiatives/<ref>/edit", methods=["GET", "POST"])
@requires(policy.EDIT)
def edit(ref: str):
    initiative = services.initiative_by_ref(g.organisation, ref)
    members = coalition_members(g.organisation)
    form = InitiativeForm([m for m in members if m.active or m.id == initiative.owner_id], obj=initiative)
    if request.method == "GET":
        form.owner.data = initiative.owner_id
    return saved(form, lambda: services.update_initiative(
                     g.organisation, initiative, expected_version=form.version.data, **form.values()),
                 lambda initiative: _("%(ref)s saved.", ref=initiative.ref),
                 _page_of) or render_form("initiatives/form.html", form, initiative=initiative)


def _page_of(initiative: Initiative) -> str:
    return url_for(".show", ref=initiative.ref)


@bp.post("/initiatives/<ref>/archive")
@requires(policy.ARCHIVE)
def archive(ref: str):
    return _set_archived(ref, True, _l("%(ref)s archived: it no longer counts in the portfolio."))


@bp.post("/initiatives/<ref>/restore")
@requires(policy.ARCHIVE)
def restore(ref: str):
    return _set_archived(ref, False, _l("%(ref)s restored to the portfolio."))


def _set_archived(ref: str, archived: bool, message: str):
    initiative = services.initiative_by_ref(g.organisation, ref)
    services.set_archived(initiative, archived)
    flash(message % {"ref": initiative.ref}, "success")
    return redirect(url_for(".show", ref=initiative.ref))


@initiative_page_section("audit/_history.html", place=90)
def audit_section(initiative: Initiative) -> dict:
    """The initiative's own trail, for those who may read the organisation's trail."""
    if not can("steering"):
        return {"events": None}
    return {"events": object_history(g.organisation, "Initiative", initiative.id)}
