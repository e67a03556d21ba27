"""Johnson's relative weights against a published example and cases worked by hand."""

from decimal import Decimal as D

from cxroadmap.statistics import drivers, labels

# mtcars (Henderson & Velleman 1981, from Motor Trend 1974; R's datasets package): mpg, cyl, disp, hp, gear.
MTCARS = """21 6 160 110 4|21 6 160 110 4|22.8 4 108 93 4|21.4 6 258 110 3|18.7 8 360 175 3|18.1 6 225 105 3|
14.3 8 360 245 3|24.4 4 146.7 62 4|22.8 4 140.8 95 4|19.2 6 167.6 123 4|17.8 6 167.6 123 4|16.4 8 275.8 180 3|
17.3 8 275.8 180 3|15.2 8 275.8 180 3|10.4 8 472 205 3|10.4 8 460 215 3|14.7 8 440 230 3|32.4 4 78.7 66 4|
30.4 4 75.7 52 4|33.9 4 71.1 65 4|21.5 4 120.1 97 3|15.5 8 318 150 3|15.2 8 304 150 3|13.3 8 350 245 3|
19.2 8 400 175 3|27.3 4 79 66 4|26 4 120.3 91 5|30.4 4 95.1 113 5|15.8 8 351 264 5|19.7 6 145 175 5|
15 8 301 335 5|21.4 4 121 109 4"""


def mtcars():
    rows = [[float(value) for value in row.split()] for row in MTCARS.replace("\n", "").split("|")]
    assert len(rows) == 32 and round(sum(row[0] for row in rows), 1) == 642.9  # mean mpg 20.090625, as published
    return [row[0] for row in rows], {key: [row[i] for row in rows] for i, key in
                                      enumerate(("cyl", "disp", "hp", "gear"), start=1)}


def test_published_example_mtcars():
    # The R package rwa (Martin Chan; README, "Basic example", after Tonidandel & LeBreton 2015):
    # rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear")) gives R² 0.7791896, n 32,
    # raw weights cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886;
    # rescaled 29.32274, 28.50999, 29.79691, 12.37037 (%).
    # 32 cars for 4 predictors is fewer than ten each, so the example asks for eight.
    scores, ratings = mtcars()
    analysis = drivers.relative_weights(scores, ratings, per_touchpoint=8)
    assert analysis.shown and analysis.n == 32
    assert analysis.r_squared == D("0.7792")
    assert [(d.key, d.raw_weight, d.share) for d in analysis.drivers] == [
        ("hp", D("0.2322"), D("29.80")),
        ("cyl", D("0.2285"), D("29.32")),
        ("disp", D("0.2221"), D("28.51")),
        ("gear", D("0.0964"), D("12.37")),
    ]


def test_the_same_example_is_refused_at_ten_answers_per_touchpoint():
    scores, ratings = mtcars()
    analysis = drivers.relative_weights(scores, ratings)
    assert not analysis.shown and analysis.refusal == "too_few_answers"
    assert (analysis.n, analysis.needed, analysis.r_squared, analysis.drivers) == (32, 40, None, ())
    assert labels.refusal_text(analysis) == ("Not shown: 32 answers rated every touchpoint, and the analysis "
                                             "needs 40 (10 for each touchpoint rated).")


def test_uncorrelated_touchpoints_each_explain_their_squared_correlation():
    # Rxx = I: L = I, β = rxy, raw weights r²: .09 and .16, R² .25, shares 36 % and 64 %.
    analysis = drivers.relative_weights_of_correlations(["invoice", "delivery"], [[1, 0], [0, 1]], [0.3, 0.4], 100)
    assert analysis.r_squared == D("0.2500")
    assert [(d.key, d.raw_weight, d.share) for d in analysis.drivers] == [
        ("delivery", D("0.1600"), D("64.00")), ("invoice", D("0.0900"), D("36.00"))]


def test_two_correlated_touchpoints_worked_by_hand():
    # r12 = .6, rxy = (.5, .3). Eigenvalues 1.6 and .4 with vectors (1, 1)/√2 and (1, −1)/√2, so
    # L = [[a, b], [b, a]], a = (√1.6 + √.4)/2 = .948683, b = (√1.6 − √.4)/2 = .316228 (a² = .9, b² = .1).
    # β = L⁻¹·rxy = (1/.8)·(.5a − .3b, .3a − .5b) = (.474342, .158114); β² = (.225, .025).
    # Raw: .9 × .225 + .1 × .025 = .205 and .1 × .225 + .9 × .025 = .045; R² = .25, which is also
    # rxyᵀ Rxx⁻¹ rxy = (.25 + .09 − 2 × .6 × .15)/.64. Shares 82 % and 18 %.
    analysis = drivers.relative_weights_of_correlations(["a", "b"], [[1, 0.6], [0.6, 1]], [0.5, 0.3], 50)
    assert analysis.r_squared == D("0.2500")
    assert [(d.raw_weight, d.share, d.correlation) for d in analysis.drivers] == [
        (D("0.2050"), D("82.00"), D("0.5000")), (D("0.0450"), D("18.00"), D("0.3000"))]


# x and the score correlate at exactly .8: deviations (−2, −1, 0, 1, 2) and (−1, −2, 1, 0, 2) give 8/√(10·10).
X, Y = [1, 2, 3, 4, 5] * 4, [2, 1, 4, 3, 5] * 4


def test_touchpoints_rated_in_lockstep_share_their_weight():
    # Two touchpoints rated identically make Rxx singular; together they explain r² = .64, half each.
    analysis = drivers.relative_weights(Y, {"phone": X, "mail": list(X)})
    assert analysis.shown and analysis.n == 20
    assert analysis.r_squared == D("0.6400")
    assert [(d.raw_weight, d.share) for d in analysis.drivers] == [(D("0.3200"), D("50.00"))] * 2


def test_a_touchpoint_without_spread_explains_nothing_and_the_rest_is_analysed():
    analysis = drivers.relative_weights(Y, {"webshop": [4] * 20, "delivery": X})
    assert analysis.shown and analysis.r_squared == D("0.6400")
    assert [(d.key, d.raw_weight, d.share, d.correlation) for d in analysis.drivers] == [
        ("delivery", D("0.6400"), D("100.00"), D("0.8000")), ("webshop", D("0.0000"), D("0.00"), None)]


def test_only_answers_that_rated_every_touchpoint_count():
    # 20 complete answers and 5 that skipped a touchpoint: n is 20, and the weights are those of the 20.
    scores = Y + [1, 2, 3, 4, 5]
    analysis = drivers.relative_weights(scores, {"a": X + [None] * 5, "b": X + [5, 4, 3, 2, 1]})
    assert analysis.n == 20 and analysis.r_squared == D("0.6400")
    short = drivers.relative_weights(Y[:19] + [None], {"a": X, "b": X})
    assert (short.n, short.refusal) == (19, "too_few_answers")


def test_refusals_say_why():
    flat = drivers.relative_weights([7] * 20, {"a": X})
    assert flat.refusal == "no_spread_in_score"
    assert labels.refusal_text(flat) == "Not shown: every answer gave the same score, so there is nothing to explain."
    same = drivers.relative_weights(Y, {"a": [3] * 20, "b": [1] * 20})
    assert same.refusal == "no_spread_in_touchpoints"
    none = drivers.relative_weights(Y, {})
    assert none.refusal == "no_touchpoints" and labels.refusal_text(none)
    assert labels.refusal_text(drivers.relative_weights(Y, {"a": X})) == ""
