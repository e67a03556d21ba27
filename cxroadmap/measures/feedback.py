"""One customer's answer, as the areas that act on answers hear of it.

Whoever stores an answer (a survey's answer page, an invitation link, the API, the CSV import of answers) sends
`answer_recorded` with a `FeedbackAnswer`, inside the transaction that stores it; whoever acts on answers (the
follow-up cases) connects to it in its `load` and writes in the same session, so the answer and what it caused
are committed together or not at all. Neither side names the other.
"""

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

signals = Namespace()

#: An imported answer older than this many days is history: importers tell nobody of it, and the cases open
#: none for it.
IMPORT_WINDOW_DAYS = 7

#: Sent with the app as sender and `answer=FeedbackAnswer(...)`, after the answer is flushed, before the commit.
answer_recorded = signals.signal("answer-recorded")


@dataclass(frozen=True)
class FeedbackAnswer:
    organisation_id: int
    source: str  # "survey" (answer page, invitation, API) or "import" (CSV of answers)
    answered_at: datetime
    answer_id: int | None = None  # the stored answer's id in its area, when there is one
    survey_title: str = ""
    measure: str | None = None  # "nps", "csat" or "ces": the headline score's measure
    score: int | None = None  # the headline score on that measure's scale
    touchpoint_id: int | None = None  # the touchpoint the answer is about; None for the relationship
    expectation: int | None = None  # of the touchpoint, 1–7
    perception: int | None = None  # of the touchpoint, 1–7
    comment: str = ""
    language: str = "en"  # the respondent's language ("en" or "nl")
    contact_name: str | None = None  # only when the customer agreed to be contacted
    contact: str | None = None  # an email address or phone number, only when the customer agreed

    @property
    def gap(self) -> int | None:
        """Perception minus expectation (negative: worse than expected), when both were answered."""
        if self.expectation is None or self.perception is None:
            return None
        return self.perception - self.expectation
