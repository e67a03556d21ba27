"""Reading survey scores honestly: intervals, changes between periods and driver analysis, as pure functions.

`intervals` gives a reading's 95 % confidence interval, `changes` says whether two periods differ at 95 %,
`drivers` splits R² over the touchpoints rated (Johnson's relative weights). Inputs are counts or answers;
results are Decimals rounded once, half-up, when handed out (floats only inside: square roots, t quantiles,
eigen-decomposition). The enumerations of verdicts and refusals, with their labels, live in `labels`.
"""
