"""Every route × every role × two organisations (and nobody signed in): who gets what.

The table below is written out by hand, on purpose: it is the promise, and the code must keep it.
"""

import re

import pytest

from cxroadmap.accounts.invitations import invite
from cxroadmap.accounts.models import Membership
from cxroadmap.assessments.services import save_answers
from cxroadmap.cases.services import open_case
from cxroadmap.chat.channels import add_channel
from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.extensions import db
from cxroadmap.measures.feedback import FeedbackAnswer
from cxroadmap.notifications.webhooks import register_endpoint
from cxroadmap.organisations.services import organisation_by_slug, set_logo
from cxroadmap.sso.services import add_provider, map_group
from cxroadmap.surveys.invitations.models import SurveySuppression
from cxroadmap.surveys.models import SurveyTheme
from cxroadmap.surveys.services import create_survey
from cxroadmap.timeutil import utcnow
from tests.factories import (
    ActionFactory,
    BenefitFactory,
    DependencyFactory,
    InitiativeFactory,
    InitiativeKpiFactory,
    IssuedReportFactory,
    JobFactory,
    JourneyStageFactory,
    KpiFactory,
    KpiReadingFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
    UserFactory,
    assessment_round,
)
from tests.organisations.test_logo import png

ROLES = ("viewer", "contributor", "steering", "admin")

