"""The web snippet: the sites a survey allows, kept as typed origins; the answer page's frame-ancestors following
them (and X-Frame-Options never saying otherwise); the script itself, cached and setting no cookie; the compact
answer page inside the frame taking an answer with no cookie at all."""

import pytest
from sqlalchemy import select

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.surveys.embedding import origin_of
from cxroadmap.surveys.models import Survey, SurveyAnswer
from tests.surveys.helpers import answer, journey, live_survey, shown


def _allow(survey, origins: str):
    survey.allowed_origins = origins
    db.session.commit()


def _framing(response) -> tuple[str, str | None]:
    policy = response.headers["Content-Security-Policy"]
    ancestors = next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))
    return ancestors, response.headers.get("X-Frame-Options")


@pytest.mark.parametrize("typed, origin", [
    ("https://shop.example.com", "https://shop.example.com"),
    ("HTTPS://Shop.Example.COM/", "https://shop.example.com"),
    ("https://shop.example.com:443", "https://shop.example.com"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("https://bücher.example", "https://xn--bcher-kva.example"),
    ("https://shop.example.com/checkout", None),
    ("https://shop.example.com?x=1", None),
    ("https://shop.example.com#top", None),
    ("shop.example.com", None),
    ("ftp://shop.example.com", None),
    ("javascript:alert(1)", None),
    ("https://*.example.com", None),
    ("https://user@shop.example.com", None),
    ("https://shop.example.com:99999", None),
    ("https://shop.example.com;script-src", None),
    ("'unsafe-inline'", None),
    ("https://-bad-.example", None),
])
def test_an_origin_is_a_scheme_a_host_and_perhaps_a_port(app, typed, origin):
    assert origin_of(typed) == origin


def test_steering_keeps_the_sites_on_the_survey_page_and_each_wrong_line_is_named(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    browser = client_as("steering", organisation)
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert f'&lt;script src=&#34;http://localhost/f/{survey.code}/snippet.js&#34; async&gt;&lt;/script&gt;' in page
    refused = browser.post(f"/o/acme/surveys/{survey.id}/origins", data={
        "origins": "https://shop.example.com\nhttps://shop.example.com/checkout\nftp://files.example",
        "version": survey.version})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "line 2 (https://shop.example.com/checkout)" in body and "line 3 (ftp://files.example)" in body
    assert "https://shop.example.com/checkout" in body  # what was typed stays in the field
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).allowed_origins == ""
    saved = browser.post(f"/o/acme/surveys/{survey.id}/origins", data={
        "origins": "HTTPS://Shop.Example.com/\r\nhttp://127.0.0.1:8080 https://shop.example.com",
        "version": survey.version}, follow_redirects=True)
    assert saved.status_code == 200 and "are saved" in saved.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).origins == ["https://shop.example.com", "http://127.0.0.1:8080"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Survey")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.changes["allowed_origins"] == ["", "https://shop.example.com http://127.0.0.1:8080"]


def test_a_viewer_reads_the_sites_and_the_snippet_but_changes_nothing(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    _allow(survey, "https://shop.example.com")
    browser = client_as("viewer", organisation)
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "<code>https://shop.example.com</code>" in page and "snippet.js" in page
    assert f"/surveys/{survey.id}/origins" not in page
    assert browser.post(f"/o/acme/surveys/{survey.id}/origins", data={"origins": ""}).status_code == 403


def test_the_answer_page_may_be_framed_only_by_the_sites_the_survey_allows(app, anonymous):
    organisation, touchpoint, _other = journey()
    allowing = live_survey(organisation, touchpoint, title="Checkout")
    closed = live_survey(organisation, touchpoint, title="Other")
    _allow(allowing, "https://shop.example.com http://127.0.0.1:8080")
    for path in (f"/f/{allowing.code}", f"/f/{allowing.code}?embed=1", f"/f/{allowing.code}/thanks?embed=1"):
        assert _framing(anonymous.get(path)) == ("frame-ancestors https://shop.example.com http://127.0.0.1:8080",
                                                 None)
    refused = answer(anonymous, allowing, seconds_ago=0, score=9, embed="1")
    assert refused.status_code == 400 and _framing(refused)[1] is None
    for path in (f"/f/{closed.code}?embed=1", f"/f/{closed.code}/thanks", "/f/nocode1?embed=1", "/login"):
        assert _framing(anonymous.get(path)) == ("frame-ancestors 'none'", "DENY")
    # Every other directive stays as strict as on the rest of the application.
    policy = anonymous.get(f"/f/{allowing.code}").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "form-action 'self'" in policy and "'unsafe-inline'" not in policy


def test_a_paused_answer_in_the_frame_still_shows_there(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    _allow(survey, "https://shop.example.com")
    app.config["SURVEY_ANSWER_LIMIT_PER_ADDRESS"] = "1 per minute"
    try:
        statuses = [answer(anonymous, survey, score=9, embed="1") for _ in range(2)]
    finally:
        app.config.pop("SURVEY_ANSWER_LIMIT_PER_ADDRESS")
    assert [response.status_code for response in statuses] == [303, 429]
    assert _framing(statuses[1]) == ("frame-ancestors https://shop.example.com", None)
    paused = statuses[1].get_data(as_text=True)
    assert "Many answers came from your network" in paused and 'class="embedded"' in paused


def test_the_script_is_small_cached_and_sets_no_cookie(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    script = anonymous.get(f"/f/{survey.code}/snippet.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert "Set-Cookie" not in script.headers and "max-age=86400" in script.headers["Cache-Control"]
    assert "public" in script.headers["Cache-Control"] or "no-store" not in script.headers["Cache-Control"]
    assert len(script.data) < 2048 and b"document.currentScript" in script.data
    assert anonymous.get("/f/nocode1/snippet.js").status_code == 404


def test_an_answer_in_the_frame_is_taken_with_no_cookie_and_stays_compact(app):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    _allow(survey, "https://shop.example.com")
    browser = app.test_client(use_cookies=False)
    page = browser.get(f"/f/{survey.code}?embed=1&order=SO-9&lang=nl")
    body = page.get_data(as_text=True)
    assert "Set-Cookie" not in page.headers and 'class="embedded"' in body and 'name="embed" value="1"' in body
    assert "embed.js" in body and "embed=1" in body.split('<nav class="languages"')[1].split("</nav>")[0]
    taken = browser.post(f"/f/{survey.code}", data={"shown": shown(survey.code), "lang": "nl", "embed": "1",
                                                   "order": "SO-9", "score": "9", "comment": "Vlot besteld."})
    assert taken.status_code == 303 and "Set-Cookie" not in taken.headers
    assert "embed=1" in taken.headers["Location"]
    thanks = browser.get(taken.headers["Location"])
    assert 'class="embedded"' in thanks.get_data(as_text=True) and "Set-Cookie" not in thanks.headers
    stored = db.session.scalars(select(SurveyAnswer)).one()
    assert (stored.score, stored.comment, stored.hidden) == (9, "Vlot besteld.", {"order": "SO-9"})
