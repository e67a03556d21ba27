"""KPI pages: the board of O-data and X-data, one KPI with its readings, and the forms that change them."""

from collections.abc import Callable

from flask import current_app, flash, g, redirect, render_template, request, url_for

from cxroadmap.access import requires
from cxroadmap.coalition.services import coalition_members
from cxroadmap.i18n import _, current_language, ngettext
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_by_ref
from cxroadmap.initiatives.views import initiative_page_section
from cxroadmap.journey.models import Touchpoint
from cxroadmap.journey.views import touchpoint_page_section
from cxroadmap.measures import answers, links, scores, services
from cxroadmap.measures.formatting import format_achievement, format_change, format_value, plot
from cxroadmap.measures.forms import AnswersForm, InitiativeKpiForm, KpiForm, ReadingForm
from cxroadmap.measures.kinds import KPI_KINDS, KPI_STATUSES
from cxroadmap.measures.models import Kpi
from cxroadmap.measures.policy import RECORD_READING
from cxroadmap.readiness.evidence import Evidence, readiness_evidence
from cxroadmap.timeutil import today
from cxroadmap.web import (
    organisation_blueprint,
    reads_upload,
    render_form,
    start_writing,
    submit,
    submit_and_tell,
)

bp = organisation_blueprint("measures", __name__)

SPARK = (120, 28)
CHART = (640, 220)


@bp.app_template_global()
def kpi_value(value, kpi: Kpi) -> str:
    return format_value(value, kpi.measure, kpi.unit, current_language())


@bp.app_template_global()
def kpi_achievement(value) -> str:
    return format_achievement(value, current_language())


@bp.app_template_global()
def kpi_change(value, kpi: Kpi) -> str:
    return format_change(value, kpi.measure, kpi.unit, current_language())


@bp.app_template_global()
def kpi_score(score, kpi: Kpi) -> str:
    """A survey reading as '38.0 (29.3 to 46.1), n = 112' (see measures.scores.score_text)."""
    return scores.score_text(score, kpi.unit, current_language())


@bp.app_template_global()
def kpi_interval(score, kpi: Kpi) -> str:
    return scores.interval_text(score, kpi.unit, current_language())


@bp.app_template_global()
def kpi_verdict(verdict) -> str:
    return scores.verdict_text(verdict)


@bp.app_template_global()
def kpi_basis(score) -> str:
    return scores.basis_text(score)


@bp.app_template_global()
def kpi_score_notes(honest) -> list[str]:
    return scores.basis_notes([h.score for h in honest])


@bp.app_template_global()
def kpi_score_words(figures: services.KpiFigures) -> list[str]:
    """A survey KPI's latest reading in words, for a line of a mail: the reading with n and its interval, the
    verdict on the change from the reading before, and why the status may be chance; [] for other KPIs."""
    latest = figures.latest_honest
    if latest is None:
        return []
    words = [scores.score_text(latest.score, figures.kpi.unit, current_language())]
    if latest.verdict:
        words.append(_("since the reading before: %(verdict)s", verdict=scores.verdict_text(latest.verdict)))
    if figures.status_caveat:
        words.append(figures.status_caveat)
    return words


@bp.app_template_global()
def kpi_plot(figures: services.KpiFigures, size: str = "spark"):
    kpi = figures.kpi
    readings = [(r.taken_on, r.value) for r in figures.readings]
    baseline, target = (kpi.baseline_on, kpi.baseline_value), (kpi.target_on, kpi.target_value)
    if size == "chart":
        return plot(readings, baseline, target, *CHART, pad=14, left=92, bottom=30, today=today())
    return plot(readings, baseline, target, *SPARK)


def _kpi_form(**kwargs) -> KpiForm:
    return KpiForm(coalition_members(g.organisation, active_only=True), services.touchpoint_choices(g.organisation),
                   **kwargs)


@bp.get("/kpis")
@requires("viewer")
def index():
    board = services.kpi_board(g.organisation, today())
    groups = [(kind, [f for f in board if f.kpi.kind == kind.key]) for kind in KPI_KINDS]
    return render_template("measures/index.html", groups=groups, board=board, statuses=KPI_STATUSES, on=today())


@bp.route("/kpis/new", methods=["GET", "POST"])
@requires("steering")
def new():
    form = _kpi_form()
    kpi = submit(form, lambda: services.create_kpi(g.organisation, **form.values()))
    if kpi:
        flash(_("%(code)s created. Add its first reading.", code=kpi.code), "success")
        return redirect(url_for(".show", code=kpi.code))
    return render_form("measures/form.html", form, kpi=None)


# Areas above this one (surveys: the answers that feed a KPI) add their part of the KPI page here.
_kpi_sections: list[tuple[int, str, Callable[[Kpi], dict | None]]] = []


def kpi_page_section(template: str, place: int):
    """Register fn(kpi) -> context (None: nothing to show) as a section of the KPI page, drawn with template."""
    def register(fn):
        _kpi_sections.append((place, template, fn))
        _kpi_sections.sort(key=lambda section: section[0])
        return fn
    return register


@bp.get("/kpis/<code>")
@requires("viewer")
def show(code: str):
    kpi = services.kpi_by_code(g.organisation, code)
    return _show(kpi, ReadingForm(), AnswersForm())