# endpoint: (role needed to look (GET), role needed to change (POST)); None where the method is not offered.
ORGANISATION_ROUTES = {
    "overview.show": ("viewer", None),
    "overview.chart": ("viewer", None),
    "maturity.index": ("viewer", "steering"),
    "readiness.index": ("viewer", "steering"),
    "coalition.members": ("viewer", None),
    "coalition.new_member": ("steering", "steering"),
    "coalition.edit_member": ("steering", "steering"),
    "coalition.teams": ("viewer", None),
    "coalition.new_team": ("steering", "steering"),
    "coalition.edit_team": ("steering", "steering"),
    "coalition.team": ("viewer", "contributor"),
    "initiatives.index": ("viewer", None),
    "initiatives.search": ("viewer", None),
    "initiatives.new": ("steering", "steering"),
    "initiatives.show": ("viewer", None),
    "initiatives.edit": ("steering", "steering"),
    "initiatives.archive": (None, "steering"),
    "initiatives.restore": (None, "steering"),
    # A contributor may post updates only on the initiatives they own; INIT-1 here is owned by nobody.
    "tracking.post_update": (None, "steering"),
    "tracking.add_milestone": (None, "steering"),
    "tracking.move_milestone": (None, "steering"),
    "tracking.complete_milestone": (None, "steering"),
    "tracking.add_dependency": (None, "steering"),
    "tracking.remove_dependency": (None, "steering"),
    "tracking.record_actual": (None, "steering"),
    "initiative_touchpoints.set_touchpoints": (None, "steering"),
    "governance.meetings": ("viewer", "steering"),
    "governance.meeting": ("viewer", None),
    "governance.edit_meeting": ("steering", "steering"),
    "governance.record_decision": (None, "steering"),
    "governance.assign_action": (None, "steering"),
    "governance.set_action_state": (None, "steering"),
    "governance.steering_pack": ("viewer", None),
    "governance.minutes": ("viewer", None),
    "governance.dashboard_page": ("viewer", None),
    "governance.dashboard_chart": ("viewer", None),
    "governance.timeline_page": ("viewer", None),
    "governance.timeline_chart": ("viewer", None),
    "benefits.new": ("steering", "steering"),
    "benefits.edit": ("steering", "steering"),
    "benefits.delete": (None, "steering"),
    "measures.index": ("viewer", None),
    "measures.new": ("steering", "steering"),
    "measures.show": ("viewer", None),
    "measures.edit": ("steering", "steering"),
    "measures.delete": (None, "steering"),
    "measures.add_reading": (None, "steering"),
    "measures.delete_reading": (None, "steering"),
    "measures.import_answers": (None, "steering"),
    "measures.link_kpi": (None, "steering"),
    "measures.unlink_kpi": (None, "steering"),
    "journey.index": ("viewer", None),
    "journey.gaps_chart": ("viewer", None),
    "journey.gap_chart": ("viewer", None),
    "journey.stages": ("steering", "steering"),
    "journey.rename_stage": (None, "steering"),
    "journey.move_stage": (None, "steering"),
    "journey.remove_stage": (None, "steering"),
    "journey.new_touchpoint": ("steering", "steering"),
    "journey.edit_touchpoint": ("steering", "steering"),
    "journey.touchpoint": ("viewer", "contributor"),
    "journey.move_touchpoint": (None, "steering"),
    "journey.remove_score": (None, "steering"),
    "journey.remove_touchpoint": (None, "steering"),
    "settings.edit": ("admin", "admin"),
    "settings.upload_logo": (None, "admin"),
    "settings.remove_logo": (None, "admin"),
    "settings.logo": ("viewer", None),
    "members.index": ("admin", "admin"),
    "members.change_role": (None, "admin"),
    "members.remove": (None, "admin"),
    "members.withdraw_invitation": (None, "admin"),
    "notifications.settings": ("admin", "admin"),
    "notifications.endpoint": ("admin", None),
    "notifications.set_state": (None, "admin"),
    "notifications.delete": (None, "admin"),
    "chat.settings": ("admin", "admin"),
    "chat.test": (None, "admin"),
    "chat.set_state": (None, "admin"),
    "chat.delete": (None, "admin"),
    "audit.index": ("steering", None),
    "reports.index": ("viewer", None),
    "reports.issue": (None, "steering"),
    "reports.download": ("viewer", None),
    "reports.current": ("viewer", None),
    "reports.readable": ("viewer", None),
    "reports.deck": ("viewer", None),
    "reports.build": (None, "viewer"),
    # A job is seen only by the member who asked for it (here: the one browsing), in its organisation.
    "jobs.show": ("viewer", None),
    "jobs.status": ("viewer", None),
    "jobs.download": ("viewer", None),
    "sheets.initiatives": ("viewer", None),
    "sheets.benefits": ("viewer", None),
    "sheets.status_updates": ("viewer", None),
    "sheets.milestones": ("viewer", None),
    "sheets.decisions": ("viewer", None),
    "sheets.actions": ("viewer", None),
    "sheets.kpis": ("viewer", None),
    "sheets.kpi_readings": ("viewer", None),
    "sheets.touchpoints": ("viewer", None),
    "sheets.workbook": ("viewer", None),
    "sheets.build": (None, "viewer"),
    "sheets.import_initiatives": ("steering", "steering"),
    "sheets.document": ("admin", None),
    "sheets.build_document": (None, "admin"),
    "sheets.import_document": ("admin", "admin"),
    "assessments.index": ("viewer", "steering"),
    "assessments.show": ("viewer", None),
    "assessments.chart": ("viewer", None),
    "assessments.add_rater": (None, "steering"),
    "assessments.link": ("steering", None),
    "assessments.reissue": (None, "steering"),
    "assessments.withdraw": (None, "steering"),
    "assessments.close": (None, "steering"),
    "assessments.confirm": (None, "steering"),
    "sso_organisation.index": ("admin", None),
    "sso_organisation.add_mapping": (None, "admin"),
    "sso_organisation.remove_mapping": (None, "admin"),
    "sso_organisation.require": (None, "admin"),
    "surveys.index": ("viewer", None),
    "surveys.new": ("steering", "steering"),
    "surveys.show": ("viewer", None),
    "surveys.edit": ("steering", "steering"),
    "surveys.set_state": (None, "steering"),
    "surveys.set_origins": (None, "steering"),
    "surveys.upload_answers": (None, "steering"),
    "surveys.qr_code_svg": ("viewer", None),
    "surveys.qr_code_png": ("viewer", None),
    "surveys.distribution_chart": ("viewer", None),
    "surveys.drivers_chart": ("viewer", None),
    "surveys.theme_list": ("viewer", "steering"),
    "surveys.edit_theme": ("steering", "steering"),
    "surveys.remove_theme": (None, "steering"),
    "surveys.theme_from_phrase": (None, "steering"),
    "surveys.search_comments": ("viewer", None),
    "surveys.live": ("viewer", None),
    # Retention, and finding, exporting and erasing one person's answers: the administrator's.
    "surveys.privacy_settings": ("admin", "admin"),
    "surveys.find_person": (None, "admin"),
    # Contact lists, a survey's reminder and delay, the suppression list: the steering committee's.
    "surveys.upload_contacts": (None, "steering"),
    "surveys.inviting_settings": (None, "steering"),
    "surveys.suppressions": ("steering", None),
    "surveys.remove_suppression": (None, "steering"),
    "cases.index": ("viewer", None),
    "cases.inbox": ("viewer", None),
    "cases.lead_inbox": ("viewer", None),
    # A contributor works the cases of the teams whose role they log (tests/cases/test_views.py).
    "cases.show": ("viewer", "steering"),
    "cases.settings": ("steering", "steering"),
    "cases.loop_figures": ("viewer", None),
}
# Changes that remove what later routes need go last.
LAST = ("tracking.remove_dependency", "benefits.delete", "members.remove", "journey.remove_score",
        "journey.remove_touchpoint", "measures.delete_reading", "measures.unlink_kpi", "measures.delete",
        "notifications.delete", "chat.delete", "assessments.close", "settings.remove_logo",
        "surveys.remove_theme")


