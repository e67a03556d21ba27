"""Digests, steering digests and meeting packs sent by `flask notify` to a real SMTP server: who gets what, once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cxroadmap.accounts.models import Membership
from cxroadmap.extensions import db
from cxroadmap.governance.models import SteeringMeeting
from cxroadmap.notifications.models import SentNotice
from cxroadmap.notifications.notify import save_settings
from cxroadmap.timeutil import today
from tests.factories import (
    ActionFactory,
    InitiativeFactory,
    KpiFactory,
    KpiReadingFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import page_text
from tests.mailtesting import body


def person_in(organisation, email, role="contributor", **user_fields):
    user = user_fields.pop("user", None) or UserFactory(email=email, **user_fields)
    MembershipFactory(user=user, organisation_id=organisation.id, role=role)
    member = MemberFactory(organisation=organisation, email=email, name=user.name)
    return user, member


def world(slug, name, email="carla@example.com", user=None, locale="en"):
    """An organisation where Carla owns an overdue action, a stale initiative and a milestone due soon."""
    organisation = OrganisationFactory(slug=slug, name=name, locale=locale)
    user, member = person_in(organisation, email, user=user, name="Carla Contributor")
    on = today()
    stale = InitiativeFactory(organisation=organisation, title=f"{name} webshop promise", owner_id=member.id)
    ActionFactory(organisation_id=organisation.id, title=f"{name}: call the carrier", owner_id=member.id,
                  due_on=on - timedelta(days=3))
    MilestoneFactory(initiative_id=stale.id, title=f"{name} pilot live", due_on=on + timedelta(days=5))
    MilestoneFactory(initiative_id=stale.id, title=f"{name} far away", due_on=on + timedelta(days=40))
    return organisation, user, member


def notify(runner, *args):
    result = runner.invoke(args=["notify", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_each_person_gets_one_digest_per_organisation_with_nothing_of_the_other(runner, smtp):
    acme, carla, _ = world("acme", "Acme")
    world("bolt", "Bolt", user=carla)
    notify(runner)
    messages = smtp.to("carla@example.com")
    assert sorted(m["Subject"] for m in messages) == ["Acme: your digest", "Bolt: your digest"]
    acme_mail = next(m for m in messages if m["Subject"].startswith("Acme"))
    for part in (body(acme_mail, "plain"), body(acme_mail, "html")):
        assert "Acme: call the carrier" in part
        assert "Acme webshop promise" in part and "never updated" in part
        assert "Acme pilot live" in part
        assert "Acme far away" not in part  # not in the next 14 days
        assert "Bolt" not in part  # nothing of the other organisation
    assert "https://cx.example.com/o/acme/initiatives/" in body(acme_mail, "html")
    assert acme_mail["List-Unsubscribe"].startswith("<https://cx.example.com/unsubscribe/")


def test_nothing_due_means_no_mail(runner, smtp):
    organisation = OrganisationFactory(slug="calm")
    person_in(organisation, "idle@example.com", role="viewer")
    InitiativeFactory(organisation=organisation, title="Someone else's")
    output = notify(runner)
    assert smtp.messages == [] and "Sent 0 mails" in output


def test_running_twice_sends_nothing_twice_and_a_dry_run_sends_nothing(runner, smtp):
    world("acme", "Acme")
    dry = notify(runner, "--dry-run")
    assert "would send weekly digest to carla@example.com (Acme)" in dry
    assert smtp.messages == [] and db.session.scalar(db.select(db.func.count()).select_from(SentNotice)) == 0
    notify(runner)
    assert len(smtp.messages) == 1
    output = notify(runner)
    assert len(smtp.messages) == 1 and "Sent 0 mails" in output


def test_off_means_no_digest_and_daily_comes_each_day(runner, smtp):
    acme, carla, _ = world("acme", "Acme")
    save_settings(acme, 3, digest_hour=0)  # a daily digest is today's from midnight on, whenever the test runs
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == carla.id))
    membership.digest = "off"
    db.session.commit()
    notify(runner)
    assert smtp.messages == []
    membership.digest = "daily"
    db.session.commit()
    notify(runner)
    assert len(smtp.messages) == 1
    key = db.session.scalar(db.select(SentNotice.key).where(SentNotice.kind == "digest"))
    assert key.endswith(today().isoformat())


def test_the_account_page_sets_how_often(app, client_as, smtp):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    browser = client_as("steering", organisation)
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == browser.user.id))
    page = page_text(browser.get("/account"))
    assert "Your digest" in page and "steering committee's weekly digest" in page
    response = browser.post(f"/account/digests/{membership.id}", data={"digest": "daily", "steering_digest": "off"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (membership.digest, membership.steering_digest) == ("daily", False)
    other = OrganisationFactory(slug="other")
    foreign = MembershipFactory(organisation_id=other.id, role="viewer")
    assert browser.post(f"/account/digests/{foreign.id}", data={"digest": "off", "steering_digest": "on"}
                        ).status_code == 404
    assert browser.post(f"/account/digests/{membership.id}", data={"digest": "hourly", "steering_digest": "on"}
                        ).status_code == 302
    db.session.expire_all()
    assert membership.digest == "daily"


def test_the_unsubscribe_link_works_without_signing_in(runner, smtp, anonymous):
    acme, carla, _ = world("acme", "Acme")
    notify(runner)
    link = smtp.messages[0]["List-Unsubscribe"].strip("<>").replace("https://cx.example.com", "")
    page = anonymous.get(link)
    assert page.status_code == 200 and "Stop your digest of Acme" in page_text(page)
    assert db.session.scalar(db.select(Membership.digest).where(Membership.user_id == carla.id)) == "weekly"
    done = anonymous.post(link)  # as a mail program's one-click unsubscribe does, without a form
    assert done.status_code == 200
    assert db.session.scalar(db.select(Membership.digest).where(Membership.user_id == carla.id)) == "off"
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert anonymous.post(tampered).status_code == 404


@pytest.mark.parametrize("role, gets_steering", [("viewer", False), ("contributor", False), ("steering", True),
                                                 ("admin", True)])
def test_steering_members_get_the_weeks_digest(runner, smtp, role, gets_steering):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    user, _ = person_in(organisation, "who@example.com", role=role)
    InitiativeFactory(organisation=organisation, title="Red one", health="red", ref="INIT-7")
    other = OrganisationFactory(slug="bolt", name="Bolt")
    InitiativeFactory(organisation=other, title="Bolt red", health="red")
    notify(runner)
    steering = [m for m in smtp.to("who@example.com") if "steering committee" in m["Subject"]]
    assert bool(steering) == gets_steering
    if gets_steering:
        text = body(steering[0], "plain")
        assert "INIT-7 Red one" in text and "Bolt" not in text
        assert "https://cx.example.com/o/acme/dashboard" in text


def test_attendees_get_the_agenda_and_pack_days_before_the_meeting(runner, smtp):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    user, member = person_in(organisation, "att@example.com", role="viewer")
    outsider = MemberFactory(organisation=organisation, email="no-account@example.com")
    initiative = InitiativeFactory(organisation=organisation, title="Faster spares", ref="INIT-3")
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=today() + timedelta(days=2),
                             title="Steering committee")
    soon_enough = db.session.get(SteeringMeeting, meeting.id)
    soon_enough.attendees = [member, outsider]
    soon_enough.agenda = [initiative]
    MeetingFactory(organisation_id=organisation.id, held_on=today() + timedelta(days=10))
    db.session.commit()
    notify(runner)
    packs = [m for m in smtp.messages if "steering pack" in m["Subject"]]
    assert [m["To"] for m in packs] == ["att@example.com"]  # not an address without an account
    [attachment] = list(packs[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content()[:4] == b"%PDF"
    assert "INIT-3 Faster spares" in body(packs[0], "plain")
    notify(runner)
    assert len([m for m in smtp.messages if "steering pack" in m["Subject"]]) == 1


def test_the_pack_setting_is_the_organisations(client, runner, smtp):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    user, member = person_in(organisation, "att@example.com", role="viewer")
    meeting = MeetingFactory(organisation_id=organisation.id, held_on=today() + timedelta(days=2))
    db.session.get(SteeringMeeting, meeting.id).attendees = [member]
    db.session.commit()
    assert client.post("/o/acme/notifications", data={"meeting_pack_days": "1"}).status_code == 302
    refused = client.post("/o/acme/notifications", data={"meeting_pack_days": "90"})
    assert refused.status_code == 422
    notify(runner)
    assert not [m for m in smtp.messages if "steering pack" in m["Subject"]]


def test_dutch_readers_get_dutch_digests(runner, smtp):
    world("dijk", "Dijk", locale="nl")
    notify(runner)
    [message] = smtp.messages
    assert message["Subject"] == "Dijk: uw overzicht"
    text = body(message, "plain")
    assert "Uw achterstallige acties" in text and "Afmelden" in text
    assert date.today().year > 2000


def test_the_digest_lists_own_kpis_off_track_or_due_a_reading_and_none_of_another_organisation(runner, smtp):
    acme = OrganisationFactory(slug="acme", name="Acme")
    carla, member = person_in(acme, "carla@example.com", name="Carla Contributor")
    _, someone = person_in(acme, "sam@example.com")
    # NPS from 20 to 40 over 2026: a recent 22 is off track, a recent 39.5 on track.
    off = KpiFactory(organisation=acme, code="NPS-WEB", name="Webshop NPS", owner_id=member.id)
    KpiReadingFactory(kpi=off, taken_on=today() - timedelta(days=3), value=Decimal("22"))
    fine = KpiFactory(organisation=acme, code="NPS-SHOP", name="Shop NPS", owner_id=member.id)
    KpiReadingFactory(kpi=fine, taken_on=today() - timedelta(days=3), value=Decimal("39.5"))
    KpiFactory(organisation=acme, code="CES", name="Effort score", measure="ces", baseline_value=Decimal("3"),
               target_value=Decimal("5"), owner_id=member.id)  # never read: due a reading
    theirs = KpiFactory(organisation=acme, code="NPS-APP", name="App NPS", owner_id=someone.id)
    KpiReadingFactory(kpi=theirs, taken_on=today() - timedelta(days=3), value=Decimal("21"))
    bolt = OrganisationFactory(slug="bolt", name="Bolt")
    _, bolt_member = person_in(bolt, "carla@example.com", user=carla)
    bolt_kpi = KpiFactory(organisation=bolt, code="NPS-BOLT", name="Bolt NPS", owner_id=bolt_member.id)
    KpiReadingFactory(kpi=bolt_kpi, taken_on=today() - timedelta(days=3), value=Decimal("21"))
    notify(runner)
    acme_mail = next(m for m in smtp.to("carla@example.com") if m["Subject"].startswith("Acme"))
    for part in (body(acme_mail, "plain"), body(acme_mail, "html")):
        assert "Your KPIs that are off track or due a reading" in part
        assert "NPS-WEB Webshop NPS" in part and "Off track" in part
        assert "CES Effort score" in part and "no reading yet" in part and "none in 35 days" in part
        assert "Shop NPS" not in part  # on track, read recently
        assert "App NPS" not in part  # someone else's
        assert "Bolt" not in part  # another organisation's
    assert "https://cx.example.com/o/acme/kpis/NPS-WEB" in body(acme_mail, "html")


def test_a_kpi_read_long_ago_is_due_and_the_dutch_digest_says_so(runner, smtp):
    dijk = OrganisationFactory(slug="dijk", name="Dijk", locale="nl")
    _, member = person_in(dijk, "carla@example.com", name="Carla Contributor")
    kpi = KpiFactory(organisation=dijk, code="NPS", name="NPS webwinkel", owner_id=member.id,
                     baseline_on=today() - timedelta(days=100), target_on=today() + timedelta(days=300))
    KpiReadingFactory(kpi=kpi, taken_on=today() - timedelta(days=36), value=Decimal("40"))  # on track, but old
    notify(runner)
    [message] = smtp.messages
    for part in (body(message, "plain"), body(message, "html")):
        assert "Uw KPI's die uit koers zijn of een meting nodig hebben" in part or \
            "Uw KPI&#39;s die uit koers zijn of een meting nodig hebben" in part
        assert "NPS webwinkel" in part and "meting nodig (geen in 35 dagen)" in part
