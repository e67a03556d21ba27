"""The initiative picker: the organisation's search behind it, and the forms that take references through it."""

from datetime import date

from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.initiatives import services, tracking
from cxroadmap.initiatives.models import Dependency
from tests.factories import InitiativeFactory, MeetingFactory, OrganisationFactory
from tests.helpers import field_error, page_text

DUTCH_BROWSER = {"Accept-Language": "nl-NL,nl;q=0.9"}


def refs(initiatives) -> list[str]:
    return [i.ref for i in initiatives]


# -- services ------------------------------------------------------------------------------------------

def test_search_offers_references_starting_with_the_text_then_titles_holding_it():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    for ref, title in (("INIT-5", "Delay calls"), ("INIT-50", "Webshop returns"), ("INIT-7", "Proactive delay texts"),
                       ("INIT-8", "100% on time_ish")):
        InitiativeFactory(organisation=organisation, ref=ref, title=title)
    InitiativeFactory(organisation=organisation, ref="INIT-51", title="Archived delay work", archived=True)
    InitiativeFactory(organisation=other, ref="INIT-52", title="Delay elsewhere")
    assert refs(services.search_initiatives(organisation, "init-5")) == ["INIT-5", "INIT-50"]
    assert refs(services.search_initiatives(organisation, " DELAY ")) == ["INIT-5", "INIT-7"]
    assert refs(services.search_initiatives(organisation, "0%")) == ["INIT-8"]  # wildcards taken literally
    assert refs(services.search_initiatives(organisation, "_")) == ["INIT-8"]
    assert refs(services.search_initiatives(organisation, "nothing like it")) == []
    assert len(services.search_initiatives(organisation, "", limit=3)) == 3


def test_search_stops_at_its_limit_and_names_each_initiative_once():
    organisation = OrganisationFactory()
    for n in range(1, 26):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Init-{n} delivery promise")
    found = services.search_initiatives(organisation, "init-1")
    assert refs(found)[:3] == ["INIT-1", "INIT-10", "INIT-11"]
    assert len(found) == len(set(refs(found))) == 11  # INIT-1, INIT-10 … INIT-19: by reference, not again by title
    assert len(services.search_initiatives(organisation, "delivery")) == services.SEARCH_LIMIT


def test_references_are_found_in_the_organisation_only():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    mine = InitiativeFactory(organisation=organisation, ref="INIT-1")
    InitiativeFactory(organisation=other, ref="INIT-2")
    assert services.initiatives_by_refs(organisation, ["init-1", "INIT-2", ""]) == {"INIT-1": mine}


def test_an_agenda_starts_with_open_red_then_amber_initiatives():
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-1", health="amber")
    InitiativeFactory(organisation=organisation, ref="INIT-2", health="green")
    InitiativeFactory(organisation=organisation, ref="INIT-3", health="red")
    InitiativeFactory(organisation=organisation, ref="INIT-4", health="red", status="done")
    InitiativeFactory(organisation=organisation, ref="INIT-5", health="red", archived=True)
    InitiativeFactory(organisation=organisation, ref="INIT-6", health="amber")
    assert refs(services.initiatives_to_review(organisation)) == ["INIT-3", "INIT-1", "INIT-6"]
    assert refs(services.initiatives_to_review(organisation, limit=2)) == ["INIT-3", "INIT-1"]


def test_an_initiatives_own_dependencies_both_ways():
    organisation = OrganisationFactory()
    first, second, third, apart = (InitiativeFactory(organisation=organisation, ref=f"INIT-{n}") for n in range(1, 5))
    tracking.add_dependency(organisation, second, first)
    tracking.add_dependency(organisation, third, second)
    tracking.add_dependency(organisation, apart, first)
    links = tracking.dependencies_of(second)
    assert [(d.initiative.ref, d.depends_on.ref) for d in links] == [("INIT-2", "INIT-1"), ("INIT-3", "INIT-2")]


# -- the search endpoint -------------------------------------------------------------------------------

def test_the_search_answers_the_organisations_initiatives_as_json(client_as):
    organisation, other = OrganisationFactory(slug="home"), OrganisationFactory(slug="away")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls <now>")
    InitiativeFactory(organisation=other, ref="INIT-2", title="Delay elsewhere")
    viewer = client_as("viewer", organisation)
    answer = viewer.get("/o/home/initiatives/search?q=delay")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.json == {"initiatives": [{"ref": "INIT-1", "title": "Delay calls <now>"}]}
    assert viewer.get("/o/away/initiatives/search?q=delay").status_code == 404  # not a member there
    assert viewer.get("/o/home/initiatives/search?q=" + "x" * 5000).json == {"initiatives": []}


# -- forms that take references ------------------------------------------------------------------------