def world(name):
    organisation = OrganisationFactory(slug=name, name=name.title())
    set_logo(organisation, png())
    member = MemberFactory(organisation=organisation)
    team = TeamFactory(organisation=organisation)
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    benefit = BenefitFactory(initiative=initiative)
    spare = MembershipFactory(organisation_id=organisation.id, role="viewer")
    report = IssuedReportFactory(organisation_id=organisation.id)
    other = InitiativeFactory(organisation=organisation, ref="INIT-2")
    milestone = MilestoneFactory(initiative_id=initiative.id)
    dependency = DependencyFactory(initiative_id=initiative.id, depends_on_id=other.id)
    meeting = MeetingFactory(organisation_id=organisation.id)
    action = ActionFactory(organisation_id=organisation.id, meeting_id=meeting.id)
    assessment, _tokens = assessment_round(organisation, raters=3)
    for rater in assessment.raters:
        save_answers(rater, {"leadership": "explore"})
    db.session.commit()
    kpi = KpiFactory(organisation=organisation, code="KPI-1")
    reading = KpiReadingFactory(kpi=kpi)
    InitiativeKpiFactory(initiative=initiative, kpi=kpi)
    stage = JourneyStageFactory(organisation=organisation)
    touchpoint = TouchpointFactory(stage=stage, key="order-desk")
    score = TouchpointScoreFactory(touchpoint=touchpoint)
    invitation = invite(organisation, f"invited@{name}.example", "viewer", "test", 7).invitation
    endpoint = register_endpoint(organisation, "https://93.184.216.34/hook", ["report.issued"], allow_private=False)
    channel = add_channel(organisation, "slack", "#cx", "https://93.184.216.34/chat", ["report.issued"],
                          allow_private=False)
    provider = add_provider(f"https://login.{name}.example", name, "client", "secret", [f"{name}.example"])
    mapping = map_group(provider, "everyone", organisation, "viewer")
    theme = SurveyTheme(organisation_id=organisation.id, name_en="Late", name_nl="Te laat", keywords_en=["late"],
                        keywords_nl=["laat"])
    db.session.add(theme)
    survey = create_survey(organisation, title="After delivery", touchpoint=touchpoint, measure="ces", kpi=None,
                           period="month", asks_gap=True, rated=[], asks_contact=True, texts=None)
    case = open_case(FeedbackAnswer(organisation.id, "survey", utcnow(), measure="nps", score=2,
                                    touchpoint_id=touchpoint.id))
    suppression = SurveySuppression(organisation_id=organisation.id, email=f"gone@{name}.example")
    db.session.add(suppression)
    db.session.commit()
    return organisation, {"stage_id": stage.id, "key": touchpoint.key, "score_id": score.id,
                          "member_id": member.id, "team_id": team.id, "ref": "INIT-1", "benefit_id": benefit.id,
                          "membership_id": spare.id, "report_id": report.id, "filename": report.filename,
                          "kind": "summary", "name": "ladder", "milestone_id": milestone.id,
                          "dependency_id": dependency.id, "meeting_id": meeting.id, "action_id": action.id,
                          "state": "done", "chart": "stages", "code": "KPI-1", "fmt": "xlsx",
                          "reading_id": reading.id, "invitation_id": invitation.id, "endpoint_id": endpoint.id,
                          "channel_id": channel.id,
                          "round_id": assessment.id, "rater_id": assessment.raters[0].id, "figure": "distribution",
                          "mapping_id": mapping.id, "survey_id": survey.id, "case_id": case.id,
                          "suppression_id": suppression.id, "theme_id": theme.id}


