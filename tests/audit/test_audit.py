"""The audit trail: a row for every change and every sign-in or refusal, readable but never rewritten."""

import pytest
from sqlalchemy.exc import DBAPIError

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from tests.factories import PASSWORD, InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import page_text


def trail(**criteria):
    query = db.select(AuditEvent).order_by(AuditEvent.id)
    for name, value in criteria.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return db.session.scalars(query).all()


def test_each_kind_of_change_is_recorded_with_who_what_before_and_after(client, admin_user):
    organisation = OrganisationFactory(slug="audited")
    base = "/o/audited/initiatives"
    client.post(f"{base}/new", data={"title": "Delay calls", "readiness_question": "know_experience",
                                     "status": "proposed", "health": "green", "progress": "0"})
    client.post(f"{base}/INIT-1/edit", data={"ref": "INIT-1", "title": "Proactive delay calls",
                                             "readiness_question": "know_experience", "status": "approved",
                                             "health": "amber", "progress": "10", "version": "1"})
    client.post(f"{base}/INIT-1/archive")
    client.post(f"{base}/INIT-1/restore")
    client.post(f"{base}/INIT-1/benefits/new", data={"kind": "cost_reduction", "annual_amount": "500"})
    benefit_id = trail(object_type="Benefit estimate")[0].object_id
    client.post(f"{base}/INIT-1/benefits/{benefit_id}/delete")
    actions = [e.action for e in trail(object_type="Initiative")]
    assert actions == ["create", "update", "archive", "restore"]
    update = trail(object_type="Initiative", action="update")[0]
    assert update.changes["title"] == ["Delay calls", "Proactive delay calls"]
    assert update.changes["health"] == ["green", "amber"]
    assert update.actor == admin_user.name and update.organisation_id == organisation.id
    assert update.address == "127.0.0.1"
    assert [e.action for e in trail(object_type="Benefit estimate")] == ["create", "delete"]


def test_sign_ins_refusals_role_changes_are_recorded(app, client, admin_user):
    organisation = OrganisationFactory(slug="audited")
    viewer = UserFactory(email="vera@example.com")
    membership = MembershipFactory(user=viewer, organisation_id=organisation.id, role="viewer")
    browser = app.test_client()
    browser.post("/login", data={"email": viewer.email, "password": "not it at all, no"})
    browser.post("/login", data={"email": viewer.email, "password": PASSWORD})
    browser.post("/o/audited/teams/new", data={"name": "Not allowed"})
    client.post(f"/o/audited/members/{membership.id}/role", data={"role": "steering"})
    assert [e.actor for e in trail(action="sign_in_failed")] == ["vera@example.com"]
    assert [e.actor for e in trail(action="sign_in")] == [viewer.name]  # the typed email only where it failed
    refused = trail(action="access_refused")
    assert refused[0].object_label == "POST /o/audited/teams/new" and refused[0].changes == {"status": [None, 403]}
    role_change = trail(action="role_change")[0]
    assert role_change.changes == {"role": ["viewer", "steering"]} and role_change.actor == admin_user.name


def test_the_trail_cannot_be_rewritten():
    db.session.execute(AuditEvent.__table__.insert(), [{"action": "sign_in", "actor": "x", "changes": {}}])
    db.session.commit()
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError):
            db.session.execute(db.text(statement))
        db.session.rollback()
    assert db.session.scalar(db.select(AuditEvent.actor)) == "x"