def test_a_meeting_is_planned_with_references_and_an_unknown_one_is_refused_beside_the_field(client):
    organisation, other = OrganisationFactory(slug="gov"), OrganisationFactory(slug="else")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Delay calls", health="red")
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Returns", health="green")
    InitiativeFactory(organisation=other, ref="INIT-3", title="Not ours")
    db.session.commit()
    form = client.get("/o/gov/meetings").get_data(as_text=True)
    assert 'value="INIT-1"' in form and 'data-picker="/o/gov/initiatives/search"' in form  # red ones to start
    response = client.post("/o/gov/meetings", data={"held_on": "2026-09-01", "title": "September",
                                                     "agenda": "init-2, INIT-3; INIT-9"})
    assert response.status_code == 422
    assert field_error(response, "agenda") == ("No initiative INIT-3 in this organisation. "
                                               "No initiative INIT-9 in this organisation.")
    assert 'value="init-2, INIT-3; INIT-9"' in response.get_data(as_text=True)  # as typed
    assert db.session.scalar(db.select(db.func.count()).select_from(SteeringMeeting)) == 0
    response = client.post("/o/gov/meetings", data={"held_on": "2026-09-01", "title": "September",
                                                     "agenda": "init-2 INIT-1,INIT-2"})
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(SteeringMeeting))
    assert refs(meeting.agenda) == ["INIT-1", "INIT-2"]
    edit = client.get(f"/o/gov/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="INIT-1, INIT-2"' in edit


def test_the_refusal_is_said_in_dutch_to_a_dutch_reader(client):
    OrganisationFactory(slug="nl-org", locale="nl")
    db.session.commit()
    response = client.post("/o/nl-org/meetings", data={"held_on": "2026-09-01", "title": "Stuurgroep",
                                                        "agenda": "INIT-9"}, headers=DUTCH_BROWSER)
    assert response.status_code == 422
    assert field_error(response, "agenda") == "Geen initiatief INIT-9 in deze organisatie."


def test_decisions_and_actions_name_initiatives_by_reference(client):
    organisation, other = OrganisationFactory(slug="gov"), OrganisationFactory(slug="else")
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    InitiativeFactory(organisation=other, ref="INIT-2")
    meeting = MeetingFactory(organisation_id=organisation.id)
    db.session.commit()
    page = f"/o/gov/meetings/{meeting.id}"
    assert client.post(f"{page}/decisions", data={"text": "Go.", "initiatives": "INIT-1"}).status_code == 302
    assert refs(db.session.scalar(db.select(Decision)).initiatives) == ["INIT-1"]
    refused = client.post(f"{page}/actions", data={"title": "Call", "initiative": "INIT-2"})
    assert refused.status_code == 422
    assert field_error(refused, "act-initiative") == "No initiative INIT-2 in this organisation."
    refused = client.post(f"{page}/actions", data={"title": "Call", "initiative": "INIT-1 INIT-1 INIT-3"})
    assert field_error(refused, "act-initiative") == "Give one reference, e.g. INIT-12."
    assert client.post(f"{page}/actions", data={"title": "Call", "initiative": ""}).status_code == 302
    assert client.post(f"{page}/actions", data={"title": "Mail", "initiative": "init-1"}).status_code == 302
    assert [(a.title, a.initiative and a.initiative.ref) for a in db.session.scalars(
        db.select(ActionItem).order_by(ActionItem.id))] == [("Call", None), ("Mail", "INIT-1")]


def test_a_dependency_is_added_by_reference_and_another_organisations_is_refused(client):
    organisation, other = OrganisationFactory(slug="gov"), OrganisationFactory(slug="else")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Contract")
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Pilot")
    InitiativeFactory(organisation=other, ref="INIT-3")
    db.session.commit()
    url = "/o/gov/initiatives/INIT-2/dependencies"
    refused = client.post(url, data={"depends_on": "INIT-3"})
    assert refused.status_code == 422
    assert field_error(refused, "d-on") == "No initiative INIT-3 in this organisation."
    assert 'value="INIT-3"' in refused.get_data(as_text=True)
    assert field_error(client.post(url, data={"depends_on": " "}), "d-on") == \
        "Give the reference of the initiative it waits for."
    assert field_error(client.post(url, data={"depends_on": "INIT-2"}), "d-on") == \
        "An initiative cannot wait for itself."
    response = client.post(url, data={"depends_on": "init-1"}, follow_redirects=True)
    assert "Dependency added." in page_text(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Dependency)) == 1


def test_what_cannot_be_a_reference_is_refused_without_asking_the_database(client):
    """A NUL byte or a stray symbol is no reference: PostgreSQL would refuse the NUL outright (a 500)."""
    organisation = OrganisationFactory(slug="gov")
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Pilot")
    db.session.commit()
    for typed in ("\x00", "INIT-\x001", "<b>"):
        refused = client.post("/o/gov/initiatives/INIT-2/dependencies", data={"depends_on": typed})
        assert refused.status_code == 422
        assert field_error(refused, "d-on").startswith("No initiative ")
    assert db.session.scalar(db.select(db.func.count()).select_from(Dependency)) == 0


def test_the_meetings_list_is_paged_latest_first_with_its_counts(client):
    organisation = OrganisationFactory(slug="gov")
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    for day in range(1, 26):
        MeetingFactory(organisation_id=organisation.id, held_on=date(2026, 1, day), title=f"Meeting {day}")
    latest = db.session.scalar(db.select(SteeringMeeting).where(SteeringMeeting.title == "Meeting 25"))
    latest.agenda = [initiative]
    db.session.add(Decision(meeting=latest, text="Go."))
    db.session.commit()
    first = page_text(client.get("/o/gov/meetings"))
    assert "Meeting 25 1 1" in first and "Meeting 6" in first and "Meeting 5 " not in first
    second = page_text(client.get("/o/gov/meetings?page=2"))
    assert "Meeting 5 0 0" in second and "Meeting 1 " in second and "Meeting 25" not in second


def test_more_than_500_references_at_once_are_refused(client):
    organisation = OrganisationFactory(slug="gov")
    meeting = MeetingFactory(organisation_id=organisation.id)
    db.session.commit()
    many = ", ".join(f"INIT-{n}" for n in range(501))
    response = client.post(f"/o/gov/meetings/{meeting.id}/decisions", data={"text": "Go.", "initiatives": many})
    assert field_error(response, "dec-about") == "Choose at most 500 initiatives."
