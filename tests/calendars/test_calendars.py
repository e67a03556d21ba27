"""The calendar subscription read as a calendar app reads it, and meeting invitations received by a real SMTP
server."""

import re
from datetime import date, timedelta

import icalendar
import pytest

from cxroadmap.calendars import subscriptions
from cxroadmap.extensions import db
from cxroadmap.timeutil import today
from tests.factories import (
    ActionFactory,
    InitiativeFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
)


def feed_path(browser) -> str:
    page = browser.get("/account/calendar").get_data(as_text=True)
    return re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', page).group(1)


def events_of(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def world(client_as):
    home = OrganisationFactory(slug="home", name="Home", locale="nl", time_zone="Europe/Amsterdam")
    elsewhere = OrganisationFactory(slug="elsewhere", name="Elsewhere")
    browser = client_as("viewer", home, email="vera@example.com", name="Vera")
    initiative = InitiativeFactory(organisation=home, ref="INIT-1", title="Self-service <portal> & more")
    milestone = MilestoneFactory(initiative_id=initiative.id, title="Pilot; live, at last", due_on=date(2026, 12, 20))
    vera = MemberFactory(organisation=home, email="Vera@Example.com", name="Vera")
    other = MemberFactory(organisation=home, email="otto@example.com")
    meeting = MeetingFactory(organisation_id=home.id, held_on=date(2027, 1, 12), title="January steering",
                             other_items="Budget\nHiring")
    mine = ActionFactory(organisation_id=home.id, owner_id=vera.id, title="Call the supplier", due_on=date(2027, 1, 5))
    theirs = ActionFactory(organisation_id=home.id, owner_id=other.id, title="Not Vera's")
    foreign = InitiativeFactory(organisation=elsewhere, ref="INIT-9")
    MilestoneFactory(initiative_id=foreign.id, title="Someone else's milestone", due_on=date(2027, 2, 1))
    MeetingFactory(organisation_id=elsewhere.id, held_on=date(2027, 1, 20), title="Their steering")
    db.session.commit()
    browser.post("/account/calendar")
    return {"browser": browser, "milestone": milestone, "meeting": meeting, "mine": mine, "theirs": theirs,
            "home": home, "elsewhere": elsewhere}


def test_the_feed_holds_the_persons_milestones_meetings_and_own_actions_in_their_language(app, anonymous, world):
    response = anonymous.get(feed_path(world["browser"]))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    events = events_of(response)
    milestone = next(e for uid, e in events.items() if uid.startswith(f"milestone-{world['milestone'].id}@"))
    assert str(milestone["SUMMARY"]) == "Mijlpaal: Pilot; live, at last"  # the organisation's language (Dutch)
    assert milestone.decoded("DTSTART") == date(2026, 12, 20)
    assert "INIT-1 Self-service <portal> & more" in str(milestone["DESCRIPTION"])
    assert str(milestone["URL"]).endswith("/o/home/initiatives/INIT-1")
    meeting = next(e for uid, e in events.items() if uid.startswith(f"meeting-{world['meeting'].id}@"))
    assert meeting.decoded("DTSTART") == date(2027, 1, 12)
    assert int(meeting["SEQUENCE"]) == 0
    assert f"/o/home/meetings/{world['meeting'].id}" in str(meeting["DESCRIPTION"])
    assert "- Budget" in str(meeting["DESCRIPTION"])
    actions = [str(e["SUMMARY"]) for uid, e in events.items() if uid.startswith("action-")]
    assert actions == ["Actie: Call the supplier"]  # only the actions Vera owns
    assert all(e.get("DTSTAMP") is not None for e in events.values())
    text = response.get_data(as_text=True)
    assert "Someone else" not in text and "Their steering" not in text and "Not Vera" not in text
    assert all(re.fullmatch(r"(milestone|meeting|action)-\d+@[\w.-]+", uid) for uid in events)
    # The same items keep their UIDs: a calendar app updates them instead of adding copies.
    assert set(events_of(anonymous.get(feed_path(world["browser"])))) == set(events)


def test_an_unchanged_feed_answers_not_modified(anonymous, world):
    path = feed_path(world["browser"])
    first = anonymous.get(path)
    again = anonymous.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_another_persons_revoked_or_renewed_address_is_a_404(app, anonymous, client_as, world):
    browser, path = world["browser"], feed_path(world["browser"])
    assert anonymous.get(path.replace(path[10:20], "x" * 10)).status_code == 404  # a guessed secret
    browser.post("/account/calendar")  # a new address
    assert anonymous.get(path).status_code == 404
    renewed = feed_path(browser)
    assert renewed != path and anonymous.get(renewed).status_code == 200
    browser.post("/account/calendar/revoke")
    assert anonymous.get(renewed).status_code == 404
    assert "Make my calendar address" in browser.get("/account/calendar").get_data(as_text=True)


def test_leaving_an_organisation_takes_its_items_out_at_once(anonymous, world):
    path = feed_path(world["browser"])
    membership = world["browser"].user.memberships[0]
    db.session.delete(membership)
    db.session.commit()
    assert events_of(anonymous.get(path)) == {}


def test_an_account_turned_off_opens_no_calendar(anonymous, world):
    path = feed_path(world["browser"])
    world["browser"].user.active = False
    db.session.commit()
    assert anonymous.get(path).status_code == 404


def test_only_the_hash_of_the_secret_is_stored(world):
    feed = subscriptions.feed_of(world["browser"].user)
    secret = subscriptions.secret_of(feed)
    assert secret not in (feed.secret_hash, feed.nonce)
    assert subscriptions.owner_of(secret).id == world["browser"].user.id
    assert subscriptions.owner_of(secret[:-1]) is None


# -- invitations --------------------------------------------------------------------------------------

def calendar_part(message) -> icalendar.Calendar:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True)), part