def test_the_trail_cannot_be_replaced_row_by_row_or_emptied_at_once():
    db.session.execute(AuditEvent.__table__.insert(), [{"action": "sign_in", "actor": "x", "changes": {}}])
    db.session.commit()
    event_id = db.session.scalar(db.select(AuditEvent.id))
    if db.engine.dialect.name == "sqlite":
        # REPLACE deletes the row it collides with and fires no delete trigger.
        attempts = [f"INSERT OR REPLACE INTO audit_event (id, occurred_at, actor, action, object_type, object_id, "
                    f"object_label, changes, address) VALUES ({event_id}, CURRENT_TIMESTAMP, 'forger', 'sign_in', "
                    f"'', '', '', '{{}}', '')", "REPLACE INTO audit_event (id, occurred_at, actor, action, "
                    f"object_type, object_id, object_label, changes, address) VALUES ({event_id}, "
                    "CURRENT_TIMESTAMP, 'forger', 'sign_in', '', '', '', '{}', '')"]
    else:
        attempts = ["TRUNCATE audit_event", "TRUNCATE audit_event CASCADE"]
        granted = db.session.scalars(db.text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_event' AND grantee IN (current_user, 'PUBLIC')")).all()
        assert {"INSERT", "SELECT"} <= set(granted) and not {"UPDATE", "DELETE", "TRUNCATE"} & set(granted)
    for statement in attempts:
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(db.text(statement))
        db.session.rollback()
    assert db.session.scalars(db.select(AuditEvent.actor)).all() == ["x"]


def test_the_trail_page_filters_by_object_person_and_date(client, client_as):
    organisation = OrganisationFactory(slug="audited")
    InitiativeFactory(organisation=organisation, ref="INIT-1", title="Watched")
    client.post("/o/audited/teams/new", data={"name": "Warehouse"})
    text = page_text(client.get("/o/audited/audit"))
    assert "Watched" in text and "Warehouse" in text
    only_teams = page_text(client.get("/o/audited/audit?object=Team"))
    assert "Warehouse" in only_teams and "Watched" not in only_teams
    assert "Nothing recorded that matches" in page_text(client.get("/o/audited/audit?person=nobody"))
    assert client.get("/o/audited/audit?person=%00%07").status_code == 400  # a control character: refused
    assert "Nothing recorded that matches" in page_text(client.get("/o/audited/audit?since=2999-01-01"))
    assert client.get("/o/audited/audit?since=garbage&object=<x>&page=-1").status_code == 200
    assert client_as("contributor", organisation).get("/o/audited/audit").status_code == 403


def test_an_initiative_shows_its_history_to_the_steering_committee_only(client, client_as):
    organisation = OrganisationFactory(slug="audited")
    client.post("/o/audited/initiatives/new", data={"title": "With a past", "readiness_question": "know_roles",
                                                    "status": "proposed", "health": "green", "progress": "0"})
    client.post("/o/audited/initiatives/INIT-1/archive")
    steering = page_text(client_as("steering", organisation).get("/o/audited/initiatives/INIT-1"))
    assert "History" in steering and "archive" in steering
    viewer = page_text(client_as("viewer", organisation).get("/o/audited/initiatives/INIT-1"))
    assert "History" not in viewer


def test_control_characters_typed_at_sign_in_are_kept_out_of_the_trail(anonymous):
    response = anonymous.post("/login", data={"email": "eve\x00@example.com\x07", "password": "whatever it is"})
    assert response.status_code == 401
    assert [e.actor for e in trail(action="sign_in_failed")] == ["eve@example.com"]


def test_the_trail_reads_in_labels_names_and_local_dates_not_keys_and_ids(client_as):
    from tests.factories import MemberFactory

    organisation = OrganisationFactory(slug="readable")
    owner = MemberFactory(organisation=organisation, name="Daan Mulder")
    InitiativeFactory(organisation=organisation, ref="INIT-1", status="approved")
    reader = client_as("steering", organisation, name="Sanne Steering", email="sanne@example.com")
    reader.post("/o/readable/initiatives/INIT-1/edit", data={
        "ref": "INIT-1", "title": "Initiative", "readiness_question": "know_customers", "status": "in_progress",
        "health": "amber", "progress": "10", "owner": str(owner.id), "start_date": "2027-03-04", "version": "1"})
    shown = page_text(reader.get("/o/readable/audit"))
    assert "Status: Approved → In progress" in shown and "Owner: Daan Mulder" in shown
    assert "Start: Mar 4, 2027" in shown and "Sanne Steering" in shown
    assert "in_progress" not in shown and "owner_id" not in shown and "sanne@example.com" not in shown
    reader.post("/account/language", data={"locale": "nl"})
    dutch = page_text(reader.get("/o/readable/audit"))
    assert "Status: Goedgekeurd → In uitvoering" in dutch and "Start: 4 mrt 2027" in dutch


def test_the_trail_page_names_what_its_events_point_to_without_a_query_each(client, count_queries):
    from tests.factories import InitiativeFactory, MemberFactory

    def queries_for(organisation, total):
        for number in range(total):  # each with an owner of its own, so the page names a different one each time
            owner = MemberFactory(organisation=organisation)
            InitiativeFactory(organisation=organisation, ref=f"INIT-{number + 1}", owner_id=owner.id)
        db.session.commit()
        with count_queries:
            assert client.get(f"/o/{organisation.slug}/audit").status_code == 200
        return count_queries.count

    few = queries_for(OrganisationFactory(slug="few"), 2)
    assert queries_for(OrganisationFactory(slug="many"), 12) <= few
