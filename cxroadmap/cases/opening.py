"""Where answers reach the cases: the measures' `answer_recorded` signal opens a case in the sender's transaction."""

from flask import current_app, g, has_request_context

from cxroadmap.areas import registry
from cxroadmap.cases import services
from cxroadmap.cases.mails import queue_opened_mail
from cxroadmap.mail import send_queued_soon
from cxroadmap.measures.feedback import FeedbackAnswer, answer_recorded
from cxroadmap.web import after_commit


def on_answer(sender, answer: FeedbackAnswer, **_extra) -> None:
    """Open a case when the answer meets the organisation's rule, and queue the mail that tells its people.

    Connected once for the process (several apps share the signal in tests): it acts only for an app that loaded
    this area."""
    if "cases" not in registry(current_app).areas:
        return
    found = services.open_case(answer)
    if found is None:
        return
    queue_opened_mail(found)
    # Outside a request (the CLI, the scheduler) the queued-mail work sends it within a minute.
    if has_request_context() and send_queued_soon not in g.get("after_commit", []):
        after_commit(send_queued_soon)


def listen() -> None:
    answer_recorded.connect(on_answer, weak=False)
