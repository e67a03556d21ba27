"""The organisation's comment themes: kept on their page by managers (every problem beside its field at once),
counted in a survey's comments by the keywords of each comment's language, filtered to unhappy customers,
suggested from the phrases customers repeat and added at one click; and the comments searched, never across
organisations."""

from datetime import timedelta

from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.models import SurveyTheme
from cxroadmap.timeutil import utcnow
from tests.helpers import field_error, page_text
from tests.surveys.helpers import journey, live_survey


def _theme(organisation, name_en="Late delivery", name_nl="Te late levering", keywords_en=("late",),
           keywords_nl=("te laat",)):
    theme = SurveyTheme(organisation_id=organisation.id, name_en=name_en, name_nl=name_nl,
                        keywords_en=list(keywords_en), keywords_nl=list(keywords_nl))
    db.session.add(theme)
    db.session.commit()
    return theme


def _say(survey, comment, language="en", score=3, minutes=1, **contact):
    given = Given(score=score, comment=comment, consent=bool(contact), **contact)
    record_answer(survey, given, language, {}, now=utcnow() - timedelta(minutes=minutes))
    db.session.commit()


def test_a_manager_hears_every_problem_with_a_theme_at_once_beside_its_field(client_as):
    organisation, _touchpoint, _other = journey()
    _theme(organisation)
    browser = client_as("steering", organisation)
    refused = browser.post("/o/acme/surveys/themes", data={"name_en": "", "name_nl": "x" * 81,
                                                           "keywords_en": "", "keywords_nl": ""})
    assert refused.status_code == 422
    assert field_error(refused, "name_en") == "Give the name."
    assert field_error(refused, "name_nl") == "At most 80 characters."
    assert field_error(refused, "keywords_en") == "Give at least one keyword, in English or in Dutch."
    clash = browser.post("/o/acme/surveys/themes", data={"name_en": "late DELIVERY", "name_nl": "Laat",
                                                         "keywords_en": "late", "keywords_nl": "*"})
    assert field_error(clash, "name_en") == "The organisation already has a theme of that name."
    assert field_error(clash, "keywords_nl") == "“*” holds no word to look for."
    assert db.session.query(SurveyTheme).count() == 1


def test_a_manager_adds_changes_and_removes_a_theme(client_as):
    organisation, _touchpoint, _other = journey()
    browser = client_as("steering", organisation)
    added = browser.post("/o/acme/surveys/themes", data={
        "name_en": "Invoices", "name_nl": "Facturen", "keywords_en": "invoice, credit note\nInvoice",
        "keywords_nl": "factu*"}, follow_redirects=True)
    assert "Theme Invoices added." in page_text(added)
    theme = db.session.query(SurveyTheme).one()
    assert (theme.keywords_en, theme.keywords_nl) == (["invoice", "credit note"], ["factu*"])
    page = page_text(browser.get("/o/acme/surveys/themes"))
    assert "1 theme" in page and "English: invoice, credit note" in page and "Dutch: factu*" in page
    changed = browser.post(f"/o/acme/surveys/themes/{theme.id}/edit", data={
        "name_en": "Invoicing", "name_nl": "Facturatie", "keywords_en": "invoice", "keywords_nl": "factuur"},
        follow_redirects=True)
    assert "Theme Invoicing saved." in page_text(changed)
    assert "Facturatie" in page_text(client_as("viewer", organisation, locale="nl").get("/o/acme/surveys/themes"))
    browser.post(f"/o/acme/surveys/themes/{theme.id}/remove")
    assert db.session.query(SurveyTheme).count() == 0


def test_themes_are_counted_by_the_keywords_of_each_comments_language_with_an_example(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    _theme(organisation)
    _theme(organisation, "Invoices", "Facturen", ["invoice"], ["factu*"])
    # By hand: "late" counts in English comments, "te laat" in Dutch ones, as whole words in any case.
    _say(survey, "The van was LATE again.", minutes=1)                       # late delivery
    _say(survey, "Weer te laat, en de factuur klopte niet.", "nl", minutes=2)  # late delivery, invoices
    _say(survey, "The latest invoice was fine.", score=9, minutes=3)          # invoices ("latest" is not "late")
    _say(survey, "Late levering.", "nl", minutes=4)                          # none: "late" is an English keyword
    _say(survey, "Late, as always.", score=10, minutes=5)                    # late delivery, a promoter
    _say(survey, "", minutes=6)                                               # no comment: not read
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "Themes in the comments The organisation’s themes The 5 comments since" in page
    assert "Late delivery 3 comments “The van was LATE again.”" in page
    assert "Invoices 2 comments “Weer te laat, en de factuur klopte niet.”" in page
    unhappy = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}?unhappy=1"))
    assert "The 3 comments of unhappy customers since" in unhappy and "(score 0 to 6)" in unhappy
    assert "Late delivery 2 comments" in unhappy and "Invoices 1 comment “Weer te laat" in unhappy
    dutch = page_text(client_as("viewer", organisation, locale="nl").get(f"/o/acme/surveys/{survey.id}"))
    assert "Te late levering 3 opmerkingen" in dutch and "Facturen 2 opmerkingen" in dutch


