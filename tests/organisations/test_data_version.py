"""Every table that hangs off an organisation declares its way to it, and every write to it changes the stamp.

Walks the mapped models rather than a list kept by hand: a new table forgotten here fails.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import attributes

from cxroadmap.accounts.invitations import invite
from cxroadmap.accounts.tokens import create_token
from cxroadmap.chat.channels import add_channel
from cxroadmap.demo import seed_demo
from cxroadmap.extensions import db
from cxroadmap.measures.models import Kpi, KpiReading, SurveyComment
from cxroadmap.notifications.events import record_event
from cxroadmap.notifications.models import SentNotice
from cxroadmap.notifications.notify import save_settings
from cxroadmap.notifications.webhooks import register_endpoint
from cxroadmap.organisations.data_version import (
    data_version,
    organisation_id_of,
    organisation_models,
    undeclared_models,
)
from cxroadmap.organisations.models import DataVersion, Organisation
from cxroadmap.sso.services import add_provider, map_group, require_sso
from cxroadmap.surveys.invitations.contacts import Contact
from cxroadmap.surveys.invitations.services import invite_one, set_inviting, unsubscribe
from cxroadmap.surveys.models import Survey
from cxroadmap.surveys.privacy import set_retention
from cxroadmap.timeutil import utcnow
from tests import factories


def test_every_table_that_hangs_off_an_organisation_declares_its_way_there():
    from cxroadmap.initiatives.models import Initiative, MilestoneSlip
    from cxroadmap.journey.models import TouchpointScore

    found = organisation_models()
    assert {Initiative, MilestoneSlip, TouchpointScore} <= set(found)
    assert Organisation not in found and DataVersion not in found
    assert undeclared_models() == []


def test_a_removed_path_is_found(monkeypatch):
    from cxroadmap.initiatives.models import MilestoneSlip

    monkeypatch.delattr(MilestoneSlip, "__organisation_path__")
    assert undeclared_models() == [MilestoneSlip]


def test_a_path_that_leads_nowhere_is_found(monkeypatch):
    from cxroadmap.initiatives.models import StatusUpdate

    monkeypatch.setattr(StatusUpdate, "__organisation_path__", "author")
    assert undeclared_models() == [StatusUpdate]


def _rows_of_every_kind(organisation: Organisation) -> None:
    """What the demo does not hold: a webhook and its delivery, a chat channel and its message, an invitation, a
    token, a job, a notice sent, mail settings, a survey comment, a retention period, survey invitations and an
    address that unsubscribed, a single sign-on group mapping and requirement."""
    endpoint = register_endpoint(organisation, "http://127.0.0.1:9/hook", ["report.issued"], True)
    add_channel(organisation, "slack", "#cx", "http://127.0.0.1:9/chat", ["report.issued"], True)
    db.session.flush()
    record_event(db.session.connection(), organisation, "report.issued", {"title": "x"}, utcnow())
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=organisation, role="viewer")
    factories.JobFactory(organisation_id=organisation.id, user_id=user.id)
    factories.IssuedReportFactory(organisation_id=organisation.id)
    create_token(user, "reporting", organisation, False, 30)
    save_settings(organisation, 2)
    invite(organisation, "newcomer@example.com", "viewer", "Ada Admin", 7)
    db.session.add(SentNotice(key="digest:test", kind="digest", organisation_id=organisation.id, user_id=user.id))
    reading = db.session.scalars(select(KpiReading).join(Kpi).where(Kpi.organisation_id == organisation.id)).first()
    db.session.add(SurveyComment(reading=reading, score=3, comment="Late again."))
    set_retention(organisation, 12)
    survey = db.session.scalars(select(Survey).where(Survey.organisation_id == organisation.id,
                                                     Survey.state == "live")).first()
    set_inviting(survey, 3, 120)
    unsubscribe(invite_one(survey, Contact("unsubscribed@example.com")))
    invite_one(survey, Contact("invited@example.com"))
    provider = add_provider("https://login.example.org", "Example", "client", "secret", ["example.org"])
    map_group(provider, "cx-steering", organisation, "steering")
    require_sso(organisation)
    assert endpoint.id


def _a_column(mapper) -> str:
    """A column to write again: one that is not a key if there is one (a link table has only keys)."""
    primary = {column.name for column in mapper.local_table.primary_key}
    foreign = {fk.parent.name for fk in mapper.local_table.foreign_keys}
    columns = [attribute for attribute in mapper.column_attrs
               if attribute.columns[0].table is mapper.local_table and attribute.columns[0].name not in primary]
    return min(columns, key=lambda attribute: attribute.columns[0].name in foreign).key


def test_a_write_to_any_row_of_an_organisation_changes_its_stamp():
    organisation = seed_demo()
    _rows_of_every_kind(organisation)
    db.session.commit()
    missing, unchanged = [], []
    for model in organisation_models():
        if model.__tablename__ == "audit_event":
            continue  # append-only: never written again, its rows are the record of the writes
        row = db.session.scalars(select(model).limit(1)).first()
        if row is None:
            missing.append(model.__name__)
            continue
        assert organisation_id_of(row) == organisation.id, model.__name__
        before = data_version(organisation)
        attributes.flag_modified(row, _a_column(db.inspect(model)))
        db.session.commit()
        if data_version(organisation) == before:
            unchanged.append(model.__name__)
    assert missing == [], f"no row of {missing} in the demo: add them to the demo or to _rows_of_every_kind"
    assert unchanged == []


def test_an_organisations_stamp_is_not_touched_by_anothers_write():
    one, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    factories.InitiativeFactory(organisation=one)
    factories.InitiativeFactory(organisation=other)
    db.session.commit()
    before = data_version(other)
    initiative = db.session.scalars(select(factories.InitiativeFactory._meta.model)
                                    .where(factories.InitiativeFactory._meta.model.organisation_id == one.id)).one()
    initiative.due_date = (initiative.due_date or utcnow().date()) + timedelta(days=1)
    db.session.commit()
    assert data_version(other) == before
