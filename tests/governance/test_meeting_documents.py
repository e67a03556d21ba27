"""A steering meeting's two documents read back as a reader would: the pack before it, the minutes after it."""

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.governance import services as meetings
from cxroadmap.initiatives.models import StatusUpdate
from cxroadmap.timeutil import today
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    InitiativeFactory,
    MeetingFactory,
    MemberFactory,
    OrganisationFactory,
)
from tests.helpers import page_text

SEPT, OCT = date(2026, 9, 1), date(2026, 10, 1)


def raw_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def text_of(content: bytes) -> str:
    return re.sub(r"\s+", " ", raw_text(content))


def between(text: str, start: str, end: str) -> str:
    """The part of text from the heading start to the heading end (the whole rest when end is not there)."""
    part = text[text.index(start):]
    return part[:part.index(end)] if end in part else part


def two_meetings(slug: str = "steer"):
    """September raised three actions (one done before October, one done at October, one still open);
    October decided one thing and assigned one action."""
    organisation = OrganisationFactory(slug=slug, name="Steer B.V.")
    lead = MemberFactory(organisation=organisation, name="Jeroen Bakker", email="jeroen@steer.example")
    sponsor = MemberFactory(organisation=organisation, name="Marieke de Vries")
    carrier = InitiativeFactory(organisation=organisation, ref="INIT-1", title="Next-day delivery", health="red")
    portal = InitiativeFactory(organisation=organisation, ref="INIT-2", title="Customer portal")
    september = MeetingFactory(organisation_id=organisation.id, held_on=SEPT, title="September steering")
    october = MeetingFactory(organisation_id=organisation.id, held_on=OCT, title="October steering",
                             minutes="Carrier contract discussed at length.\nPortal demo next time.")
    october.attendees.extend([lead, sponsor])
    october.agenda.extend([carrier, portal])
    ActionFactory(organisation_id=organisation.id, meeting=september, title="Book the room", status="done",
                  done_on=date(2026, 9, 20))
    ActionFactory(organisation_id=organisation.id, meeting=september, title="Call the carrier", status="done",
                  done_on=OCT, owner_id=lead.id, due_on=date(2026, 9, 15), initiative_id=carrier.id)
    ActionFactory(organisation_id=organisation.id, meeting=september, title="Draft the escalation memo",
                  owner_id=sponsor.id, due_on=date(2026, 9, 20))
    decision = DecisionFactory(meeting=october, text="Sign with the second carrier.")
    decision.initiatives.append(carrier)
    ActionFactory(organisation_id=organisation.id, meeting=october, title="Send the contract to legal",
                  owner_id=lead.id, due_on=date(2026, 10, 10), initiative_id=carrier.id)
    # Written by an account whose address the organisation knows, and by one it does not.
    db.session.add_all([
        StatusUpdate(initiative=carrier, posted_on=date(2026, 9, 28), author="Jeroen@Steer.example",
                     status="in_progress", health="red", progress=40, note="Carrier one pulled out."),
        StatusUpdate(initiative=portal, posted_on=date(2026, 9, 29), author="someone.gone@elsewhere.example (token ci)",
                     status="approved", health="green", progress=0, note="Ready to start."),
        StatusUpdate(initiative=carrier, posted_on=date(2026, 10, 5), author="Jeroen Bakker", status="in_progress",
                     health="amber", progress=60, note="Written after the meeting."),
    ])
    db.session.commit()
    return organisation, september, october


# -- the steering pack -------------------------------------------------------------------------------------

def test_the_pack_lists_a_done_action_as_done_not_carried_over_and_names_people(client):
    _, september, october = two_meetings()
    first = text_of(client.get(f"/o/steer/meetings/{september.id}/pack.pdf").data)
    assert "At the last meeting This is the first steering meeting on record." in first and "(—)" not in first
    text = text_of(client.get(f"/o/steer/meetings/{october.id}/pack.pdf").data)
    carried = between(text, "Actions carried over", "Carried over and done since")
    assert "Draft the escalation memo" in carried and "Marieke de Vries" in carried
    assert "Call the carrier" not in carried and "Book the room" not in carried
    done = between(text, "Carried over and done since", "Status of the initiatives")
    assert "Call the carrier" in done and "Oct 1, 2026" in done
    assert "Book the room" not in text  # done before October: nothing left to carry
    # The meeting's own decisions and actions, with owner, due date and status.
    own = text[text.rindex("At this meeting"):]
    assert "1. Sign with the second carrier. (INIT-1)" in own
    assert re.search(r"Send the contract to legal Jeroen Bakker Oct 10, 2026 \(overdue\) Open INIT-1", own)
    # Names, never addresses; only what was written by the meeting's day.
    assert "@" not in text and "Jeroen Bakker · In progress · Red · 40%" in text
    assert "someone.gone" in text and "Written after the meeting." not in text


# -- the minutes ---------------------------------------------------------------------------------------------

