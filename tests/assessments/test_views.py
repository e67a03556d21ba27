"""Assessment pages: the rater's page behind a personal link, and steering's pages of a round."""

import re
from datetime import timedelta

from cxroadmap.assessments import services
from cxroadmap.assessments.models import AssessmentRater
from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.maturity.services import current_stage
from cxroadmap.timeutil import today
from tests.assessments.test_services import ANSWERS, answer, closed_round_with_answers
from tests.factories import OrganisationFactory, assessment_round


def body(response) -> str:
    return response.get_data(as_text=True)


def test_the_rater_page_shows_the_questionnaire_and_nothing_else_of_the_organisation(anonymous):
    organisation = OrganisationFactory(name="Van Dijk", slug="vandijk")
    made, tokens = assessment_round(organisation, raters=1)
    page = anonymous.get(f"/assess/{tokens[made.raters[0].id]}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = body(page)
    assert "Purposeful leadership" in text and "Do we know our customers?" in text
    assert "The promise is kept consistently" in text  # one of the six descriptions
    assert "Don't know" in text and "Random" in text and "Pro-active" in text
    assert "/o/vandijk" not in text and "Initiatives" not in text and "Sign out" not in text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_rater_answers_in_dutch_and_changes_an_answer(anonymous):
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    url = f"/assess/{tokens[made.raters[0].id]}"
    page = body(anonymous.get(url + "?lang=nl"))
    assert "Doelgericht leiderschap" in page and "Weet ik niet" in page
    saved = anonymous.post(url, data={**ANSWERS, "lang": "nl", "comment": "Logistiek ziet het anders."})
    assert saved.status_code == 302 and "lang=nl" in saved.headers["Location"]
    again = body(anonymous.get(saved.headers["Location"]))
    assert "Dank u wel" in again
    assert 'value="mobilise" checked' in again and "Logistiek ziet het anders." in again
    anonymous.post(url, data={**ANSWERS, "leadership": "align", "lang": "nl"})
    rater = db.session.get(AssessmentRater, made.raters[0].id)
    db.session.refresh(rater.response)
    assert rater.response.answers["leadership"] == "align" and rater.language == "nl"


def test_an_answer_not_offered_comes_back_with_the_error_beside_it(anonymous):
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    url = f"/assess/{tokens[made.raters[0].id]}"
    page = anonymous.post(url, data={**ANSWERS, "leadership": "superb", "lang": "en"})
    assert page.status_code == 422
    assert 'id="leadership-error"' in body(page)
    assert db.session.get(AssessmentRater, made.raters[0].id).response is None


def test_saving_a_blank_questionnaire_is_refused_and_the_rater_not_counted(anonymous):
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    page = anonymous.post(f"/assess/{tokens[made.raters[0].id]}", data={"lang": "en", "comment": ""},
                          follow_redirects=True)
    assert page.status_code == 422
    assert "nothing chosen is not an answer" in body(page) and "Thank you" not in body(page)
    assert db.session.get(AssessmentRater, made.raters[0].id).answered_at is None


def test_unknown_withdrawn_and_expired_links_all_get_the_same_plain_page(anonymous):
    organisation = OrganisationFactory()
    made, tokens = assessment_round(organisation, raters=2)
    withdrawn = made.raters[1]
    services.withdraw(made, withdrawn)
    old, _ = assessment_round(organisation, raters=1, opened_on=today() - timedelta(days=30),
                              closes_on=today() - timedelta(days=1))
    urls = ["/assess/" + "A" * 43, f"/assess/{tokens[withdrawn.id]}", f"/assess/{next(iter(_.values()))}"]
    db.session.commit()
    answers = [anonymous.get(url, headers={"Accept-Language": "en"}) for url in urls]
    assert {a.status_code for a in answers} == {404}
    assert len({body(a) for a in answers}) == 1
    assert "This link does not work" in body(answers[0])
    posted = anonymous.post(urls[1], data=ANSWERS)
    assert posted.status_code == 404 and body(posted) == body(answers[0])
    assert db.session.get(AssessmentRater, withdrawn.id).response is None
    refused = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "assessment_link_refused")).all()
    assert len(refused) == 4