def test_a_phrase_customers_repeat_is_suggested_and_added_as_a_theme_at_one_click(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    for minute, comment in enumerate(["The pallet was broken.", "Broken pallet again!", "A pallet arrived broken."]):
        _say(survey, comment, minutes=minute + 1)
    browser = client_as("steering", organisation)
    page = page_text(browser.get(f"/o/acme/surveys/{survey.id}"))
    assert "“pallet” · 3 comments Add as theme" in page
    added = browser.post(f"/o/acme/surveys/{survey.id}/themes/from-phrase", data={"phrase": "pallet"},
                         follow_redirects=True)
    text = page_text(added)
    assert "Theme pallet added" in text and "pallet 3 comments" in text
    assert "“pallet” · 3 comments" not in text  # covered now: no longer suggested
    again = page_text(browser.post(f"/o/acme/surveys/{survey.id}/themes/from-phrase", data={"phrase": "Pallet"},
                                   follow_redirects=True))
    assert "The organisation already has a theme of that name." in again
    assert db.session.query(SurveyTheme).count() == 1
    assert "Add as theme" not in page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))


def test_the_comment_search_finds_this_organisations_comments_a_page_at_a_time(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    other_organisation = journey("other")[0]
    elsewhere = live_survey(other_organisation)
    _say(elsewhere, "Pallet secret of the other organisation.")
    _say(survey, "The PALLET fell over.", contact_name="Piet", contact="piet@example.com", minutes=1)
    for minute in range(24):
        _say(survey, f"Pallet number {minute}", minutes=minute + 2)
    _say(survey, "100% right, no_pallet issue", minutes=40)
    browser = client_as("viewer", organisation)
    first = page_text(browser.get(f"/o/acme/surveys/{survey.id}/comments?q=pallet"))
    assert "26 comments hold “pallet”." in first
    assert "Piet piet@example.com" in first and "The PALLET fell over." in first
    assert "anonymous" in first and "secret" not in first
    second = page_text(browser.get(f"/o/acme/surveys/{survey.id}/comments?q=pallet&page=2"))
    assert "Pallet number 23" in second and "100% right" in second and "The PALLET" not in second
    # A % or _ is looked for as typed, not as a pattern.
    assert "1 comment holds “100%”." in page_text(browser.get(f"/o/acme/surveys/{survey.id}/comments?q=100%25"))
    assert "1 comment holds “o_p”." in page_text(browser.get(f"/o/acme/surveys/{survey.id}/comments?q=o_p"))
    assert browser.get(f"/o/acme/surveys/{elsewhere.id}/comments?q=pallet").status_code == 404
    assert "Type a word" in page_text(browser.get(f"/o/acme/surveys/{survey.id}/comments"))


def test_the_touchpoint_page_shows_the_themes_of_its_surveys_comments(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    _theme(organisation)
    _say(survey, "Late again.", score=1, minutes=1)
    _say(survey, "A bit late but fine.", score=5, minutes=2)
    browser = client_as("viewer", organisation)
    page = page_text(browser.get("/o/acme/journey/touchpoints/delivery"))
    assert "Themes in the comments All comments Unhappy customers only Late delivery 2 comments “Late again.”" in page
    unhappy = page_text(browser.get("/o/acme/journey/touchpoints/delivery?unhappy=1"))
    assert "Late delivery 1 comment “Late again.”" in unhappy


def test_a_phrase_whose_comments_a_theme_already_counts_is_not_suggested(client_as):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    _theme(organisation, "On time", "Op tijd", ["on site"], ["op tijd"])
    for minute, comment in enumerate(["On site at nine, driver friendly.", "The driver was on site early.",
                                      "On site before ten; driver friendly."]):
        _say(survey, comment, minutes=minute + 1)
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "“driver” · 3 comments" not in page and "“site”" not in page
    assert "On time 3 comments" in page
