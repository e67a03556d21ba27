"""Assessment rounds: link security, answering, results, and confirmation into the histories."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from cxroadmap.assessments import links, services
from cxroadmap.assessments.models import AssessmentRater
from cxroadmap.assessments.results import round_results
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.maturity.services import current_stage, stage_history
from cxroadmap.readiness.services import readiness_scores
from cxroadmap.timeutil import today
from tests.factories import OrganisationFactory, assessment_round

ANSWERS = {"leadership": "mobilise", "brand_values": "explore", "engagement": "mobilise",
           "customer_insight": "operationalise", "know_customers": "3", "know_experience": "2",
           "know_roles": "dont_know", "experience": "intentional", "service": "reactive"}


def answer(rater, **changes):
    comment = changes.pop("comment", "")
    services.save_answers(rater, {**ANSWERS, **changes}, comment=comment)
    db.session.commit()


# -- links ------------------------------------------------------------------------------------------------

def test_each_rater_gets_a_long_random_token_of_their_own():
    made, tokens = assessment_round(OrganisationFactory(), raters=5)
    assert len(set(tokens.values())) == 5
    assert all(len(token) >= 43 for token in tokens.values())  # 256 bits in URL-safe base64
    assert len({r.token_salt for r in made.raters}) == 5 and all(len(r.token_salt) == 32 for r in made.raters)
    for rater in made.raters:
        assert links.rater_by_token(tokens[rater.id], today()).id == rater.id


def test_the_token_is_stored_nowhere_only_its_hash():
    made, tokens = assessment_round(OrganisationFactory(), raters=2)
    rater = made.raters[0]
    answer(rater)
    dump = []
    for table in ("assessment_round", "assessment_rater", "assessment_response", "audit_event"):
        dump += [str(row) for row in db.session.execute(text(f"SELECT * FROM {table}"))]
    everything = "\n".join(dump)
    for token in tokens.values():
        assert token not in everything
    assert links.hash_of(tokens[rater.id]) in everything  # the hash is what is kept


def test_guessed_and_mangled_tokens_find_nobody():
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    token = next(iter(tokens.values()))
    guesses = [secrets.token_urlsafe(32) for _ in range(50)] + [
        token[:-1] + ("A" if token[-1] != "A" else "B"), token[:-1], token + "x", token.upper(), "",
        "x" * 5000, links.hash_of(token), made.raters[0].token_salt]
    assert [g for g in guesses if links.rater_by_token(g, today()) is not None] == []


def test_a_link_works_for_its_own_round_only():
    organisation = OrganisationFactory()
    first, first_tokens = assessment_round(organisation, raters=1, title="Spring")
    second, _ = assessment_round(organisation, raters=0, title="Autumn")
    same = first.raters[0]
    services.add_rater(second, same.name, same.email, same.function)
    db.session.commit()
    token = first_tokens[same.id]
    found = links.rater_by_token(token, today())
    assert found.round_id == first.id
    answer(found)
    other = second.raters[0]
    assert links.token_for(other) != token
    assert other.response is None and round_results(second).answered == 0


def test_a_link_stops_working_after_the_round_closes():
    made, tokens = assessment_round(OrganisationFactory(), raters=1, closes_on=today() + timedelta(days=3))
    token = next(iter(tokens.values()))
    assert links.rater_by_token(token, made.closes_on) is not None  # the last day still counts
    assert links.rater_by_token(token, made.closes_on + timedelta(days=1)) is None
    services.close_round(made)
    db.session.commit()
    assert links.rater_by_token(token, today()) is None


def test_a_withdrawn_link_stops_working_and_a_new_one_replaces_the_old():
    made, tokens = assessment_round(OrganisationFactory(), raters=1)
    rater = made.raters[0]
    old = tokens[rater.id]
    services.withdraw(made, rater)
    db.session.commit()
    assert links.rater_by_token(old, today()) is None
    new = services.reissue(made, rater)
    db.session.commit()
    assert new != old
    assert links.rater_by_token(old, today()) is None
    assert links.rater_by_token(new, today()).id == rater.id


def test_every_lookup_compares_hashes_once_in_constant_time_whatever_the_outcome(monkeypatch):
    organisation = OrganisationFactory()
    made, tokens = assessment_round(organisation, raters=2, closes_on=today() + timedelta(days=1))
    valid, withdrawn = (tokens[r.id] for r in made.raters)
    services.withdraw(made, made.raters[1])
    db.session.commit()
    calls = []
    real = links.hmac.compare_digest
    monkeypatch.setattr(links.hmac, "compare_digest", lambda a, b: calls.append((len(a), len(b))) or real(a, b))
    cases = {"valid": (valid, today()), "unknown": (secrets.token_urlsafe(32), today()),
             "withdrawn": (withdrawn, today()), "expired": (valid, today() + timedelta(days=2)), "empty": ("", today())}
    for name, (token, on) in cases.items():
        calls.clear()
        links.rater_by_token(token, on)
        assert calls == [(64, 64)], name


# -- answering ----------------------------------------------------------------------------------------------

def test_answers_are_kept_and_can_be_changed_until_the_round_closes():
    made, _ = assessment_round(OrganisationFactory(), raters=1)
    rater = made.raters[0]
    answer(rater, comment="Sales and service see it differently.")
    assert services.answers_of(rater)["leadership"] == "mobilise"
    answer(rater, leadership="align", know_roles="")
    kept = services.answers_of(rater)
    assert kept["leadership"] == "align" and "know_roles" not in kept
    assert rater.answered_at is not None
    services.close_round(made)
    db.session.commit()
    with pytest.raises(DomainError):
        services.save_answers(rater, {**ANSWERS, "leadership": "embed"})
    db.session.rollback()
    assert services.answers_of(db.session.get(AssessmentRater, rater.id))["leadership"] == "align"


def test_an_answer_not_offered_is_refused_and_nothing_is_saved():
    made, _ = assessment_round(OrganisationFactory(), raters=1)
    rater = made.raters[0]
    with pytest.raises(DomainError) as refused:
        services.save_answers(rater, {**ANSWERS, "leadership": "superb", "know_customers": "5"})
    assert set(refused.value.errors) == {"leadership", "know_customers"}
    db.session.rollback()
    assert db.session.get(AssessmentRater, rater.id).response is None


def test_opening_a_round_checks_its_title_date_and_raters():
    organisation = OrganisationFactory()
    stranger = OrganisationFactory()
    with pytest.raises(DomainError) as refused:
        services.open_round(organisation, " ", today() - timedelta(days=1), [])
    assert set(refused.value.errors) == {"title", "closes_on"}
    made, _ = assessment_round(stranger, raters=1)
    with pytest.raises(DomainError) as refused:
        services.open_round(organisation, "Mine", today(), [made.raters[0].member_id])
    assert set(refused.value.errors) == {"member_ids"}


def test_a_rater_from_outside_the_coalition_needs_a_name_and_a_new_email():
    made, _ = assessment_round(OrganisationFactory(), raters=1)
    with pytest.raises(DomainError) as refused:
        services.add_rater(made, "", "not an address")
    assert set(refused.value.errors) == {"name", "email"}
    with pytest.raises(DomainError) as refused:
        services.add_rater(made, "Twice", made.raters[0].email.upper())
    assert set(refused.value.errors) == {"email"}
    outsider = services.add_rater(made, "Olga Outside", "olga@example.com", "Customer panel")
    assert outsider.member_id is None and links.rater_by_token(links.token_for(outsider), today())


# -- results --------------------------------------------------------------------------------------------

def test_results_count_answers_but_not_withdrawn_raters_and_keep_comments_nameless():
    made, _ = assessment_round(OrganisationFactory(), raters=5, functions=("Sales", "Service"))
    first, second, third, fourth, fifth = made.raters
    answer(first, leadership="explore", comment="Zeal, but no budget.")
    answer(second, leadership="mobilise")
    answer(third, leadership="align", comment="Alignment is patchy.")
    answer(fourth, leadership="dont_know")
    answer(fifth, leadership="embed", comment="Not seen by me.")
    services.withdraw(made, fifth)
    db.session.commit()
    results = round_results(made)
    leadership = results.dimensions[0]
    # explore(2), mobilise(3), align(5): median 3; spread 2–5; one don't know; the withdrawn embed is out.
    assert (results.invited, results.answered) == (4, 4)
    assert (leadership.summary.n, leadership.summary.dont_know, leadership.summary.median) == (3, 1, Decimal(3))
    assert leadership.summary.disagreement and leadership.point_label(leadership.summary.median) == "Mobilise"
    assert results.comments == ["Alignment is patchy.", "Zeal, but no budget."]
    # Pooled dimensions: 2,3,5 (leadership) + four raters' explore(2) + mobilise(3) x2 + operationalise(4)
    # -> 2,2,2,2,2,3,3,3,3,3,4,4,4,4,5: the eighth of fifteen is 3.
    assert results.suggested_stage_key == "mobilise"
    assert results.suggested_scores == {"know_customers": 3, "know_experience": 2, "know_roles": None}


def test_results_are_shown_only_from_three_answers():
    made, _ = assessment_round(OrganisationFactory(), raters=3)
    answer(made.raters[0])
    answer(made.raters[1])
    assert not round_results(made).shown
    answer(made.raters[2])
    assert round_results(made).shown


# -- confirming ------------------------------------------------------------------------------------------

def closed_round_with_answers(organisation, raters=3):
    made, _ = assessment_round(organisation, raters=raters, opened_on=today() - timedelta(days=20),
                               closes_on=today() - timedelta(days=6))
    for rater in made.raters:
        services.save_answers(rater, ANSWERS, on=today() - timedelta(days=7))
    db.session.commit()
    return made


def test_confirming_writes_the_stage_and_readiness_histories_dated_the_close():
    organisation = OrganisationFactory()
    made = closed_round_with_answers(organisation)
    results = round_results(made)
    services.confirm(made, "mobilise", dict(results.suggested_scores), "", results.suggested_stage,
                     results.suggested_scores, results.answered, confirmed_by="sam@example.com")
    db.session.commit()
    stage = current_stage(organisation)
    assert (stage.stage, stage.assessed_on) == ("mobilise", made.closes_on)
    assert "Spring check" in stage.rationale and "3 raters" in stage.rationale
    scores = readiness_scores(organisation)
    assert scores["know_customers"].score == 3 and scores["know_customers"].assessed_on == made.closes_on
    assert "Spring check" in scores["know_experience"].evidence
    assert scores["know_roles"] is None  # everyone said "don't know": nothing to confirm
    assert made.confirmed and made.overrule_reason == ""
    assert services.round_from_latest_stage(organisation, stage).id == made.id
    with pytest.raises(DomainError):
        services.confirm(made, "mobilise", {}, "", 3, {}, 3)


def test_overruling_needs_a_reason_which_is_kept():
    organisation = OrganisationFactory()
    made = closed_round_with_answers(organisation)
    results = round_results(made)
    args = (results.suggested_stage, results.suggested_scores, results.answered)
    with pytest.raises(DomainError) as refused:
        services.confirm(made, "explore", dict(results.suggested_scores), "", *args)
    assert set(refused.value.errors) == {"reason"}
    db.session.rollback()
    assert stage_history(organisation) == []
    services.confirm(made, "explore", dict(results.suggested_scores), "Raters were the enthusiasts.", *args)
    db.session.commit()
    assert made.overrule_reason == "Raters were the enthusiasts."
    assert "Raters were the enthusiasts." in current_stage(organisation).rationale


def test_an_open_round_cannot_be_confirmed():
    organisation = OrganisationFactory()
    made, _ = assessment_round(organisation, raters=3)
    for rater in made.raters:
        answer(rater)
    results = round_results(made)
    with pytest.raises(DomainError):
        services.confirm(made, "mobilise", dict(results.suggested_scores), "", results.suggested_stage,
                         results.suggested_scores, results.answered)
    db.session.rollback()
    assert stage_history(organisation) == []


def test_closing_early_makes_yesterday_the_last_day():
    made, _ = assessment_round(OrganisationFactory(), raters=1, opened_on=date.today() - timedelta(days=5))
    services.close_round(made)
    assert made.close_date == today() - timedelta(days=1) and not made.is_open(today())


def test_a_round_with_fewer_than_three_answers_cannot_be_confirmed():
    organisation = OrganisationFactory()
    made = closed_round_with_answers(organisation, raters=2)
    results = round_results(made)
    with pytest.raises(DomainError) as refused:
        services.confirm(made, "mobilise", dict(results.suggested_scores), "", results.suggested_stage,
                         results.suggested_scores, results.answered)
    assert "Fewer than three raters" in str(refused.value)
    db.session.rollback()
    assert stage_history(organisation) == []


@pytest.mark.parametrize("answers", [{}, {"leadership": "", "know_roles": ""}])
def test_nothing_chosen_is_not_an_answer(answers):
    made, _ = assessment_round(OrganisationFactory(), raters=1)
    rater = made.raters[0]
    with pytest.raises(DomainError) as refused:
        services.save_answers(rater, answers, comment="Saved by mistake")
    assert "Choose at least one answer" in str(refused.value)
    db.session.rollback()
    rater = db.session.get(AssessmentRater, rater.id)
    assert rater.response is None and rater.answered_at is None
