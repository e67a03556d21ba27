"""A webshop shows a survey through its snippet: on a page of a site the survey allows, the frame shows and takes an
answer that is stored; on a page of a site it does not allow, the browser refuses to frame it. The shop's pages are
served from loopback origins of their own (127.0.0.1 on two ports), the app from another site (localhost), so the
frame is cross-site as on a real shop; nothing sets a cookie, and the shop's page gains no global name."""

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select

from tests.mailtesting import free_port

SHOP_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order confirmed</title></head>
<body><h1>Thank you for your order</h1>{script}<p id="after">Your parts arrive tomorrow.</p></body></html>"""


@contextmanager
def shop(script: str):
    """A shop's page (with script, or without it at /plain) on a loopback port of its own."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = SHOP_PAGE.format(script="" if self.path == "/plain" else script).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _survey(app):
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.measure == "nps", Survey.state == "live"))
        return survey.id, survey.code, survey.allowed_origins


def _allow(app, survey_id: int, origins: str) -> None:
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with app.app_context():
        db.session.get(Survey, survey_id).allowed_origins = origins
        db.session.commit()


def test_the_snippet_shows_the_survey_on_an_allowed_site_only(browser, live_server):
    app = live_server["app"]
    survey_id, code, before = _survey(app)
    port = live_server["url"].rsplit(":", 1)[1]
    script = f'<script src="http://localhost:{port}/f/{code}/snippet.js" data-order="SO-77" async></script>'
    minimum = app.config.get("SURVEY_MINIMUM_SECONDS")
    app.config["SURVEY_MINIMUM_SECONDS"] = 1
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        with shop(script) as allowed, shop(script) as elsewhere:
            _allow(app, survey_id, allowed)
            page = context.new_page()
            page.goto(f"{allowed}/plain")
            names = "Object.keys(window).filter(name => !/^[0-9]+$/.test(name))"  # window[0] is the frame itself
            globals_without = set(page.evaluate(names))
            page.goto(allowed)
            frame = page.frame_locator("iframe")
            frame.locator("label[for=score-9]").click()
            frame.locator("#comment").fill("Easy to order, clear delivery date.")
            assert set(page.evaluate(names)) == globals_without
            assert page.inner_text("#after") == "Your parts arrive tomorrow."
            # The frame grew to the whole form (the page inside tells its height), and shrinks to the thanks.
            page.wait_for_function("() => parseInt(document.querySelector('iframe').style.height) > 700")
            time.sleep(1.2)
            frame.locator("button[type=submit]").click()
            frame.locator("h1", has_text="Thank you").wait_for()
            page.wait_for_function("() => parseInt(document.querySelector('iframe').style.height) < 400")
            assert page.url == f"{allowed}/"  # the shop's page stayed; only the frame moved on

            refusals = []
            other = context.new_page()
            other.on("console", lambda message: refusals.append(message.text))
            other.goto(elsewhere)
            other.wait_for_selector("iframe", state="attached")
            other.wait_for_function("() => document.querySelector('iframe').src.includes('embed=1')")
            deadline = time.monotonic() + 10
            while not any("frame-ancestors" in text for text in refusals) and time.monotonic() < deadline:
                other.wait_for_timeout(100)
            assert any("frame-ancestors" in text for text in refusals), refusals
            framed = [f for f in other.frames if f is not other.main_frame]
            assert all("/f/" not in f.url for f in framed) or all(
                f.locator("button[type=submit]").count() == 0 for f in framed)
            assert context.cookies() == []
    finally:
        context.close()
        _allow(app, survey_id, before)
        if minimum is None:
            app.config.pop("SURVEY_MINIMUM_SECONDS", None)
        else:
            app.config["SURVEY_MINIMUM_SECONDS"] = minimum
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import SurveyAnswer

    with app.app_context():
        stored = db.session.scalar(select(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id)
                                   .order_by(SurveyAnswer.id.desc()))
        assert (stored.score, stored.comment, stored.hidden) == (9, "Easy to order, clear delivery date.",
                                                                 {"order": "SO-77"})