def url_for_endpoint(app, endpoint, slug, ids):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: ids[name] for name in rule.arguments if name != "slug"}
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, slug=slug, **values)


def rank(role):
    return ROLES.index(role)


def test_the_table_covers_every_organisation_route(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/o/<slug>")}
    assert routes == set(ORGANISATION_ROUTES)


@pytest.mark.parametrize("who", ["anonymous", "outsider", *ROLES])
def test_every_route_answers_each_role_as_promised(app, client_as, who):
    home, ids = world("home")
    other, _ = world("other")
    if who == "anonymous":
        browser = app.test_client()
    elif who == "outsider":
        browser = client_as("admin", other)  # administrator elsewhere, nothing here
    else:
        browser = client_as(who, home)
    asker = browser.user.id if who in ROLES else db.session.get(Membership, ids["membership_id"]).user_id
    ids["job_id"] = JobFactory(organisation_id=home.id, user_id=asker, result_filename=ids["filename"]).id
    before = dumps(export_document(home))
    memberships_before = db.session.scalar(db.select(db.func.count()).select_from(Membership))
    failures = []
    endpoints = sorted(ORGANISATION_ROUTES, key=lambda e: (e in LAST, LAST.index(e) if e in LAST else 0, e))
    for endpoint in endpoints:
        url = url_for_endpoint(app, endpoint, "home", ids)
        for method, needed in zip(("GET", "POST"), ORGANISATION_ROUTES[endpoint], strict=True):
            if needed is None:
                continue
            status = browser.open(url, method=method, data={}).status_code
            if who == "anonymous":
                expected_ok = status == 302
            elif who == "outsider":
                expected_ok = status == 404
            elif rank(who) < rank(needed):
                expected_ok = status == 403
            else:
                expected_ok = status not in (401, 403, 404, 405) and status < 500
            if not expected_ok:
                failures.append(f"{who} {method} {url}: {status}")
    assert failures == []
    if who in ("anonymous", "outsider", "viewer"):
        # Nothing they tried changed anything.
        db.session.expire_all()
        assert dumps(export_document(organisation_by_slug("home"))) == before
        assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == memberships_before


def test_a_contributor_updates_only_the_initiatives_they_own(client_as):
    organisation = OrganisationFactory(slug="own")
    browser = client_as("contributor", organisation, email="carla@example.com")
    mine = MemberFactory(organisation=organisation, email="carla@example.com")
    InitiativeFactory(organisation=organisation, ref="INIT-1", owner_id=mine.id, progress=10)
    InitiativeFactory(organisation=organisation, ref="INIT-2", progress=10)
    update = {"status": "in_progress", "health": "amber", "progress": "60", "note": "Halfway."}
    assert browser.post("/o/own/initiatives/INIT-1/updates", data=update).status_code == 302
    assert browser.post("/o/own/initiatives/INIT-2/updates", data=update).status_code == 403
    assert browser.post("/o/own/initiatives/INIT-1/edit", data=update).status_code == 403
    progress = dict(db.session.execute(db.text("SELECT ref, progress FROM initiative")).all())
    assert progress == {"INIT-1": 60, "INIT-2": 10}


def test_viewers_see_no_edit_controls(client_as):
    organisation, _ = world("quiet")
    browser = client_as("viewer", organisation)
    for path in ("/o/quiet/", "/o/quiet/initiatives", "/o/quiet/initiatives/INIT-1", "/o/quiet/teams",
                 "/o/quiet/coalition", "/o/quiet/maturity", "/o/quiet/readiness",
                 "/o/quiet/journey", "/o/quiet/journey/touchpoints/order-desk"):
        body = browser.get(path).get_data(as_text=True)
        assert 'method="post"' not in body.replace('action="/logout"', "").split('<main', 1)[1], path
        for word in (">Edit<", ">Archive<", "New initiative", "Add member", "Add team", "Record assessment"):
            assert word not in body, (path, word)


@pytest.mark.parametrize("path, method, who, expected", [
    ("/", "GET", "anonymous", 302), ("/", "GET", "user", 200),
    ("/organisations/new", "GET", "user", 403), ("/organisations/new", "GET", "site_admin", 200),
    ("/organisations/new", "POST", "user", 403),
    ("/admin/work", "GET", "anonymous", 302), ("/admin/work", "GET", "user", 403),
    ("/admin/work", "GET", "site_admin", 200),
    ("/admin/sso", "GET", "anonymous", 302), ("/admin/sso", "GET", "user", 403),
    ("/admin/sso", "GET", "site_admin", 200),
    ("/admin/sso", "POST", "user", 403), ("/admin/sso/1/remove", "POST", "user", 403),
    ("/admin/sso/1/remove", "POST", "site_admin", 404),
    # Single sign-on's way in and back is open to all; with nothing started it is a refusal page, never a 500.
    ("/sso/1/start", "GET", "anonymous", 403), ("/sso/callback", "GET", "anonymous", 403),
    # SCIM answers its bearer token only: a signed-in browser's cookie is not even looked at.
    ("/scim/v2/Users", "GET", "anonymous", 401), ("/scim/v2/Users", "GET", "site_admin", 401),
    ("/scim/v2/Users", "POST", "site_admin", 401), ("/scim/v2/Users/1", "PATCH", "site_admin", 401),
    ("/scim/v2/Users/1", "PUT", "anonymous", 401), ("/scim/v2/Users/1", "DELETE", "anonymous", 401),
    ("/scim/v2/ServiceProviderConfig", "GET", "anonymous", 401), ("/scim/v2/Schemas", "GET", "anonymous", 401),
    ("/scim/v2/ResourceTypes/User", "GET", "site_admin", 401), ("/scim/v2/anything", "GET", "anonymous", 401),
    ("/account", "GET", "anonymous", 302), ("/account", "GET", "user", 200),
    ("/account/two-factor", "GET", "user", 200), ("/logout", "POST", "anonymous", 302),
    ("/login", "GET", "anonymous", 200), ("/healthz", "GET", "anonymous", 200),
    ("/password/forgot", "GET", "anonymous", 200), ("/password/reset/unknown", "GET", "anonymous", 410),
    ("/invitations/unknown", "GET", "anonymous", 410), ("/unsubscribe/unknown", "GET", "anonymous", 404),
    ("/account/digests/1", "POST", "anonymous", 302),
    ("/account/calendar", "GET", "anonymous", 302), ("/account/calendar", "GET", "user", 200),
    ("/account/calendar", "POST", "anonymous", 302), ("/account/calendar", "POST", "user", 302),
    ("/account/calendar/revoke", "POST", "anonymous", 302), ("/account/calendar/revoke", "POST", "user", 302),
    # A calendar address that does not work is the same 404 for everyone.
    ("/calendar/not-a-real-secret.ics", "GET", "anonymous", 404),
    ("/calendar/not-a-real-secret.ics", "GET", "user", 404),
    # Raters' personal links need no account; a link that does not work is the same 404 for everyone.
    ("/assess/not-a-real-token", "GET", "anonymous", 404), ("/assess/not-a-real-token", "POST", "anonymous", 404),
    ("/assess/not-a-real-token", "GET", "user", 404),
    # A survey's public link needs no account either; its page's stylesheet is public too.
    ("/f/nocode1", "GET", "anonymous", 404), ("/f/nocode1", "POST", "anonymous", 404),
    ("/f/nocode1/thanks", "GET", "anonymous", 404), ("/f/static/answer.css", "GET", "anonymous", 200),
    ("/f/nocode1/snippet.js", "GET", "anonymous", 404), ("/f/static/embed.js", "GET", "anonymous", 200),
    ("/f/static/other.css", "GET", "anonymous", 404),
    # A personal link and its unsubscribe page need no account either; one nobody was sent is the same 404.
    ("/f/nocode1/i/notoken", "GET", "anonymous", 404), ("/f/nocode1/i/notoken", "POST", "anonymous", 404),
    ("/f/nocode1/i/notoken/unsubscribe", "GET", "anonymous", 404),
    ("/f/nocode1/i/notoken/unsubscribe", "POST", "anonymous", 404),
    ("/f/nocode1/i/notoken", "GET", "user", 404),
])
def test_routes_outside_organisations(app, path, method, who, expected):
    from tests.conftest import sign_in

    browser = app.test_client()
    if who != "anonymous":
        sign_in(browser, UserFactory(site_admin=who == "site_admin"))
    assert browser.open(path, method=method, data={}).status_code == expected


def test_a_site_administrator_creates_an_organisation_and_becomes_its_administrator(app):
    from tests.conftest import sign_in

    browser = app.test_client()
    admin = UserFactory(site_admin=True)
    sign_in(browser, admin)
    response = browser.post("/organisations/new", data={"name": "Fresh Co", "currency": "EUR",
                                                        "discount_rate": "0.08", "locale": "en"})
    assert response.status_code == 302
    assert browser.get("/o/fresh-co/members").status_code == 200


def _without_csrf(body: bytes) -> bytes:
    # A form's token carries the second it was made in: two pages a moment apart differ there alone.
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token"', body)


@pytest.mark.parametrize("path", ["/o/{slug}/", "/o/{slug}/initiatives/INIT-1", "/o/{slug}/reports",
                                  "/o/{slug}/members"])
def test_an_organisation_without_a_role_looks_exactly_like_one_that_does_not_exist(app, client_as, path):
    mine = OrganisationFactory(slug="mine", name="Mine B.V.")
    theirs = OrganisationFactory(slug="theirs", name="Their Secret Name B.V.")
    InitiativeFactory(organisation=theirs, ref="INIT-1")
    db.session.commit()
    browser = client_as("admin", mine)
    refused = browser.get(path.format(slug="theirs"))
    unknown = browser.get(path.format(slug="nowhere"))
    assert refused.status_code == unknown.status_code == 404
    assert "Their Secret Name" not in refused.get_data(as_text=True)
    assert _without_csrf(refused.data.replace(b"theirs", b"nowhere")) == _without_csrf(unknown.data)
    anonymous = app.test_client()
    refused, unknown = anonymous.get(path.format(slug="theirs")), anonymous.get(path.format(slug="nowhere"))
    assert refused.status_code == unknown.status_code == 302
    assert refused.headers["Location"].replace("theirs", "nowhere") == unknown.headers["Location"]
