"""`flask users …` through Click's runner."""

import stat
from pathlib import Path

from flask_babel import refresh

from cxroadmap.accounts.models import Membership, User
from cxroadmap.extensions import db
from tests.factories import OrganisationFactory, UserFactory


def test_create_a_user_reading_the_password_from_stdin(runner):
    result = runner.invoke(args=["users", "create", "--email", "Nina@Example.com", "--name", "Nina",
                                 "--password-stdin", "--site-admin"], input="a long and unusual passphrase\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.site_admin) == ("nina@example.com", True)
    assert "passphrase" not in (user.password_hash or "")


def test_a_weak_password_or_taken_email_is_one_line_and_exit_1(runner):
    weak = runner.invoke(args=["users", "create", "--email", "a@example.com", "--name", "A", "--password-stdin"],
                         input="password\n")
    assert weak.exit_code == 1 and "at least 12" in weak.output
    UserFactory(email="b@example.com")
    taken = runner.invoke(args=["users", "create", "--email", "b@example.com", "--name", "B", "--password-stdin"],
                          input="a long and unusual passphrase\n")
    assert taken.exit_code == 1 and "already an account" in taken.output
    assert len(taken.output.strip().splitlines()) == 1


def test_add_member_and_change_their_role(runner):
    OrganisationFactory(slug="acme")
    UserFactory(email="c@example.com")
    assert runner.invoke(args=["users", "add-member", "c@example.com", "acme", "viewer"]).exit_code == 0
    assert runner.invoke(args=["users", "add-member", "c@example.com", "acme", "admin"]).exit_code == 0
    assert db.session.scalar(db.select(Membership.role)) == "admin"
    missing = runner.invoke(args=["users", "add-member", "nobody@example.com", "acme", "viewer"])
    assert missing.exit_code == 1 and "No account" in missing.output
    assert runner.invoke(args=["users", "add-member", "c@example.com", "acme", "emperor"]).exit_code == 2


def test_reset_and_deactivate(runner):
    UserFactory(email="d@example.com")
    assert runner.invoke(args=["users", "reset-password", "d@example.com", "--password-stdin"],
                         input="another long passphrase 3\n").exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "d@example.com"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(db.select(User.active)) is False
    assert runner.invoke(args=["users", "deactivate", "e@example.com"]).exit_code == 1


def test_seed_demo_prints_the_demo_administrator_once(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Sign in as admin@vandijk-onderdelen.example with the password" in first.output
    password = first.output.split("with the password ")[1].split()[0]
    kept = (Path(app.instance_path) / "demo-admin.txt")
    assert kept.read_text().split() == ["admin@vandijk-onderdelen.example", password]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    browser = app.test_client()
    signed_in = browser.post("/login", data={"email": "admin@vandijk-onderdelen.example", "password": password})
    assert signed_in.status_code == 302
    assert browser.get("/o/van-dijk-onderdelen/members").status_code == 200
    again = runner.invoke(args=["seed-demo", "--replace"])
    assert "with the password" not in again.output


def test_a_name_that_ends_with_a_full_stop_ends_the_sentence_once(runner, monkeypatch):
    OrganisationFactory(slug="vandijk", name="Van Dijk Onderdelen B.V.")
    UserFactory(email="f@example.com")
    said = runner.invoke(args=["users", "add-member", "f@example.com", "vandijk", "viewer"])
    assert said.exit_code == 0, said.output
    assert said.output.strip() == "f@example.com is viewer of Van Dijk Onderdelen B.V."
    monkeypatch.setenv("CXROADMAP_LANGUAGE", "nl")
    refresh()  # the commands share the test's app context: forget the language the first one chose
    dutch = runner.invoke(args=["users", "add-member", "f@example.com", "vandijk", "admin"])
    assert dutch.output.strip().endswith("van Van Dijk Onderdelen B.V.") and ".." not in dutch.output
    monkeypatch.setenv("CXROADMAP_LANGUAGE", "en")
    refresh()
    UserFactory(email="g@example.com")
    refused = runner.invoke(args=["users", "token", "g@example.com", "--organisation", "vandijk"])
    assert refused.exit_code == 1 and refused.output.strip().endswith("no role in Van Dijk Onderdelen B.V.")


def test_every_message_keeps_one_full_stop_after_any_value(app):
    from cxroadmap.i18n import _

    assert _("Welcome to %(name)s.", name="Acme B.V.") == "Welcome to Acme B.V."
    assert _("Welcome to %(name)s.", name="Acme") == "Welcome to Acme."
    assert _("At most %(count)s characters.", count=3) == "At most 3 characters."
    assert _("Imported %(name)s as %(path)s", name="A.", path="/o/a/") == "Imported A. as /o/a/"
    template = app.jinja_env.from_string("{{ _('Welcome to %(name)s.', name=name) }}")
    with app.test_request_context():
        assert template.render(name="<b>Acme</b> B.V.") == "Welcome to &lt;b&gt;Acme&lt;/b&gt; B.V."
        assert template.render(name="Acme") == "Welcome to Acme."