def _show(kpi: Kpi, reading_form: ReadingForm, answers_form: AnswersForm, status: int = 200):
    figures = services.kpi_figures(kpi, today())
    if request.method == "GET":
        reading_form.taken_on.data = answers_form.taken_on.data = today()
    readings = list(reversed(figures.readings))
    sections = [(template, context) for _place, template, fn in _kpi_sections if (context := fn(kpi)) is not None]
    honest = {reading.id: read for reading, read in zip(figures.readings, figures.honest, strict=False)}
    return render_template("measures/show.html", kpi=kpi, figures=figures, reading_form=reading_form,
                           answers_form=answers_form, moving=links.initiatives_moving(kpi), readings=readings,
                           honest=honest,
                           comments=services.kept_comments([r.id for r in readings[:4]]), sections=sections), status


@bp.route("/kpis/<code>/edit", methods=["GET", "POST"])
@requires("steering")
def edit(code: str):
    kpi = services.kpi_by_code(g.organisation, code)
    form = _kpi_form(obj=kpi)
    if request.method == "GET":
        form.fill_from(kpi)
    if submit(form, lambda: services.update_kpi(g.organisation, kpi, expected_version=form.version.data,
                                                **form.values())):
        flash(_("%(code)s saved.", code=kpi.code), "success")
        return redirect(url_for(".show", code=kpi.code))
    return render_form("measures/form.html", form, kpi=kpi)


@bp.post("/kpis/<code>/delete")
@requires("steering")
def delete(code: str):
    kpi = services.kpi_by_code(g.organisation, code)
    services.delete_kpi(kpi)
    flash(_("%(code)s deleted with its readings.", code=code.upper()), "success")
    return redirect(url_for(".index"))


@bp.post("/kpis/<code>/readings")
@requires(RECORD_READING)
def add_reading(code: str):
    kpi = services.kpi_by_code(g.organisation, code)
    form = ReadingForm()
    if submit(form, lambda: services.record_reading(kpi, **form.values())):
        flash(_("Reading saved."), "success")
        return redirect(url_for(".show", code=kpi.code, _anchor="readings"))
    return _show(kpi, form, AnswersForm(), 422)


@bp.post("/kpis/<code>/readings/<int:reading_id>/delete")
@requires("steering")
def delete_reading(code: str, reading_id: int):
    kpi = services.kpi_by_code(g.organisation, code)
    services.delete_reading(services.reading_of(kpi, reading_id))
    flash(_("Reading deleted."), "success")
    return redirect(url_for(".show", code=kpi.code, _anchor="readings"))


@bp.post("/kpis/<code>/answers")
@requires("steering")
@reads_upload
def import_answers(code: str):
    """The file is read as a stream and checked without holding the database's write lock; the answers are then
    stored in the KPI's survey (measures.answers.AnswerImport)."""
    kpi = services.kpi_by_code(g.organisation, code)
    form = AnswersForm()

    def action():
        return answers.import_answers(g.organisation, kpi, form.answers.data.stream, form.taken_on.data,
                                      before_writing=start_writing)

    imported = submit(form, action)
    if imported:
        flash(ngettext("%(num)d answer stored in %(survey)s; the readings of its periods follow from them.",
                       "%(num)d answers stored in %(survey)s; the readings of their periods follow from them.",
                       imported.count, survey=imported.survey_title), "success")
        return redirect(url_for(".show", code=kpi.code, _anchor="readings"))
    return _show(kpi, ReadingForm(), form, 422)


# -- what other pages show of the KPIs -------------------------------------------------------------------

@initiative_page_section("measures/_initiative_kpis.html", place=15)
def initiative_kpis_section(initiative: Initiative) -> dict:
    linked = links.kpi_links_of([initiative.id])[initiative.id]
    board = {f.kpi.id: f for f in services.kpi_board(g.organisation, today())} if linked else {}
    return {"links": [(link, board.get(link.kpi_id)) for link in linked],
            "form": InitiativeKpiForm(services.all_kpis(g.organisation))}


@bp.post("/initiatives/<ref>/kpis")
@requires("steering")
def link_kpi(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = InitiativeKpiForm(services.all_kpis(g.organisation))

    def action():
        return links.link_kpi(initiative, services.kpi_by_code(g.organisation, form.kpi.data),
                              form.expected_change.data)

    submit_and_tell(form, action, _("KPI tied to %(ref)s.", ref=initiative.ref))
    return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="kpis"))


@bp.post("/initiatives/<ref>/kpis/<code>/remove")
@requires("steering")
def unlink_kpi(ref: str, code: str):
    initiative = initiative_by_ref(g.organisation, ref)
    kpi = services.kpi_by_code(g.organisation, code)
    links.unlink_kpi(initiative, kpi)
    flash(_("%(code)s no longer tied to %(ref)s.", code=kpi.code, ref=initiative.ref), "success")
    return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor="kpis"))


@touchpoint_page_section("measures/_touchpoint_kpis.html", place=20)
def touchpoint_kpis_section(touchpoint: Touchpoint) -> dict:
    kpis = services.kpis_of_touchpoints(g.organisation, [touchpoint.id])[touchpoint.id]
    readings = services.readings_by_kpi([kpi.id for kpi in kpis])
    return {"figures": services.figures_of_many(kpis, readings, today())}


@readiness_evidence
def customer_evidence(organisation) -> Evidence:
    days = current_app.config.get("X_DATA_RECENT_DAYS", 90)
    coverage = links.stages_with_recent_x_data(organisation, today(), days)
    return Evidence("know_customers", _("Journey stages with experience data from the last %(days)s days", days=days),
                    coverage.share,
                    _("%(covered)s of %(stages)s stages", covered=coverage.part, stages=coverage.whole),
                    "measures.index")
