"""The enumerations of surveys: states, periods, the questions a survey may ask with their default texts, and the
hidden fields a link may carry."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

TEXTS_FILE = texts_beside(__file__)
SURVEY_STATES = Choices.of(TEXTS_FILE["SURVEY_STATES"])
HEADLINE_MEASURES = Choices.of(TEXTS_FILE["HEADLINE_MEASURES"])

# Each KPI reading fed by a survey covers one period; the reading is dated on the period's first day.
PERIODS = Choices.of(TEXTS_FILE["PERIODS"])

LANGUAGES = ("en", "nl")
MAX_RATED = 8
GAP_SCALE = (1, 7)

# The questions' keys, in the order the answer page asks them.
QUESTION_KEYS = ("score", "expectation", "perception", "ratings", "comment", "contact")

# What a survey asks unless its makers word it otherwise; {organisation} and {touchpoint} are filled in once,
# when the survey is made. They are the survey's own text in each language, not the product's.
DEFAULT_TEXTS = {
    "score": {
        "nps": {"en": "How likely are you to recommend {organisation} to a colleague or a friend?",
                "nl": "Hoe waarschijnlijk is het dat u {organisation} aanbeveelt aan een collega of vriend?"},
        "csat": {"en": "How satisfied are you with {touchpoint}?",
                 "nl": "Hoe tevreden bent u over {touchpoint}?"},
        "ces": {"en": "{organisation} made it easy for me to get what I needed.",
                "nl": "{organisation} maakte het mij makkelijk om te krijgen wat ik nodig had."},
    },
    "expectation": {"en": "Before: what did you expect of {touchpoint}?",
                    "nl": "Vooraf: wat verwachtte u van {touchpoint}?"},
    "perception": {"en": "After: how did you find {touchpoint}?",
                   "nl": "Achteraf: hoe vond u {touchpoint}?"},
    "ratings": {"en": "How do you rate these parts of working with us?",
                "nl": "Hoe beoordeelt u deze onderdelen van de samenwerking?"},
    "comment": {"en": "What is the main reason for your answer?",
                "nl": "Wat is de belangrijkste reden voor uw antwoord?"},
    "contact": {"en": "May we contact you about your answer?",
                "nl": "Mogen we contact met u opnemen over uw antwoord?"},
}

# What a public link may carry in its query string and keep with the answer (?order=…&customer=…&channel=…).
HIDDEN_FIELDS = ("order", "customer", "channel")
HIDDEN_VALUE_LENGTH = 80
