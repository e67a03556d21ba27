"""What every form does with what people type: all problems at once beside their fields, typed values kept,
dates that do not exist refused as such, implausible values refused or warned about, the browser told the limits."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem
from cxroadmap.initiatives.models import Initiative, Milestone
from tests.factories import (
    ActionFactory,
    BenefitFactory,
    InitiativeFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    TeamFactory,
)
from tests.helpers import field_error, page_text

NEW = {"title": "Delay calls", "readiness_question": "know_customers", "status": "proposed", "health": "green",
       "progress": "0"}


@pytest.fixture
def organisation():
    return OrganisationFactory(slug="forms")


def test_a_new_initiative_hears_every_problem_at_once_and_keeps_what_was_typed(client, organisation):
    response = client.post("/o/forms/initiatives/new", data={
        **NEW, "title": "", "one_off_cost": "-5", "start_date": "2027-05-01", "due_date": "2027-01-01",
        "description": "Typed with care"})
    assert response.status_code == 422
    assert field_error(response, "title")
    assert field_error(response, "one_off_cost") == "An amount cannot be negative."
    assert field_error(response, "due_date") == "The due date cannot be before the start date."
    body = response.get_data(as_text=True)
    assert "Typed with care" in body and 'value="-5"' in body and 'value="2027-05-01"' in body
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


@pytest.mark.parametrize("typed", ["2027-02-30", "not-a-date"])
def test_a_date_that_does_not_exist_is_refused_as_not_real_never_dropped(client, organisation, typed):
    # 'not-a-date' is what app.js sends when a browser's date picker holds an impossible date.
    response = client.post("/o/forms/initiatives/new", data={**NEW, "start_date": typed})
    assert response.status_code == 422
    assert "is not a real date" in field_error(response, "start_date")
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


def test_a_milestone_on_the_31st_of_february_is_not_real_and_stays_typed(client, organisation):
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    response = client.post("/o/forms/initiatives/INIT-1/milestones",
                           data={"title": "Contract signed", "due_on": "2027-02-31"})
    assert response.status_code == 422
    assert "2027-02-31 is not a real date" in field_error(response, "m-due")
    assert 'value="Contract signed"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 0


def test_a_refused_move_shows_in_its_own_row(client, organisation):
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    milestone = MilestoneFactory(initiative=initiative, due_on=date(2027, 3, 1))
    response = client.post(f"/o/forms/initiatives/INIT-1/milestones/{milestone.id}/move", data={"due_on": "2027-02-29"})
    assert response.status_code == 422
    assert "not a real date" in field_error(response, f"move-{milestone.id}")


def test_realised_before_the_initiative_starts_is_refused(client, organisation):
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=date(2026, 6, 1))
    benefit = BenefitFactory(initiative=initiative)
    response = client.post("/o/forms/initiatives/INIT-1/actuals", data={
        "benefit": str(benefit.id), "month": "2026-03", "amount": "100"})
    assert response.status_code == 422
    assert "INIT-1 starts" in field_error(response, "a-month")
    assert 'value="100"' in response.get_data(as_text=True)


def test_what_may_be_right_is_saved_with_a_warning(client, organisation):
    InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=date(2026, 1, 1),
                      due_date=date(2026, 12, 31))
    response = client.post("/o/forms/initiatives/INIT-1/milestones",
                           data={"title": "Late piece", "due_on": "2027-06-30"}, follow_redirects=True)
    assert "after INIT-1 itself is due" in page_text(response)
    meeting = MeetingFactory(organisation_id=organisation.id)
    response = client.post(f"/o/forms/meetings/{meeting.id}/actions",
                           data={"title": "Old thing", "due_on": "2020-01-15"}, follow_redirects=True)
    assert "more than a year ago" in page_text(response)
    assert db.session.scalar(db.select(ActionItem.due_on)) == date(2020, 1, 15)


def test_a_refused_decision_stays_on_the_meeting_page_as_typed(client, organisation):
    meeting = MeetingFactory(organisation_id=organisation.id)
    response = client.post(f"/o/forms/meetings/{meeting.id}/actions", data={"title": "", "due_on": "2027-02-30"})
    assert response.status_code == 422
    assert field_error(response, "act-title") and "not a real date" in field_error(response, "act-due")


def test_marking_a_carried_over_action_done_stays_on_the_meeting_being_held(client, organisation):
    earlier = MeetingFactory(organisation_id=organisation.id, held_on=date(2026, 9, 1))
    today_s = MeetingFactory(organisation_id=organisation.id, held_on=date(2026, 10, 1))
    action = ActionFactory(organisation_id=organisation.id, meeting=earlier)
    response = client.post(f"/o/forms/actions/{action.id}/done", data={"meeting": str(today_s.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/meetings/{today_s.id}#actions")
    other = OrganisationFactory(slug="other")
    elsewhere = MeetingFactory(organisation_id=other.id)
    assert client.post(f"/o/forms/actions/{action.id}/open", data={"meeting": str(elsewhere.id)}).status_code == 404


FORM_PAGES = ["/o/forms/initiatives/new", "/o/forms/initiatives/INIT-1/edit", "/o/forms/initiatives/INIT-1",
              "/o/forms/initiatives/INIT-1/benefits/new", "/o/forms/maturity", "/o/forms/readiness",
              "/o/forms/coalition/new", "/o/forms/teams/new", "/o/forms/teams/{team}", "/o/forms/meetings",
              "/o/forms/meetings/{meeting}", "/o/forms/meetings/{meeting}/edit", "/o/forms/settings",
              "/organisations/new", "/o/forms/members", "/account"]


def test_every_text_field_tells_the_browser_its_limit(client, organisation):
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1")
    BenefitFactory(initiative=initiative)
    team, meeting = TeamFactory(organisation=organisation), MeetingFactory(organisation_id=organisation.id)
    missing = {}
    for path in FORM_PAGES:
        response = client.get(path.format(team=team.id, meeting=meeting.id))
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        fields = re.findall(r'<(?:textarea|input)\b[^>]*>', body)
        typed = [f for f in fields if f.startswith("<textarea") or re.search(r'type="(text|email)"', f)]
        without = [re.search(r'name="([^"]+)"', f).group(1) for f in typed if "maxlength=" not in f
                   and not re.search(r'\shidden[\s>]', f)]
        if without:
            missing[path] = without
    assert missing == {}, missing


def test_assessed_by_and_logged_by_start_as_the_signed_in_person(client, organisation):
    assert 'value="Ada Admin"' in client.get("/o/forms/maturity").get_data(as_text=True)
    team = TeamFactory(organisation=organisation)
    body = client.get(f"/o/forms/teams/{team.id}").get_data(as_text=True)
    assert re.search(r'id="logged_by"[^>]*value="Ada Admin"|value="Ada Admin"[^>]*id="logged_by"', body)


def test_the_amount_stays_exact_when_a_form_is_refused(client, organisation):
    InitiativeFactory(organisation=organisation, ref="INIT-1", one_off_cost=Decimal("10.00"))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post("/o/forms/initiatives/INIT-1/edit", data={
        **NEW, "ref": "INIT-1", "one_off_cost": "1.234,5x", "start_date": yesterday, "version": "1"})
    assert response.status_code == 422 and 'value="1.234,5x"' in response.get_data(as_text=True)


def test_every_form_refuses_control_characters_in_its_one_line_fields():
    """Every form of the product is a cxroadmap.fields.Form, which adds the check to each one-line field."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import cxroadmap
    from cxroadmap.fields import Form

    for module in pkgutil.walk_packages(cxroadmap.__path__, "cxroadmap."):
        importlib.import_module(module.name)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    ours = [form for form in every(FlaskForm) if form.__module__.startswith("cxroadmap.") and form is not Form]
    assert len(ours) > 40
    assert [form.__qualname__ for form in ours if not issubclass(form, Form)] == []


