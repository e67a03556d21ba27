"""Importing initiatives and benefits from spreadsheets: the round trip, the preview's problems, all or nothing."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
from sqlalchemy import select

from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from tests.factories import BenefitFactory, InitiativeFactory, MemberFactory, OrganisationFactory

FIELDS = ("ref", "title", "description", "readiness_question", "status", "health", "progress", "start_date",
          "due_date", "target_stage", "one_off_cost", "annual_running_cost", "archived")


def _initiatives(organisation_id):
    rows = db.session.scalars(select(Initiative).where(Initiative.organisation_id == organisation_id)
                              .order_by(Initiative.ref))
    return [tuple(getattr(i, name) for name in FIELDS) + (i.owner.email if i.owner else None,) for i in rows]


def _benefits(organisation_id):
    query = (select(BenefitEstimate, Initiative.ref).join(Initiative)
             .where(Initiative.organisation_id == organisation_id).order_by(Initiative.ref, BenefitEstimate.id))
    return [(ref, b.kind, b.description, b.volume, b.rate, b.unit_value, b.annual_amount, b.confidence,
             b.starts_on, b.ramp_months) for b, ref in db.session.execute(query)]


def _seed(organisation):
    MemberFactory(organisation=organisation, email="olga@example.com")
    owner = MemberFactory(organisation=organisation, email="piet@example.com")
    first = InitiativeFactory(organisation=organisation, ref="INIT-1", title="=Callback within the hour",
                              description="Line one\nline two", readiness_question="know_experience",
                              status="approved", health="amber", progress=35, start_date=date(2027, 1, 4),
                              due_date=date(2027, 6, 30), target_stage="mobilise", one_off_cost="12500.50",
                              annual_running_cost="1200.00", owner_id=owner.id)
    InitiativeFactory(organisation=organisation, ref="CX.7", title="Archived idea", archived=True, progress=0,
                      one_off_cost="0.00")
    BenefitFactory(initiative=first, kind="revenue_retention", description="Fewer churned accounts",
                   volume=Decimal("1200"), rate=Decimal("0.05"), unit_value=Decimal("850.00"),
                   annual_amount=Decimal("51000.00"), confidence=Decimal("0.7"), starts_on=date(2027, 7, 1),
                   ramp_months=6)
    BenefitFactory(initiative=first, description="Fewer calls", annual_amount=Decimal("9999.99"))


def _import(client, slug, filename, content, confirm=False):
    data = {"file": (io.BytesIO(content), filename)}
    preview = client.post(f"/o/{slug}/initiatives/import", data=data, content_type="multipart/form-data")
    if not confirm:
        return preview
    page = preview.get_data(as_text=True)
    encoded = page.split('name="content" value="', 1)[1].split('"', 1)[0]
    return client.post(f"/o/{slug}/initiatives/import", data={"content": encoded, "filename": filename,
                                                               "confirm": "yes"})


def test_export_then_import_into_an_empty_organisation_gives_the_same_initiatives(client):
    home, empty = OrganisationFactory(slug="home"), OrganisationFactory(slug="empty")
    _seed(home)
    for email in ("olga@example.com", "piet@example.com"):
        MemberFactory(organisation=empty, email=email)
    workbook = client.get("/o/home/export.xlsx").data
    preview = _import(client, "empty", "export.xlsx", workbook)
    assert preview.status_code == 200
    assert "2 initiatives to create" in preview.get_data(as_text=True)
    assert _initiatives(empty.id) == []  # a preview writes nothing
    done = _import(client, "empty", "export.xlsx", workbook, confirm=True)
    assert done.status_code == 302
    db.session.expire_all()
    assert _initiatives(empty.id) == _initiatives(home.id)
    assert _benefits(empty.id) == _benefits(home.id)


def test_the_csv_round_trip_in_dutch_too(client):
    home, empty = OrganisationFactory(slug="home"), OrganisationFactory(slug="empty")
    _seed(home)
    for email in ("olga@example.com", "piet@example.com"):
        MemberFactory(organisation=empty, email=email)
    client.post("/account/language", data={"locale": "nl"})
    csv_initiatives = client.get("/o/home/initiatives.csv?archive=all").data
    assert "Titel" in csv_initiatives.decode("utf-8-sig").splitlines()[0]
    assert _import(client, "empty", "i.csv", csv_initiatives, confirm=True).status_code == 302
    assert _import(client, "empty", "b.csv", client.get("/o/home/benefits.csv?archive=all").data,
                   confirm=True).status_code == 302
    db.session.expire_all()
    assert _initiatives(empty.id) == _initiatives(home.id)
    assert _benefits(empty.id) == _benefits(home.id)


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_preview_names_every_problem_by_row_and_column_and_writes_nothing(client):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1", title="Keep me")
    content = _xlsx([
        ["Title", "Ref", "Due date", "Readiness question", "Progress", "Colour", "Owner email"],
        ["Fine one", "INIT-9", "2027-01-31", "Know our customers", 10, "blue", None],
        ["Bad date", "INIT-10", "someday", "know_customers", 10, "red", None],
        ["", "INIT-11", None, "know_customers", 10, None, None],
        ["Too far", "INIT-1", None, "Klanten kennen", 150, None, None],
        ["Stranger", None, None, "know_customers", 5, None, "nobody@example.com"],
    ])
    response = _import(client, "home", "plan.xlsx", content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "row 3, column &#34;Due date&#34;: not a date" in page
    assert "row 4, column &#34;Title&#34;: required for a new initiative" in page
    assert "row 5, column &#34;Progress&#34;" in page
    assert "row 6, column &#34;Owner email&#34;: no coalition member has the email nobody@example.com" in page
    assert "Confirm import" not in page
    assert [i[:2] for i in _initiatives(home.id)] == [("INIT-1", "Keep me")]


def test_dutch_notation_free_column_order_and_unknown_columns_listed(client):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1", title="Old", one_off_cost="1.00")
    client.post("/account/language", data={"locale": "nl"})
    content = (b"Eenmalige kosten;Ref;Einddatum;Kleur\n"
               b'"12.500,50";INIT-1;31-3-2027;blauw\n')
    preview = _import(client, "home", "nl.csv", content)
    assert preview.status_code == 200
    assert "Kleur" in preview.get_data(as_text=True)
    assert _import(client, "home", "nl.csv", content, confirm=True).status_code == 302
    db.session.expire_all()
    initiative = db.session.scalar(select(Initiative))
    assert initiative.title == "Old"  # a column that is not in the file stays as it was
    assert (initiative.one_off_cost, initiative.due_date) == (Decimal("12500.50"), date(2027, 3, 31))


def test_the_cli_checks_dry_runs_and_imports(app, runner, tmp_path):
    OrganisationFactory(slug="home")
    good = tmp_path / "good.csv"
    good.write_text("Title,Readiness question,One-off cost\nNew thing,know_roles,\"1,250.00\"\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("Title,Readiness question,Due date\nX,know_roles,31 febr\nY,nope,\n", encoding="utf-8")
    dry = runner.invoke(args=["import-sheet", "home", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    assert db.session.scalar(select(db.func.count()).select_from(Initiative)) == 0
    refused = runner.invoke(args=["import-sheet", "home", str(bad)])
    assert refused.exit_code == 1
    lines = refused.output.strip().splitlines()
    assert lines[0] == 'row 2, column "Due date": not a date (write it as 2027-03-31)'
    assert lines[1].startswith('row 3, column "Readiness question": not one of')
    assert runner.invoke(args=["import-sheet", "home", str(good)]).exit_code == 0
    assert db.session.scalar(select(Initiative.one_off_cost)) == Decimal("1250.00")


def test_an_admin_replaces_the_organisation_from_a_document_keeping_members_and_reports(client):
    from cxroadmap.accounts.models import Membership
    from cxroadmap.exchange.document.export import dumps, export_document
    from cxroadmap.organisations.services import organisation_by_slug
    from cxroadmap.reports.models import IssuedReport
    from tests.factories import IssuedReportFactory, JourneyStageFactory

    source, home = OrganisationFactory(slug="source", name="Source"), OrganisationFactory(slug="home")
    _seed(source)
    # A document must have a journey of at least one stage (an organisation made by a factory has none).
    JourneyStageFactory(organisation_id=source.id, name="Purchase")
    InitiativeFactory(organisation=home, ref="OLD-1", title="Goes away")
    IssuedReportFactory(organisation_id=home.id)
    document = dumps(export_document(source)).encode()
    refused = client.post("/o/home/settings/import", data={"file": (io.BytesIO(b'{"format": "cxroadmap/1"}'),
                                                                    "x.json"), "confirm": "yes"},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "organisation" in refused.get_data(as_text=True)
    assert [i[0] for i in _initiatives(home.id)] == ["OLD-1"]
    done = client.post("/o/home/settings/import", data={"file": (io.BytesIO(document), "source.json"),
                                                        "confirm": "yes"}, content_type="multipart/form-data")
    assert done.status_code == 302
    db.session.expire_all()
    home = organisation_by_slug("home")
    assert home.name == "Source" and _initiatives(home.id) == _initiatives(source.id)
    assert db.session.scalar(select(db.func.count()).select_from(IssuedReport)) == 1
    assert db.session.scalar(select(db.func.count()).select_from(Membership).where(
        Membership.organisation_id == home.id)) == 1
    assert client.get("/o/home/export.json").get_json()["initiatives"][0]["ref"] == "CX.7"


def test_the_preview_and_the_result_count_only_real_changes_and_say_what_changes(client):
    home = OrganisationFactory(slug="home")
    _seed(home)
    workbook = client.get("/o/home/export.xlsx").data
    same = _import(client, "home", "export.xlsx", workbook)
    assert same.status_code == 200
    page = same.get_data(as_text=True)
    assert "to update" not in page and "Nothing in the file changes" in page
    done = _import(client, "home", "export.xlsx", workbook, confirm=True)
    flashed = client.get("/o/home/initiatives").get_data(as_text=True)
    assert done.status_code == 302 and "0 created, 0 updated" in flashed
    before = _initiatives(home.id)

    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Ref")].value == "INIT-1":
            row[headers.index("Title")].value = "Callback within 30 minutes"
            row[headers.index("Progress")].value = 0.4  # a percentage cell
    changed = io.BytesIO()
    book.save(changed)
    preview = _import(client, "home", "export.xlsx", changed.getvalue())
    text = preview.get_data(as_text=True)
    assert "1 initiative to update" in text
    assert "Title: =Callback within the hour → Callback within 30 minutes" in text.replace("&#34;", '"')
    assert "Progress: 35 → 40" in text
    _import(client, "home", "export.xlsx", changed.getvalue(), confirm=True)
    assert "0 created, 1 updated" in client.get("/o/home/initiatives").get_data(as_text=True)
    after = _initiatives(home.id)
    assert [row for row in after if row not in before][0][:2] == ("INIT-1", "Callback within 30 minutes")


def test_a_refused_import_lists_every_problem_of_a_row_in_one_pass(client):
    OrganisationFactory(slug="home")
    content = _xlsx([
        ["Title", "Ref", "Readiness question", "Owner email", "One-off cost", "Progress", "Due date"],
        ["Stranger", "INIT-1", "know_customers", "nobody@example.com", -5, 10, None],
        ["Late", "INIT-2", "know_customers", None, -7, 10, "someday"],
    ])
    response = _import(client, "home", "plan.xlsx", content)
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#34;", '"')
    assert 'row 2, column "Owner email": no coalition member has the email nobody@example.com' in page
    assert 'row 2, column "One-off cost"' in page
    assert 'row 3, column "Due date": not a date' in page
    assert 'row 3, column "One-off cost"' in page