def test_links_are_rate_limited_per_address(anonymous):
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    statuses = [anonymous.get(f"/assess/guess{n}").status_code for n in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[20] == 429
    assert anonymous.get(f"/assess/{tokens[made.raters[0].id]}").status_code == 429


def test_answering_is_in_the_audit_trail_without_the_answers(anonymous):
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    anonymous.post(f"/assess/{tokens[made.raters[0].id]}", data={**ANSWERS, "comment": "Secret opinion"})
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Assessment rater")).all()
    assert "assessment_answered" in {e.action for e in events}
    trail = " ".join(str(e.changes) + e.object_label for e in events)
    assert "Secret opinion" not in trail and "mobilise" not in trail


def test_steering_opens_a_round_with_coalition_members_and_an_outsider(client_as):
    from tests.factories import MemberFactory

    organisation = OrganisationFactory(slug="acme")
    members = [MemberFactory(organisation=organisation, name=f"Rater Number{n}") for n in range(3)]
    browser = client_as("steering", organisation)
    form = body(browser.get("/o/acme/assessments"))
    checked = set(re.findall(r'<input checked[^>]*type="checkbox" value="(\d+)"', form))
    assert checked == {str(m.id) for m in members}
    opened = browser.post("/o/acme/assessments", data={"title": "Spring check", "closes_on": str(today()),
                                                       "member_ids": [members[0].id, members[1].id]})
    assert opened.status_code == 302
    round_url = opened.headers["Location"]
    page = body(browser.get(round_url))
    assert "Rater Number0" in page and "Rater Number1" in page and "Rater Number2" not in page
    assert "0 of 2 answered" in page
    added = browser.post(round_url + "/raters", data={"name": "Olga Outside", "function": "Panel",
                                                      "email": "olga@example.com"})
    link_page = body(browser.get(added.headers["Location"]))
    link = re.search(r'value="(http://localhost/assess/[^"]+)"', link_page).group(1)
    assert browser.get(link.replace("http://localhost", "")).status_code == 200


def test_a_bad_round_comes_back_with_errors_and_nothing_opened(client_as):
    organisation = OrganisationFactory(slug="acme")
    browser = client_as("steering", organisation)
    page = browser.post("/o/acme/assessments", data={"title": "Late", "closes_on": str(today() - timedelta(days=2))})
    assert page.status_code == 422 and "A round cannot close before today." in body(page)
    assert services.rounds(organisation) == []


def test_progress_shows_who_answered_never_what(client_as):
    organisation = OrganisationFactory(slug="acme")
    made, _ = assessment_round(organisation, raters=2)
    answer(made.raters[0], comment="Pricing hurts.")
    page = body(client_as("steering", organisation).get(f"/o/acme/assessments/{made.id}"))
    assert "1 of 2 answered" in page and "not yet" in page
    assert "Results appear once at least three raters have answered" in page
    assert "Pricing hurts." not in page and "Mobilise" not in page.split("Results", 1)[1]


def test_viewers_see_results_but_not_who_answered(client_as):
    organisation = OrganisationFactory(slug="acme")
    made, _ = assessment_round(organisation, raters=3)
    for rater in made.raters:
        answer(rater)
    page = body(client_as("viewer", organisation).get(f"/o/acme/assessments/{made.id}"))
    assert "The answers suggest:" in page
    assert made.raters[0].name not in page and "Withdraw" not in page


def test_breakdown_by_function_only_where_three_answered(client_as):
    organisation = OrganisationFactory(slug="acme")
    made, _ = assessment_round(organisation, raters=5, functions=("Sales", "Sales", "Sales", "Finance", "Finance"))
    for rater in made.raters:
        answer(rater)
    page = body(client_as("viewer", organisation).get(f"/o/acme/assessments/{made.id}"))
    breakdown = page.split("By function", 1)[1].split("Shown only for functions", 1)[0]
    assert "<td>Sales</td>" in breakdown and "Finance" not in breakdown


def test_steering_closes_and_confirms_a_round_into_the_maturity_page(client_as):
    organisation = OrganisationFactory(slug="acme")
    made, _ = assessment_round(organisation, raters=3)
    for rater in made.raters:
        answer(rater, comment="Fine.")
    browser = client_as("steering", organisation, email="stella@example.com")
    url = f"/o/acme/assessments/{made.id}"
    assert browser.post(url + "/close").status_code == 302
    page = body(browser.get(url))
    assert "Confirm the outcome" in page and '<option selected value="mobilise">' in page
    refused = browser.post(url + "/confirm", data={"stage": "align", "know_customers": "3", "know_experience": "2",
                                                   "know_roles": "", "reason": ""})
    assert refused.status_code == 422 and "Say why the outcome differs" in body(refused)
    done = browser.post(url + "/confirm", data={"stage": "mobilise", "know_customers": "3",
                                                "know_experience": "2", "know_roles": "", "reason": ""})
    assert done.status_code == 302
    assert current_stage(organisation).stage == "mobilise"
    maturity = body(browser.get("/o/acme/maturity"))
    assert "Assessment rounds over time" in maturity and "Spring check" in maturity
    assert "From the assessment round “Spring check”" in maturity


def test_the_results_charts_are_svg(client_as):
    organisation = OrganisationFactory(slug="acme")
    made = closed_round_with_answers(organisation)
    browser = client_as("viewer", organisation)
    for name in ("distribution", "disagreement"):
        chart = browser.get(f"/o/acme/assessments/{made.id}/charts/{name}.svg")
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert "<svg" in body(chart) and "Purposeful leadership" in body(chart)
    assert browser.get(f"/o/acme/assessments/{made.id}/charts/other.svg").status_code == 404


def test_another_organisations_round_is_not_found(client_as):
    mine = OrganisationFactory(slug="mine")
    theirs = OrganisationFactory(slug="theirs")
    made, _ = assessment_round(theirs, raters=1)
    browser = client_as("admin", mine)
    assert browser.get(f"/o/mine/assessments/{made.id}").status_code == 404
    assert browser.get(f"/o/mine/assessments/{made.id}/raters/{made.raters[0].id}/link").status_code == 404
    assert browser.post(f"/o/mine/assessments/{made.id}/raters/{made.raters[0].id}/withdraw").status_code == 404


def test_the_round_page_asks_the_same_number_of_queries_for_three_raters_or_thirty(client_as, count_queries):
    organisation = OrganisationFactory(slug="acme")
    browser = client_as("steering", organisation)
    counts = []
    for raters in (3, 30):
        made, _ = assessment_round(organisation, raters=raters, title=f"Round of {raters}")
        for rater in made.raters:
            answer(rater, comment=f"From {rater.name}.")
        with count_queries:
            page = browser.get(f"/o/acme/assessments/{made.id}")
        assert page.status_code == 200 and f"{raters} of {raters} answered" in body(page)
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
    with count_queries:
        assert browser.get("/o/acme/maturity").status_code == 200
    few = count_queries.count
    assessment_round(organisation, raters=12, title="Yet another")
    with count_queries:
        browser.get("/o/acme/maturity")
    assert count_queries.count == few


def test_a_closed_round_with_two_answers_offers_no_suggestion_to_confirm(client_as):
    organisation = OrganisationFactory(slug="acme")
    made = closed_round_with_answers(organisation, raters=2)
    page = body(client_as("steering", organisation).get(f"/o/acme/assessments/{made.id}"))
    assert "Fewer than three raters answered" in page
    assert f'action="/o/acme/assessments/{made.id}/confirm"' not in page and "<option selected" not in page


def test_the_round_charts_have_no_text_below_11_px_at_either_width_and_the_spread_has_a_scale(client_as):
    organisation = OrganisationFactory()
    made = closed_round_with_answers(organisation)
    browser = client_as("viewer", organisation)
    page = body(browser.get(f"/o/{organisation.slug}/assessments/{made.id}"))
    widths = set(re.findall(r"disagreement\.svg\?w=(\d+)", page))
    assert {"520", "340"} <= widths
    for figure in ("distribution", "disagreement"):
        for width in widths:
            svg = browser.get(f"/o/{organisation.slug}/assessments/{made.id}/charts/{figure}.svg?w={width}")
            sizes = [float(size) for size in re.findall(r"font-size[:=]\s*\"?([\d.]+)", svg.get_data(as_text=True))]
            assert sizes and min(sizes) >= 11, (figure, width, min(sizes))
    spread = body(browser.get(f"/o/{organisation.slug}/assessments/{made.id}/charts/disagreement.svg?w=520"))
    assert ">Ignore<" in spread and ">Embed<" in spread  # the ends of the stage scale
