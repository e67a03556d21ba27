"""The API's surveys and their answers: listed, paged, filtered by date, within the token's organisation."""

from datetime import UTC, datetime, timedelta

from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from tests.factories import TouchpointFactory
from tests.surveys.helpers import journey, live_survey


def test_surveys_and_their_answers_through_the_api(app, api_token):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat", rated=[other])
    now = datetime.now(UTC)
    for days, score in ((40, 2), (10, 4), (1, 5)):
        record_answer(survey, Given(score=score, expectation=6, perception=score, ratings={other.id: 3},
                                    consent=score == 2, contact="ann@example.com"),
                      "en", {"order": f"SO-{days}"}, now=now - timedelta(days=days))
    db.session.commit()
    client = app.test_client()
    headers, _user = api_token(organisation, role="steering")
    listed = client.get("/api/v1/o/acme/surveys", headers=headers).get_json()["items"]
    assert [(s["id"], s["measure"], s["touchpoint"], s["answers"], s["version"]) for s in listed] == [
        (survey.id, "csat", "delivery", 3, 1)]
    assert listed[0]["public_url"].endswith(f"/f/{survey.code}")
    assert listed[0]["snippet_url"].endswith(f"/f/{survey.code}/snippet.js") and listed[0]["allowed_origins"] == []
    first = client.get(f"/api/v1/o/acme/surveys/{survey.id}/responses?limit=2", headers=headers)
    items = first.get_json()["items"]
    assert [a["score"] for a in items] == [5, 4] and 'rel="next"' in first.headers["Link"]
    assert items[0]["ratings"] == {"invoice": 3} and items[0]["hidden"] == {"order": "SO-1"}
    assert items[0]["contact_email"] is None
    since = (now - timedelta(days=50)).date().isoformat()
    until = (now - timedelta(days=20)).date().isoformat()
    old = client.get(f"/api/v1/o/acme/surveys/{survey.id}/responses?since={since}&until={until}",
                     headers=headers).get_json()["items"]
    assert [(a["score"], a["contact_email"]) for a in old] == [(2, "ann@example.com")]
    viewer, _user = api_token(organisation, role="viewer", write=False)
    assert client.get(f"/api/v1/o/acme/surveys/{survey.id}/responses", headers=viewer).status_code == 403
    assert client.get("/api/v1/o/acme/surveys", headers=viewer).status_code == 200
    theirs, _t, _o = journey("other")
    elsewhere = live_survey(theirs)
    assert client.get(f"/api/v1/o/acme/surveys/{elsewhere.id}/responses", headers=headers).status_code == 404
    assert client.get(f"/api/v1/o/acme/surveys/{survey.id}/responses?since=yesterday",
                      headers=headers).status_code == 422


def test_what_drives_a_surveys_score_through_the_api(app, api_token):
    from tests.surveys.test_drivers import _answers

    organisation, delivery, invoice = journey()
    survey = live_survey(organisation, rated=[delivery, invoice])
    client = app.test_client()
    viewer, _user = api_token(organisation, role="viewer", write=False)
    few = client.get(f"/api/v1/o/acme/surveys/{survey.id}/drivers", headers=viewer).get_json()
    assert (few["n"], few["needed"], few["refusal"], few["items"]) == (0, 20, "too_few_answers", [])
    _answers(survey, delivery, invoice)
    found = client.get(f"/api/v1/o/acme/surveys/{survey.id}/drivers", headers=viewer).get_json()
    assert (found["n"], found["r_squared"], found["refusal"]) == (40, "1.0000", None)
    assert [(d["touchpoint"], d["weight"], d["share"], d["mean_rating"], d["priority"])
            for d in found["items"]] == [("delivery", "1.0000", "100.00", "2.50", "fix_first"),
                                         ("invoice", "0.0000", "0.00", "6.50", "possible_overkill")]
    # The KPI the survey feeds answers with the same analysis, naming the survey.
    by_kpi = client.get(f"/api/v1/o/acme/kpis/{survey.kpi.code}/drivers", headers=viewer).get_json()
    assert by_kpi == {**found, "survey": survey.id} and found["survey"] == survey.id
    theirs, _t, _o = journey("other")
    assert client.get(f"/api/v1/o/acme/surveys/{live_survey(theirs).id}/drivers",
                      headers=viewer).status_code == 404
    other_kpi = live_survey(theirs, title="Theirs").kpi.code
    assert client.get(f"/api/v1/o/acme/kpis/{other_kpi}/drivers", headers=viewer).status_code == 404


