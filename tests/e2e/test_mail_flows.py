"""In a real browser: an administrator invites someone, who joins through the link in the outbox's mail."""

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from tests.e2e.conftest import PASSWORD


def test_an_administrator_invites_someone_who_joins_from_the_mail(browser, live_server):
    from cxroadmap.accounts.services import add_membership, create_user
    from cxroadmap.extensions import db
    from cxroadmap.organisations.services import organisation_by_slug

    app, slug = live_server["app"], live_server["slug"]
    with app.app_context():
        create_user("ines.admin@example.com", "Ines Admin", PASSWORD)
        add_membership(organisation_by_slug(slug), "ines.admin@example.com", "admin")
        db.session.commit()
    admin = browser.new_context(base_url=live_server["url"]).new_page()
    admin.goto("/login")
    admin.fill("#email", "ines.admin@example.com")
    admin.fill("#password", PASSWORD)
    admin.click("main button[type=submit]")
    admin.goto(f"/o/{slug}/members")
    admin.fill("#email", "newcomer@example.com")
    admin.select_option("#role", "contributor")
    admin.click("main form:has(#email) button[type=submit]")
    admin.wait_for_load_state()
    assert "Invitation sent to newcomer@example.com" in admin.inner_text("main")
    assert "newcomer@example.com" in admin.inner_text("main")  # pending

    # No MAIL_SERVER here: the message is a file in the instance's outbox.
    messages = [message_from_bytes(p.read_bytes(), policy=default)
                for p in (Path(app.instance_path) / "outbox").glob("*.eml")]
    [invitation] = [m for m in messages if m["To"] == "newcomer@example.com"]
    path = re.search(r"https?://[^/\s]+(/invitations/[\w-]+)", invitation.get_body(("plain",)).get_content()).group(1)

    newcomer = browser.new_context(base_url=live_server["url"]).new_page()
    newcomer.goto(path)
    assert "Join Van Dijk Onderdelen B.V." in newcomer.inner_text("main")
    newcomer.fill("#name", "Nora Newcomer")
    newcomer.fill("#password", "a fresh and long passphrase 7")
    newcomer.fill("#confirm", "a fresh and long passphrase 7")
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_load_state()
    assert newcomer.url.endswith(f"/o/{slug}/")
    assert "Welcome to Van Dijk Onderdelen B.V." in newcomer.content()
    newcomer.goto(path)
    assert "used already" in newcomer.inner_text("main")
    admin.context.close()
    newcomer.context.close()
