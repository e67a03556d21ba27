"""Fixed texts kept as data in the TOML files beside their modules (`i18n.texts_beside`): each reads in the reader's
language, values filled in. That each reaches the catalogs: tests/i18n/test_catalogs.py."""

from flask_babel import force_locale

from cxroadmap.journey.story import TEXTS as GAP_TEXTS
from cxroadmap.readiness.questions import SCORE_LABELS, SHORT_LABELS
from cxroadmap.stages import STAGES


def test_a_table_from_a_texts_file_reads_in_the_readers_language(app):
    with force_locale("nl"):
        assert STAGES.label("ignore") == "Negeren"
        assert str(SHORT_LABELS["know_roles"]) == "Rollen kennen"
        assert str(SCORE_LABELS[4]) == "Volledig beantwoord"
        assert GAP_TEXTS.say("gaps.widest", gaps="Factuur (−2,0)") == (
            "De grootste kloven tussen verwachting en beleving: Factuur (−2,0).")
    with force_locale("en"):
        assert STAGES.label("ignore") == "Ignore"
        assert GAP_TEXTS.say_each("gaps.none_short", "list.and") == [
            "No touchpoint falls short of what customers expect.", "{items} and {last}"]
