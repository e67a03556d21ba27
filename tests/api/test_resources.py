"""The API's resources as a script uses them: create, read, change with If-Match, lists, errors."""

import re

from sqlalchemy import func, select

from cxroadmap.api.assembly import every_operation
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from tests.factories import (
    ActionFactory,
    BenefitFactory,
    InitiativeFactory,
    IssuedReportFactory,
    MeetingFactory,
    MemberFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
)


def test_create_read_and_change_an_initiative(app, api_token):
    home = OrganisationFactory(slug="home")
    MemberFactory(organisation=home, name="Olga Owner", email="olga@example.com")
    headers, _user = api_token(home)
    client = app.test_client()
    created = client.post("/api/v1/o/home/initiatives", headers=headers, json={
        "title": "Callback within the hour", "readiness_question": "know_experience", "owner": "olga@example.com",
        "one_off_cost": "12500.50", "due_date": "2027-03-31"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["ref"] == "INIT-1" and body["one_off_cost"] == "12500.50" and body["owner"] == "olga@example.com"
    assert created.headers["Location"] == "/api/v1/o/home/initiatives/INIT-1"
    read = client.get("/api/v1/o/home/initiatives/init-1", headers=headers)
    assert read.get_json()["title"] == "Callback within the hour"
    etag = read.headers["ETag"]
    changed = client.patch("/api/v1/o/home/initiatives/INIT-1", headers={**headers, "If-Match": etag},
                           json={"status": "in_progress", "progress": 30, "note": "Pilot started."})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    db.session.expire_all()
    initiative = db.session.scalar(select(Initiative))
    assert (initiative.status, initiative.progress, initiative.one_off_cost) == ("in_progress", 30,
                                                                                 initiative.one_off_cost)
    notes = db.session.scalars(select(StatusUpdate.note).order_by(StatusUpdate.id)).all()
    assert notes[-1] == "Pilot started."


def test_a_stale_if_match_is_412_naming_who_changed_it(app, api_token):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1", title="Old title")
    first, first_user = api_token(home)
    second, _ = api_token(home)
    client = app.test_client()
    etag = client.get("/api/v1/o/home/initiatives/INIT-1", headers=second).headers["ETag"]
    assert client.patch("/api/v1/o/home/initiatives/INIT-1", headers=first,
                        json={"title": "First's title"}).status_code == 200
    stale = client.patch("/api/v1/o/home/initiatives/INIT-1", headers={**second, "If-Match": etag},
                         json={"title": "Second's title"})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert first_user.name in stale.get_json()["detail"] and first_user.email not in stale.get_json()["detail"]
    db.session.expire_all()
    assert db.session.scalar(select(Initiative.title)) == "First's title"


def test_the_list_filters_sorts_and_pages_with_a_link_header(app, api_token):
    home = OrganisationFactory(slug="home")
    for number in range(1, 8):
        InitiativeFactory(organisation=home, ref=f"INIT-{number}", health="red" if number % 2 else "green",
                          progress=number * 10)
    InitiativeFactory(organisation=home, ref="INIT-8", health="red", archived=True)
    headers, _ = api_token(home, write=False)
    client = app.test_client()
    first = client.get("/api/v1/o/home/initiatives?health=red&sort=progress&dir=desc&limit=2", headers=headers)
    assert [i["ref"] for i in first.get_json()["items"]] == ["INIT-7", "INIT-5"]
    next_url = re.match(r'<http://localhost(?P<url>[^>]+)>; rel="next"', first.headers["Link"])["url"]
    second = client.get(next_url, headers=headers)
    assert [i["ref"] for i in second.get_json()["items"]] == ["INIT-3", "INIT-1"]
    assert "Link" not in second.headers
    archived = client.get("/api/v1/o/home/initiatives?archive=archived", headers=headers).get_json()
    assert [i["ref"] for i in archived["items"]] == ["INIT-8"]


def test_domain_refusals_are_422_with_the_fields_the_form_shows(app, api_token):
    home = OrganisationFactory(slug="home")
    headers, _ = api_token(home)
    client = app.test_client()
    response = client.post("/api/v1/o/home/initiatives", headers=headers, json={
        "title": "Late", "readiness_question": "know_customers", "start_date": "2027-05-01",
        "due_date": "2027-01-01"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"due_date": "The due date cannot be before the start date."}
    wrong = client.post("/api/v1/o/home/initiatives", headers=headers, json={"title": 5, "colour": "red"})
    assert wrong.status_code == 422
    assert {"title", "readiness_question", "colour"} <= set(wrong.get_json()["errors"])
    assert db.session.scalar(select(db.func.count()).select_from(Initiative)) == 0


def test_errors_are_problem_documents_never_html(app, api_token):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1")
    headers, _ = api_token(home)
    client = app.test_client()
    cases = [
        (client.post("/api/v1/o/home/initiatives", headers=headers, data="title=x"), 415),
        (client.post("/api/v1/o/home/initiatives", headers=headers, data="{not json",
                     content_type="application/json"), 422),
        (client.post("/api/v1/o/home/initiatives", headers=headers, data="x" * (3 * 1024 * 1024),
                     content_type="application/json"), 413),
        (client.delete("/api/v1/o/home/initiatives/INIT-1", headers=headers), 405),
        (client.get("/api/v1/nothing/here", headers=headers), 404),
        (client.get("/api/v1/o/home/initiatives/NOPE", headers=headers), 404),
        (client.get("/api/v1/o/home/meetings/99999999999", headers=headers), 404),
        (client.get("/api/v1/o/home/initiatives?limit=0", headers=headers), 422),
    ]
    for response, status in cases:
        assert (response.status_code, response.mimetype) == (status, "application/problem+json"), response.data[:200]
        assert response.get_json()["status"] == status
    assert "DELETE" not in cases[3][0].headers["Allow"]


def test_governance_benefits_and_reports_read_through_the_api(app, api_token):
    home = OrganisationFactory(slug="home")
    initiative = InitiativeFactory(organisation=home, ref="INIT-1")
    BenefitFactory(initiative=initiative, annual_amount="1200.00")
    MilestoneFactory(initiative_id=initiative.id, title="Pilot live")
    meeting = MeetingFactory(organisation_id=home.id, title="October steering")
    ActionFactory(organisation_id=home.id, meeting_id=meeting.id, title="Book the trainers")
    report = IssuedReportFactory(organisation_id=home.id)
    headers, _ = api_token(home, write=False)
    client = app.test_client()
    get = lambda path: client.get(f"/api/v1/o/home{path}", headers=headers)  # noqa: E731
    assert get("/initiatives/INIT-1/benefits").get_json()["items"][0]["annual_amount"] == "1200.00"
    assert get("/initiatives/INIT-1/milestones").get_json()["items"][0]["title"] == "Pilot live"
    assert get("/meetings").get_json()["items"][0]["title"] == "October steering"
    assert get(f"/meetings/{meeting.id}").get_json()["title"] == "October steering"
    assert get("/actions").get_json()["items"][0]["title"] == "Book the trainers"
    listed = get("/reports").get_json()["items"][0]
    download = client.get(listed["download_url"], headers=headers)
    assert download.mimetype == "application/pdf" and download.data == report.content
    overview = get("").get_json()
    assert overview["initiatives"]["by_status"]["in_progress"] == 1 and overview["role"] == "viewer"


def test_the_openapi_document_describes_every_route(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(re.sub(r"\{(\w+)\}", lambda m: f"<{'int:' if m[1].endswith('_id') else ''}{m[1]}>", path),
                  method.upper()) for path, item in document["paths"].items() for method in item}
    assert routes == described
    assert len(every_operation(app)) == len(routes)
    create = document["paths"]["/api/v1/o/{slug}/initiatives"]["post"]
    schema = document["components"]["schemas"][create["requestBody"]["content"]["application/json"]["schema"]
                                               ["$ref"].rsplit("/", 1)[1]]
    assert {"title", "readiness_question"} <= set(schema["required"])


def test_the_reference_page_loads_only_our_own_files(app):
    page = app.test_client().get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html and "/api/v1/openapi.json" in html
    assert "http://" not in html and "https://" not in html and "<script>" not in html
    assert app.test_client().get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_cli_prints_a_token_once_and_refuses_strangers(app, runner):
    home = OrganisationFactory(slug="home")
    user = UserFactory(email="ops@example.com")
    from tests.factories import MembershipFactory
    MembershipFactory(user=user, organisation_id=home.id, role="steering")
    result = runner.invoke(args=["users", "token", "ops@example.com", "--organisation", "home", "--write",
                                 "--days", "7", "--name", "nightly sync"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("cxr_")
    created = app.test_client().post("/api/v1/o/home/initiatives", headers={"Authorization": f"Bearer {secret}"},
                                     json={"title": "From a script", "readiness_question": "know_customers"})
    assert created.status_code == 201
    UserFactory(email="stranger@example.com")
    refused = runner.invoke(args=["users", "token", "stranger@example.com", "--organisation", "home"])
    assert refused.exit_code == 1
    assert "no role in" in refused.output and len(refused.output.strip().splitlines()) == 1
    too_long = runner.invoke(args=["users", "token", "ops@example.com", "--organisation", "home", "--days", "400"])
    assert too_long.exit_code != 0


def test_list_queries_do_not_grow_with_rows(app, api_token, count_queries):
    home = OrganisationFactory(slug="home")
    owner = MemberFactory(organisation=home)
    headers, _ = api_token(home)
    client = app.test_client()
    counts = []
    for extra in (3, 9):
        for _number in range(extra):
            InitiativeFactory(organisation=home, owner_id=owner.id)
        with count_queries as counter:
            assert client.get("/api/v1/o/home/initiatives?limit=200", headers=headers).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_a_refusal_at_the_last_moment_is_a_409_problem_document(app, api_token, monkeypatch):
    from flask import has_request_context
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    home = OrganisationFactory(slug="home")
    headers, _ = api_token(home)
    commit = Session.commit

    def refuse_in_requests(session):
        if has_request_context():
            raise IntegrityError("COMMIT", {}, Exception("duplicate"))
        commit(session)

    monkeypatch.setattr(Session, "commit", refuse_in_requests)
    response = app.test_client().post("/api/v1/o/home/initiatives", headers=headers,
                                      json={"title": "Late clash", "readiness_question": "know_roles"})
    monkeypatch.undo()
    assert (response.status_code, response.mimetype) == (409, "application/problem+json")
    assert db.session.scalar(select(db.func.count()).select_from(Initiative)) == 0


def test_creating_without_a_ref_works_after_a_long_one_was_typed(app, api_token):
    home = OrganisationFactory(slug="home")
    headers, _user = api_token(home)
    client = app.test_client()
    new = {"title": "Callback within the hour", "readiness_question": "know_experience"}
    assert client.post("/api/v1/o/home/initiatives", headers=headers,
                       json={**new, "ref": "INIT-999999999"}).status_code == 201
    made = [client.post("/api/v1/o/home/initiatives", headers=headers, json=new) for _ in range(3)]
    assert [(answer.status_code, answer.get_json()["ref"]) for answer in made] == [
        (201, "INIT-1000000000"), (201, "INIT-1000000001"), (201, "INIT-1000000002")]


def test_control_characters_and_malformed_if_match_are_refused_not_500(app, api_token):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1")
    headers, _user = api_token(home)
    client = app.test_client()
    new = {"title": "Callback", "readiness_question": "know_experience"}
    for body, field in (({**new, "owner": "olga\x00@example.com"}, "owner"), ({**new, "title": "Two\nlines"}, "title"),
                        ({**new, "one_off_cost": 12500.5}, "one_off_cost"), ({**new, "progress": 101}, "progress")):
        answer = client.post("/api/v1/o/home/initiatives", headers=headers, json=body)
        assert answer.status_code == 422 and field in answer.get_json()["errors"], body
    answer = client.patch("/api/v1/o/home/initiatives/INIT-1", headers={**headers, "If-Match": "v1"},
                          json={"progress": 10})
    assert answer.status_code == 400 and "If-Match" in answer.get_json()["detail"]
    assert db.session.scalar(select(func.count()).select_from(Initiative)) == 1