@pytest.mark.parametrize("typed", ["Acme\nCorp", "Acme\rCorp", "Acme\tCorp", "Acme\u2028Corp", "Acme\x00Corp"])
def test_a_name_with_a_line_break_or_control_character_is_refused_beside_it_as_typed(client, organisation, typed):
    response = client.post("/o/forms/settings", data={
        "name": typed, "slug": "forms", "currency": "EUR", "discount_rate": "8", "locale": "en",
        "version": str(organisation.version)})
    assert response.status_code == 422
    assert "one line" in field_error(response, "name")
    db.session.expire_all()
    assert db.session.get(type(organisation), organisation.id).name == organisation.name
    # A multi-line field keeps its line breaks.
    kept = client.post("/o/forms/initiatives/new", data={**NEW, "description": "First line\nSecond line"})
    assert kept.status_code == 302


def test_a_line_break_is_refused_in_one_line_fields_of_imports_too(client, organisation):
    import io
    import json

    from cxroadmap.exchange.document.importer import ImportRefused, import_text

    sheet = b"Title,Readiness question\n\"Two\nlines\",know_customers\n"
    response = client.post("/o/forms/initiatives/import", data={"file": (io.BytesIO(sheet), "i.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "one line" in page_text(response)
    document = {"format": "cxroadmap/1", "organisation": {"name": "Two\nlines", "slug": "two", "currency": "EUR",
                                                          "discount_rate": "0.08", "locale": "en"}}
    with pytest.raises(ImportRefused) as refused:
        import_text(json.dumps(document))
    assert any(p.startswith("organisation.name") and "one line" in p for p in refused.value.problems)
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


@pytest.mark.parametrize("sent", [["", "not-a-date"], ["", "2027-02-30"], ["02/30/2027"]])
@pytest.mark.parametrize("field", ["start_date", "due_date"])
def test_a_date_picker_sending_an_empty_value_beside_what_was_typed_is_refused(client, organisation, sent, field):
    # A browser's date picker holding 02/30/2027 sends an empty value; app.js adds its marker after it. The empty
    # one must not make an optional date read as left empty.
    response = client.post("/o/forms/initiatives/new", data={**NEW, field: sent})
    assert response.status_code == 422
    assert "is not a real date" in field_error(response, field)
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


def test_every_date_field_of_every_form_refuses_what_is_not_a_date_as_such():
    """Every date a form takes is a cxroadmap.fields.DayField, which says an impossible date is not real."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm
    from wtforms import DateField
    from wtforms.fields.core import UnboundField

    import cxroadmap
    from cxroadmap.fields import DayField

    for module in pkgutil.walk_packages(cxroadmap.__path__, "cxroadmap."):
        importlib.import_module(module.name)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    plain = [f"{form.__qualname__}.{name}" for form in every(FlaskForm) if form.__module__.startswith("cxroadmap.")
             for name, unbound in vars(form).items()
             if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, DateField)
             and not issubclass(unbound.field_class, DayField)]
    assert plain == []


def test_a_kpi_a_meeting_and_the_settings_hear_every_problem_at_once(client, organisation):
    kpi = client.post("/o/forms/kpis/new", data={
        "code": "NPS REL!", "name": "Relationship NPS", "kind": "x_data", "measure": "nps", "direction": "up",
        "baseline_value": "lots", "baseline_on": "2026-01-01", "target_value": "30", "target_on": "2025-01-01"})
    assert kpi.status_code == 422
    assert "Enter a number" in field_error(kpi, "baseline_value")
    assert "A code is up to 32" in field_error(kpi, "code")
    meeting = client.post("/o/forms/meetings", data={"held_on": "2027-02-30", "title": "x" * 201})
    assert meeting.status_code == 422
    assert "not a real date" in field_error(meeting, "held_on") and field_error(meeting, "title")
    settings = client.post("/o/forms/settings", data={
        "name": "Forms", "slug": "Not A Slug", "currency": "EUR", "discount_rate": "eight", "locale": "en",
        "version": str(organisation.version)})
    assert settings.status_code == 422
    assert field_error(settings, "discount_rate") and "lower-case" in field_error(settings, "slug")


def test_a_decimal_comma_in_an_english_form_is_read_as_a_point_and_said_so(client, organisation):
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    done = client.post("/o/forms/initiatives/INIT-1/benefits/new", data={
        "kind": "cost_reduction", "volume": "1,000", "rate": "12,5%", "unit_value": "6,50"}, follow_redirects=True)
    text = page_text(done)
    assert "Rate: “12,5%” was read as 0.125." in text and "Unit value: “6,50” was read as 6.5." in text
    assert "Volume:" not in text  # 1,000 is a thousand as English writes it
