"""Follow-up cases through the API: listed overdue first, read with an ETag, worked with PATCH as on the page."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from tests import factories
from tests.cases.conftest import send, unhappy


def _setting():
    org = factories.OrganisationFactory(slug="acme")
    team = factories.TeamFactory(organisation=org, name="Transport Planning")
    touchpoint = factories.TouchpointFactory(stage=factories.JourneyStageFactory(organisation=org), key="on-site",
                                             team_id=team.id)
    send(unhappy(org, touchpoint, comment="Fresh"))
    send(unhappy(org, touchpoint, comment="Old", contact="piet@example.com"))
    old = db.session.scalars(select(Case).where(Case.comment == "Old")).one()
    old.due_at = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()
    return org, old


def test_cases_are_listed_overdue_first_and_filtered(app, api_token):
    org, old = _setting()
    headers, _user = api_token(org, role="viewer", write=False)
    client = app.test_client()
    items = client.get("/api/v1/o/acme/cases", headers=headers).get_json()["items"]
    assert [i["comment"] for i in items] == ["Old", "Fresh"]
    assert items[0]["overdue"] and items[0]["contact"] == "piet@example.com"
    assert items[0]["team"] == "Transport Planning"
    assert [i["comment"] for i in client.get("/api/v1/o/acme/cases?overdue=true", headers=headers)
            .get_json()["items"]] == ["Old"]
    assert client.get("/api/v1/o/acme/cases?touchpoint=nowhere", headers=headers).get_json()["items"] == []
    assert client.get("/api/v1/o/acme/cases?status=resolved", headers=headers).get_json()["items"] == []
    one = client.get(f"/api/v1/o/acme/cases/{old.id}", headers=headers)
    assert one.status_code == 200 and one.headers["ETag"] == '"v2"'
    refused = client.patch(f"/api/v1/o/acme/cases/{old.id}", json={"status": "contacted"}, headers=headers)
    assert refused.status_code == 403


def test_a_case_is_worked_and_closed_through_the_api(app, api_token):
    org, old = _setting()
    factories.MemberFactory(organisation=org, email="omer@example.com")
    headers, _user = api_token(org)
    client = app.test_client()
    url = f"/api/v1/o/acme/cases/{old.id}"
    refused = client.patch(url, json={"status": "resolved", "root_cause": "nonsense"}, headers=headers)
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"outcome", "root_cause"}
    done = client.patch(url, json={"status": "resolved", "outcome": "Route changed.", "owner": "omer@example.com",
                                   "root_cause": "late-delivery"}, headers={**headers, "If-Match": '"v2"'})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["status"] == "resolved" and body["closed_at"] and body["owner"] == "omer@example.com"
    stale = client.patch(url, json={"notes": "Late note"}, headers={**headers, "If-Match": '"v2"'})
    assert stale.status_code == 412
    again = client.patch(url, json={"status": "not_resolvable"}, headers=headers)
    assert again.status_code == 422 and "closed" in again.get_json()["errors"]["status"]


def test_another_organisations_case_is_not_there(app, api_token):
    _org, old = _setting()
    other = factories.OrganisationFactory(slug="other")
    headers, _user = api_token(other)
    client = app.test_client()
    assert client.get(f"/api/v1/o/other/cases/{old.id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/o/other/cases/{old.id}", json={"notes": "x"}, headers=headers).status_code == 404
    assert client.get("/api/v1/o/other/cases", headers=headers).get_json()["items"] == []
