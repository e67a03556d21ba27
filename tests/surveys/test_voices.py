"""What customers say, on the survey's page: how the comments sound and the phrases they repeat."""

from datetime import timedelta

from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.voices import survey_voices
from cxroadmap.timeutil import today, utcnow
from tests.helpers import page_text
from tests.surveys.helpers import journey, live_survey

COMMENTS = [("Terrible: the late delivery cost us a morning.", 1), ("Late delivery again, very disappointing.", 2),
            ("Another late delivery. The mechanic waited for hours.", 3),
            ("Excellent service, very friendly people.", 10), ("Great help on the phone, thank you!", 9),
            ("The invoice arrived.", 7)]


def test_the_survey_page_says_how_comments_sound_and_what_customers_repeat(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    for index, (comment, score) in enumerate(COMMENTS):
        record_answer(survey, Given(score=score, comment=comment), "en", {}, now=utcnow() - timedelta(hours=index))
    record_answer(survey, Given(score=2, comment="Long ago."), "en", {}, now=utcnow() - timedelta(days=120))
    db.session.commit()
    voices = survey_voices(survey, today())
    assert voices.comments == 6 and voices.sounds == {"negative": 3, "positive": 2, "neutral": 1}
    assert [(phrase.phrase, phrase.count) for phrase in voices.phrases] == [("late delivery", 3)]
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "What customers say" in page and "Negative 3 · 50%" in page and "Positive 2 · 33%" in page
    assert "“late delivery” · 3 comments" in page
    dutch = page_text(client_as("viewer", organisation, locale="nl").get(f"/o/acme/surveys/{survey.id}"))
    assert "Wat klanten zeggen" in dutch and "Negatief 3 · 50%" in dutch and "3 opmerkingen" in dutch


def test_a_survey_without_comments_has_no_such_section(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    record_answer(survey, Given(score=9), "en", {})
    db.session.commit()
    assert survey_voices(survey, today()) is None
    assert "What customers say" not in page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
