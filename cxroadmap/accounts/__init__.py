"""People: users, sessions, memberships and roles, sign-in, invitations and the organisation pages."""


def load(area) -> None:
    from cxroadmap.accounts import email_views, member_views, organisation_views, views
    from cxroadmap.accounts.cli import users
    from cxroadmap.accounts.models import User
    from cxroadmap.accounts.page_cache import init_app as init_page_cache
    from cxroadmap.accounts.sign_in import init_app as init_sign_in
    from cxroadmap.audit.labels import AuditNames, Reference
    from cxroadmap.i18n import _l
    from cxroadmap.web import MenuEntry

    area.blueprints(views.bp, organisation_views.bp, organisation_views.settings, member_views.members,
                    email_views.password, email_views.invitations)
    area.commands(users)
    # Every request finds its session and is checked before any view; kept pages are answered before the app.
    init_sign_in(area.app)
    init_page_cache(area.app)
    area.add(AuditNames(
        objects={"Invitation": _l("Invitation"), "Membership": _l("Membership"), "User": _l("User")},
        actions={
            "role_change": _l("role changed"), "sign_in": _l("signed in"), "sign_in_failed": _l("sign-in failed"),
            "sign_out": _l("signed out"), "password_changed": _l("password changed"),
            "password_reset": _l("password reset"), "two_factor_enabled": _l("two-factor sign-in on"),
            "two_factor_disabled": _l("two-factor sign-in off"), "user_deactivated": _l("account deactivated"),
            "password_reset_requested": _l("password reset asked for"),
            "invitation_accepted": _l("invitation accepted")},
        references={"user_id": Reference(User, lambda user: user.name)}))
    area.add(MenuEntry("admin", "members.index", _l("Members"), ("members.",), role="admin", place=10),
             MenuEntry("admin", "settings.edit", _l("Settings"), ("settings.",), role="admin", place=40))
