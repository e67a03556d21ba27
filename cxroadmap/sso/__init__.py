"""Single sign-on: identity providers (OpenID Connect), their groups' roles in organisations, the identities linked
to accounts, organisations that require it, and SCIM provisioning."""


def load(area) -> None:
    from cxroadmap.accounts.ways import SignInWay
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.sso import scim_views, services, views
    from cxroadmap.sso.cli import sso
    from cxroadmap.web import MenuEntry, PagePanel

    area.blueprints(views.bp, views.organisation_sso, scim_views.bp)
    area.add(PagePanel.of_template(("site_administration",), "sso/_site_administration.html", place=20))
    area.commands(sso)
    area.add(SignInWay(offers=views.offers, route=views.route, password_refusal=services.password_refusal,
                       sign_out=views.sign_out))
    area.add(AuditNames(
        objects={"Identity provider": _l("Identity provider"), "Group mapping": _l("Group mapping")},
        actions={"sso_sign_in": _l("signed in with single sign-on"), "sso_refused": _l("single sign-on refused"),
                 "sso_linked": _l("account linked to an identity provider"),
                 "sso_account_created": _l("account made at first single sign-on"),
                 "sso_role_from_groups": _l("role set by the identity provider's groups"),
                 "sso_role_kept": _l("role kept: the last administrator"),
                 "sso_provider_added": _l("identity provider added"),
                 "sso_provider_removed": _l("identity provider removed"),
                 "sso_required": _l("single sign-on required"),
                 "sso_no_longer_required": _l("single sign-on no longer required"),
                 "scim_user_provisioned": _l("provisioned by SCIM"),
                 "scim_user_reactivated": _l("reactivated by SCIM"),
                 "scim_user_deleted": _l("deleted by SCIM"),
                 "scim_token_created": _l("SCIM token made"), "scim_token_revoked": _l("SCIM token revoked")}))
    area.add(MenuEntry("admin", "sso_organisation.index", _l("Single sign-on"), ("sso_organisation.",), role="admin",
                       place=45))