def test_attendees_with_an_account_are_invited_and_told_when_the_meeting_moves_or_they_leave(client, smtp):
    organisation = OrganisationFactory(slug="gov", name="Gov")
    with_account = UserFactory(email="sam@example.com", name="Sam", locale="nl")
    MembershipFactory(user=with_account, organisation_id=organisation.id, role="viewer")
    sam = MemberFactory(organisation=organisation, email="sam@example.com", name="Sam")
    nobody = MemberFactory(organisation=organisation, email="no-account@example.com", name="No Account")
    response = client.post("/o/gov/meetings", data={"held_on": "2027-03-02", "title": "March <steering>",
                                                    "attendees": [sam.id, nobody.id]})
    assert response.status_code == 302
    [invitation] = smtp.to("sam@example.com")
    assert smtp.to("no-account@example.com") == []
    calendar, part = calendar_part(invitation)
    assert part.get_param("method") == "REQUEST"
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    uid = str(event["UID"])
    assert event.decoded("DTSTART") == date(2027, 3, 2)
    assert str(event["SUMMARY"]) == "March <steering> · Gov"
    assert int(event["SEQUENCE"]) == 0
    assert "mailto:sam@example.com" in [str(a) for a in event.get("ATTENDEE")]
    assert invitation["Subject"].startswith("Uitnodiging: March <steering>")  # Sam reads Dutch

    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    smtp.clear()
    client.post(f"/o/gov/meetings/{meeting_id}/edit", data={"held_on": "2027-03-09", "title": "March <steering>",
                                                             "attendees": [sam.id, nobody.id], "version": 1})
    [moved] = smtp.to("sam@example.com")
    [event] = calendar_part(moved)[0].walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == date(2027, 3, 9)

    smtp.clear()
    client.post(f"/o/gov/meetings/{meeting_id}/edit", data={"held_on": "2027-03-09", "title": "March <steering>",
                                                             "attendees": [nobody.id], "version": 2})
    [cancelled] = smtp.to("sam@example.com")
    calendar, part = calendar_part(cancelled)
    assert part.get_param("method") == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) >= 2 and str(event["STATUS"]) == "CANCELLED"


def test_a_deleted_meeting_is_cancelled_for_its_attendees(client, smtp):
    organisation = OrganisationFactory(slug="gov", name="Gov")
    MembershipFactory(user=UserFactory(email="sam@example.com", name="Sam"), organisation_id=organisation.id)
    sam = MemberFactory(organisation=organisation, email="sam@example.com", name="Sam")
    meeting = MeetingFactory(organisation_id=organisation.id, attendees=[sam], held_on=today() + timedelta(days=7))
    [invited] = smtp.to("sam@example.com")  # a meeting made anywhere invites its attendees
    assert str(calendar_part(invited)[0]["METHOD"]) == "REQUEST"
    smtp.clear()
    db.session.delete(meeting)
    db.session.commit()
    [cancelled] = smtp.to("sam@example.com")
    assert str(calendar_part(cancelled)[0]["METHOD"]) == "CANCEL"


def test_nobody_is_invited_to_a_meeting_in_the_past(smtp):
    organisation = OrganisationFactory(slug="gov", name="Gov")
    MembershipFactory(user=UserFactory(email="sam@example.com", name="Sam"), organisation_id=organisation.id)
    sam = MemberFactory(organisation=organisation, email="sam@example.com", name="Sam")
    MeetingFactory(organisation_id=organisation.id, attendees=[sam], held_on=today() - timedelta(days=1))
    MeetingFactory(organisation_id=organisation.id, attendees=[sam], held_on=today() + timedelta(days=1))
    assert len(smtp.to("sam@example.com")) == 1
