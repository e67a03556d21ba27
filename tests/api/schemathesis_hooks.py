"""A check of this project's own, run by schemathesis with all its others (SCHEMATHESIS_HOOKS names this module):
the OpenAPI document promises no less than the API checks.

A request generated as valid by the document may be refused by the domain (a due date before the start, an owner
who is not in the coalition: 422 "Nothing was saved."), but never as not fitting the schema: that would mean the
document leaves out a rule (a bound, a pattern) that the API's validation holds.
"""

import schemathesis

SCHEMA_REFUSAL = "The request does not fit the schema."


@schemathesis.check
def document_promises_what_the_api_checks(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        return None
    if isinstance(problem, dict) and problem.get("detail") == SCHEMA_REFUSAL:
        raise AssertionError(f"A request the document calls valid was refused as not fitting the schema: "
                             f"{problem.get('errors')}")
    return None
