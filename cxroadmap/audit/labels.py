"""How the trail names what happened and to what, in the reader's language; the trail itself keeps the keys."""

from cxroadmap.i18n import _l

OBJECT_NAMES = {
    "Action": _l("Action"), "Benefit estimate": _l("Benefit estimate"), "Coalition member": _l("Coalition member"),
    "Decision": _l("Decision"), "Dependency": _l("Dependency"), "Initiative": _l("Initiative"),
    "Journey stage": _l("Journey stage"), "Touchpoint": _l("Touchpoint"), "Touchpoint score": _l("Touchpoint score"),
    "Membership": _l("Membership"), "Milestone": _l("Milestone"), "Organisation": _l("Organisation"),
    "Readiness assessment": _l("Readiness assessment"), "Realised benefit": _l("Realised benefit"),
    "Report": _l("Report"), "Role statement": _l("Role statement"), "Stage assessment": _l("Stage assessment"),
    "Status update": _l("Status update"), "Steering meeting": _l("Steering meeting"), "Team": _l("Team"),
    "Assessment round": _l("Assessment round"), "Assessment rater": _l("Assessment rater"),
    "User": _l("User"), "KPI": _l("KPI"), "KPI reading": _l("KPI reading"),
    "KPI of an initiative": _l("KPI of an initiative"),
}

ACTION_NAMES = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"), "archive": _l("archived"),
    "restore": _l("restored"), "role_change": _l("role changed"), "sign_in": _l("signed in"),
    "sign_in_failed": _l("sign-in failed"), "sign_out": _l("signed out"), "access_refused": _l("access refused"),
    "password_changed": _l("password changed"), "password_reset": _l("password reset"),
    "two_factor_enabled": _l("two-factor sign-in on"), "two_factor_disabled": _l("two-factor sign-in off"),
    "user_deactivated": _l("account deactivated"), "report_download": _l("report downloaded"),
    "assessment_answered": _l("assessment answered"), "assessment_link_refused": _l("assessment link refused"),
    "assessment_link_reissued": _l("assessment link re-issued"),
}


def object_name(kind: str | None) -> str:
    """What kind of object an event is about, as the reader says it; an unknown kind reads as kept."""
    return str(OBJECT_NAMES.get(kind, kind or ""))


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action.replace("_", " ")))
