"""The three readiness questions every CX strategy must answer, and the 0–4 score scale."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import Texts, texts_beside

TEXTS_FILE = texts_beside(__file__)
QUESTIONS = Choices.of(TEXTS_FILE["QUESTIONS"])
SHORT_LABELS = Texts(TEXTS_FILE["SHORT_LABELS"])

MAX_SCORE = 4
SCORE_LABELS = {int(score): label for score, label in Texts(TEXTS_FILE["SCORE_LABELS"]).items()}