def test_the_minutes_hold_what_happened_at_the_meeting(client):
    _, _, october = two_meetings()
    response = client.get(f"/o/steer/meetings/{october.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="steer-minutes-2026-10-01.pdf"'
    text = text_of(response.data)
    assert "Minutes: October steering" in text and "Thursday, October 1, 2026" in text
    assert "Attendees: Jeroen Bakker, Marieke de Vries" in text
    item = between(text, "INIT-1 Next-day delivery", "INIT-2 Customer portal")
    assert "Status at the meeting: In progress · Red · 40% (update of Sep 28, 2026 by Jeroen Bakker)" in item
    assert "Carrier one pulled out." in item and "Sign with the second carrier." in item
    assert "Send the contract to legal (Jeroen Bakker, Oct 10, 2026 (overdue), Open)" in item
    portal = between(text, "INIT-2 Customer portal", "Notes")
    assert "Nothing decided or assigned about it." in portal and "by someone.gone (token ci)" in portal
    assert "Carrier contract discussed at length. Portal demo next time." in between(text, "Notes", "Decisions")
    assert "1. Sign with the second carrier. (INIT-1)" in between(text, "Decisions", "Actions from this meeting")
    own = between(text, "Actions from this meeting", "Actions carried over, still open")
    assert "Send the contract to legal Jeroen Bakker Oct 10, 2026 (overdue) Open INIT-1" in own
    still_open = between(text, "Actions carried over, still open", "Actions carried over and done since")
    assert "Draft the escalation memo" in still_open and "Call the carrier" not in still_open
    closed = text[text.index("Actions carried over and done since"):]
    assert "Call the carrier Jeroen Bakker Sep 15, 2026 Oct 1, 2026 INIT-1" in closed
    assert "@" not in text and "Written after the meeting." not in text
    downloads = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "report_download")).all()
    assert [d.object_label for d in downloads] == ["steer-minutes-2026-10-01.pdf"]


def test_the_minutes_in_dutch(client_as):
    organisation, _, october = two_meetings()
    reader = client_as("viewer", organisation, locale="nl")
    text = text_of(reader.get(f"/o/steer/meetings/{october.id}/minutes.pdf").data)
    assert "Notulen: October steering" in text and "donderdag 1 oktober 2026" in text
    for dutch in ("Aanwezigen: Jeroen Bakker, Marieke de Vries", "Besluiten", "Acties uit deze vergadering",
                  "10 okt 2026 (te laat)", "Status tijdens de vergadering: In uitvoering · Rood · 40%"):
        assert dutch in text
    assert "Minutes" not in text and "Oct 1, 2026" not in text and "2026-10-01" not in text
    pack = text_of(reader.get(f"/o/steer/meetings/{october.id}/pack.pdf").data)
    assert "Tijdens deze vergadering" in pack and "In de vorige vergadering (1 sep 2026)" in pack
    assert "Sep 1" not in pack and "2026-09" not in pack


def test_typed_text_prints_literally_and_long_words_wrap(client):
    organisation, _, october = two_meetings()
    word = "Klantreisoptimalisatiewerkgroep" * 6  # with the tags, 199 of the title's 200 characters
    october.title = f"<b>&amp;</b> {word}"
    october.minutes = f"<i>not italic</i> & {word}"
    october.decisions[0].text = f"<img src=x> {word}"
    db.session.commit()
    for path in ("minutes.pdf", "pack.pdf"):
        content = client.get(f"/o/steer/meetings/{october.id}/{path}").data
        text = text_of(content)
        assert "<b>&amp;</b>" in text and "&amp;amp;" not in text
        if path == "minutes.pdf":
            assert "<i>not italic</i> &" in text and "<img src=x>" in text
        # The word is all there, but broken over lines: it wrapped instead of running off the page.
        assert word in text.replace(" ", "")
        assert word not in raw_text(content)


def test_the_minutes_wait_for_the_meeting(client):
    organisation = OrganisationFactory(slug="soon")
    later = MeetingFactory(organisation_id=organisation.id, held_on=today() + timedelta(days=3))
    held = MeetingFactory(organisation_id=organisation.id, held_on=today())
    db.session.commit()
    page = client.get(f"/o/soon/meetings/{later.id}")
    assert "Steering pack (PDF)" in page_text(page) and "Minutes (PDF)" not in page_text(page)
    refused = client.get(f"/o/soon/meetings/{later.id}/minutes.pdf", follow_redirects=True)
    assert "The minutes can be downloaded once the meeting has been held." in page_text(refused)
    assert refused.mimetype == "text/html"
    page = client.get(f"/o/soon/meetings/{held.id}")
    assert f'href="/o/soon/meetings/{held.id}/minutes.pdf"' in page.get_data(as_text=True)
    OrganisationFactory(slug="other")
    assert client.get(f"/o/other/meetings/{held.id}/minutes.pdf").status_code == 404


def test_the_minutes_queries_do_not_grow_with_the_meeting(client, count_queries):
    organisation, september, october = two_meetings()

    def queries() -> int:
        with count_queries:
            assert client.get(f"/o/steer/meetings/{october.id}/minutes.pdf").status_code == 200
        return count_queries.count

    small = queries()
    for number in range(3, 9):
        initiative = InitiativeFactory(organisation=organisation, ref=f"INIT-{number}")
        owner = MemberFactory(organisation=organisation)
        october.agenda.append(initiative)
        decision = DecisionFactory(meeting=october, text=f"Decision {number}")
        decision.initiatives.append(initiative)
        ActionFactory(organisation_id=organisation.id, meeting=october, owner_id=owner.id,
                      initiative_id=initiative.id)
        ActionFactory(organisation_id=organisation.id, meeting=september, owner_id=owner.id,
                      initiative_id=initiative.id)
        db.session.add(StatusUpdate(initiative=initiative, posted_on=SEPT, author=f"m{number}@steer.example",
                                    status="approved", health="green", progress=0))
    db.session.commit()
    assert queries() == small
    assert len(meetings.carried_over(organisation, october)) == 8
