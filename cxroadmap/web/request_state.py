"""What a request carries from the module that learns it to the modules that need it, declared once with its type.

Flask's `g` is an instance of `RequestState` (the app's `app_ctx_globals_class`), so every slot a request uses is
named here, with who sets it; `tests/test_request_state.py` reads every `g.<name>` in the package and fails on a
slot not declared. A slot is set only when its fact is known: `"organisation" in g` still asks whether this is an
organisation's page, and `g.get(name)` still reads a slot that may not be set. Extensions keep their own slots,
whose names start with an underscore (`_login_user`, `_flask_babel`).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask.ctx import _AppCtxGlobals

if TYPE_CHECKING:
    from cxroadmap.accounts.models import AccessToken, Membership, UserSession
    from cxroadmap.organisations.models import Organisation
    from cxroadmap.sso.models import IdentityProvider


class RequestState(_AppCtxGlobals):
    # The page's organisation (web.urls, or the API's token): every /o/<slug>/ page has it once the slug is read.
    organisation: "Organisation"
    unknown_organisation: bool  # the slug names no organisation: answered only after the access check (web.urls)

    # Who asks (accounts.sign_in, then accounts.authz).
    found_session: "tuple[str, UserSession, Membership | None]"  # read with the organisation, checked next
    found_membership: "tuple[int, Membership | None]"  # (organisation id, membership) signing in found
    membership: "Membership"  # the signed-in user's membership of the page's organisation, once allowed
    pending_second_factor: bool  # the session waits for its second factor
    audit_token: object  # set_actor's token for the request's actor, handed back to reset_actor when it ends

    # An API call (apikit): the token, who it acts as, and what is recorded of its use when the request ends.
    api_token: "AccessToken"
    api_role: str
    api_person_email: str
    api_use: dict[str, Any]
    api_actor: object  # set_actor's token, as audit_token
    api_status: int
    api_organisation_id: int | None
    scim_provider: "IdentityProvider"  # a SCIM call's provider, named by its bearer token (sso)

    # The page being made (web.forms, web.transactions, web.page_parts, exchange).
    refused_form: tuple[Any, str]  # a form the service refused, shown again with its errors
    keep_changes: bool  # a safe request (GET) whose writes are meant: committed all the same
    after_commit: "list[Callable[[], None]]"  # run once the request's writes are committed
    csrf_token: str  # the form token, signed once per request (Flask-WTF)
    made_in_background: bool  # the organisation is large enough that its downloads are jobs
    touchpoint_names: dict[int, dict[str, str]]  # {organisation id: {key: name}}, read once for the trail (journey)