def test_a_kpi_no_survey_feeds_has_no_drivers_and_says_so(app, api_token):
    from tests.factories import KpiFactory

    organisation, _delivery, _invoice = journey()
    KpiFactory(organisation=organisation, code="NPS-X", measure="nps")
    db.session.commit()
    viewer, _user = api_token(organisation, role="viewer", write=False)
    found = app.test_client().get("/api/v1/o/acme/kpis/NPS-X/drivers", headers=viewer).get_json()
    assert (found["survey"], found["refusal"], found["items"]) == (None, "no_survey", [])


def test_answers_filtered_by_a_touchpoint_the_survey_asks_about_or_rates(app, api_token):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat", rated=[other])
    now = datetime.now(UTC)
    # Two answers rate the invoice, one leaves it unrated; all three are about the delivery.
    for days, score, ratings in ((5, 2, {other.id: 3}), (3, 4, {}), (1, 5, {other.id: 6})):
        record_answer(survey, Given(score=score, ratings=ratings), "en", {}, now=now - timedelta(days=days))
    db.session.commit()
    client = app.test_client()
    headers, _user = api_token(organisation, role="steering")
    url = f"/api/v1/o/acme/surveys/{survey.id}/responses"

    def scores(query):
        response = client.get(f"{url}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["score"] for item in response.get_json()["items"]]

    assert scores("touchpoint=invoice") == [5, 2]
    assert scores("touchpoint=delivery") == [5, 4, 2]
    since = (now - timedelta(days=4)).date().isoformat()
    assert scores(f"touchpoint=invoice&since={since}") == [5]
    assert scores(f"touchpoint=invoice&since={since}&limit=1") == [5]
    # A key the survey neither asks about nor rates, a key of no touchpoint, a malformed one, days the wrong way
    # round: each a problem document naming the parameter.
    TouchpointFactory(stage=touchpoint.stage, key="returns", name="Returns")
    db.session.commit()
    for query, field in (("touchpoint=returns", "touchpoint"), ("touchpoint=nowhere", "touchpoint"),
                         ("touchpoint=Not%20a%20key", "touchpoint"), ("touchpoint=", "touchpoint"),
                         (f"since={since}&until=2000-01-01", "until")):
        refused = client.get(f"{url}?{query}", headers=headers)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json", query
        assert field in refused.get_json()["errors"], (query, refused.get_json())
        # Only a key the document's pattern refuses is "not fitting the schema"; the others fit it (schemathesis
        # holds the document to that) and are refused as filters no answer can match.
        malformed = query in ("touchpoint=Not%20a%20key", "touchpoint=")
        assert refused.get_json()["detail"] == ("The request does not fit the schema." if malformed
                                                else "No answer can match these filters."), query
    said = client.get(f"{url}?touchpoint=returns", headers=headers).get_json()["errors"]["touchpoint"]
    assert said == "This survey neither asks about nor rates returns; it asks about: delivery, invoice."
    # Another organisation's touchpoint of the same key is not this survey's either.
    theirs, their_delivery, _their_invoice = journey("other")
    elsewhere = live_survey(theirs, their_delivery)
    assert client.get(f"/api/v1/o/acme/surveys/{elsewhere.id}/responses?touchpoint=delivery",
                      headers=headers).status_code == 404


def test_the_openapi_document_describes_the_touchpoint_filter(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/o/{slug}/surveys/{survey_id}/responses"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["touchpoint"]["in"] == "query" and not parameters["touchpoint"]["required"]
    assert parameters["touchpoint"]["schema"]["pattern"] == "^[a-z0-9][a-z0-9-]{0,63}$"
    assert "rate" in parameters["touchpoint"]["description"]
    assert {"since", "until"} <= set(parameters) and "422" in operation["responses"]


def test_the_survey_list_gives_the_dutch_title_where_there_is_one(app, api_token):
    organisation, touchpoint, _other = journey()
    live_survey(organisation, touchpoint, title="After your delivery")
    live_survey(organisation, None, title="Recommend us?", title_nl="Aanbevelen?")
    headers, _user = api_token(organisation, role="viewer", write=False)
    listed = app.test_client().get("/api/v1/o/acme/surveys", headers=headers).get_json()["items"]
    assert sorted((s["title"], s["title_nl"]) for s in listed) == [("After your delivery", None),
                                                                   ("Recommend us?", "Aanbevelen?")]
