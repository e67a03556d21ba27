from datetime import date

from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from tests.factories import InitiativeFactory, MemberFactory, OrganisationFactory
from tests.helpers import field_error, page_text

FORM = {"ref": "", "title": "Proactive delay calls", "description": "Call before they chase.",
        "readiness_question": "know_experience", "owner": "", "status": "approved", "health": "green",
        "progress": "0", "start_date": "2026-01-01", "due_date": "2026-06-30", "target_stage": "operationalise",
        "one_off_cost": "€ 12.500,00", "annual_running_cost": "1,200"}


def test_create_an_initiative_through_the_form(client):
    organisation = OrganisationFactory()
    owner = MemberFactory(organisation=organisation, name="Fatima")
    response = client.post(f"/o/{organisation.slug}/initiatives/new", data={**FORM, "owner": str(owner.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/initiatives/INIT-1")
    initiative = db.session.scalar(db.select(Initiative))
    assert (str(initiative.one_off_cost), str(initiative.annual_running_cost)) == ("12500.00", "1200.00")
    text = page_text(client.get(f"/o/{organisation.slug}/initiatives/INIT-1"))
    assert "Proactive delay calls" in text and "Fatima" in text and "€12,500" in text


def test_invalid_initiative_form_keeps_the_input_and_writes_nothing(client):
    organisation = OrganisationFactory()
    response = client.post(f"/o/{organisation.slug}/initiatives/new",
                           data={**FORM, "due_date": "2025-01-01", "progress": "lots", "one_off_cost": "a lot"})
    assert response.status_code == 422
    assert field_error(response, "progress")
    assert "Enter a number" in field_error(response, "one_off_cost")
    assert 'value="a lot"' in response.get_data(as_text=True)
    response = client.post(f"/o/{organisation.slug}/initiatives/new", data={**FORM, "due_date": "2025-01-01"})
    assert field_error(response, "due_date") == "The due date cannot be before the start date."
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0


def test_an_owner_from_another_organisation_is_not_a_choice(client):
    organisation = OrganisationFactory()
    stranger = MemberFactory(organisation=OrganisationFactory())
    response = client.post(f"/o/{organisation.slug}/initiatives/new", data={**FORM, "owner": str(stranger.id)})
    assert response.status_code == 422
    assert field_error(response, "owner") == "Not a valid choice."


def test_edit_archive_and_restore(client):
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-7", title="Old title")
    base = f"/o/{organisation.slug}/initiatives/INIT-7"
    assert client.post(f"{base}/edit", data={**FORM, "ref": "INIT-7", "title": "New title"}).status_code == 302
    assert client.post(f"{base}/archive").status_code == 302
    assert "This initiative is archived" in page_text(client.get(base))
    assert "New title" not in page_text(client.get(f"/o/{organisation.slug}/initiatives"))
    assert "New title" in page_text(client.get(f"/o/{organisation.slug}/initiatives?archive=archived"))
    assert client.post(f"{base}/restore").status_code == 302
    assert "New title" in page_text(client.get(f"/o/{organisation.slug}/initiatives"))


def test_archiving_needs_a_post(client):
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    assert client.get(f"/o/{organisation.slug}/initiatives/INIT-1/archive").status_code == 405


def test_list_filters_sorts_and_paginates(client, app):
    organisation = OrganisationFactory()
    ann = MemberFactory(organisation=organisation, name="Ann")
    for n in range(1, 31):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Item {n:02d}",
                          health="red" if n % 10 == 0 else "green", owner_id=ann.id if n <= 3 else None,
                          readiness_question="know_roles" if n % 2 else "know_customers",
                          due_date=date(2026, 1, n % 28 + 1))
    base = f"/o/{organisation.slug}/initiatives"
    first = page_text(client.get(base))
    assert "30 initiatives, page 1 of 2" in first
    assert "INIT-9 " in first and "INIT-10 " in first and "INIT-26 " not in first  # natural order of refs
    assert "INIT-26 " in page_text(client.get(f"{base}?page=2"))
    red = page_text(client.get(f"{base}?health=red"))
    assert "3 initiatives" in red and "INIT-20 " in red and "INIT-21 " not in red
    assert "3 initiatives" in page_text(client.get(f"{base}?owner={ann.id}"))
    assert "15 initiatives" in page_text(client.get(f"{base}?question=know_roles"))
    assert "1 initiative " in page_text(client.get(f"{base}?q=item+07"))
    assert "No initiatives match" in page_text(client.get(f"{base}?q=nothing+like+this"))
    descending = page_text(client.get(f"{base}?sort=title&dir=desc"))
    assert descending.index("Item 30") < descending.index("Item 29")
    # Anything typed into the URL gives a page, never an error.
    for query in ("page=abc", "page=-3", "page=999", "sort=<script>", "owner=x", "health=ultraviolet", "q=%25_%5C"):
        assert client.get(f"{base}?{query}").status_code == 200


def test_list_queries_do_not_grow_with_the_number_of_initiatives(client, count_queries):
    def queries_for(total):
        organisation = OrganisationFactory()
        for n in range(total):
            owner = MemberFactory(organisation=organisation)  # a different owner on every row
            InitiativeFactory(organisation=organisation, ref=f"INIT-{n + 1}", owner_id=owner.id)
        url = f"/o/{organisation.slug}/initiatives?per_page=ignored"
        with count_queries:
            response = client.get(url)
        assert response.status_code == 200
        return count_queries.statements

    few, many = queries_for(10), queries_for(200)
    assert len(few) == len(many), "\n".join(few + ["----"] + many)


def test_initiative_pages_of_another_organisation_are_404(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    InitiativeFactory(organisation=theirs, ref="INIT-1")
    for url in ("", "/edit"):
        assert client.get(f"/o/{mine.slug}/initiatives/INIT-1{url}").status_code == 404
    assert client.post(f"/o/{mine.slug}/initiatives/INIT-1/archive").status_code == 404
    assert client.get(f"/o/{theirs.slug}/initiatives/INIT-1").status_code == 200


def test_the_next_page_of_the_list_keeps_its_filters_and_order(client):
    organisation = OrganisationFactory()
    for n in range(1, 31):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Item {n:02d}", health="amber")
    InitiativeFactory(organisation=organisation, ref="INIT-31", title="Item 31", health="green")
    base = f"/o/{organisation.slug}/initiatives"
    first = client.get(f"{base}?health=amber&sort=title&dir=desc").get_data(as_text=True)
    assert f'href="{base}?dir=desc&amp;health=amber&amp;sort=title&amp;page=2"' in first
    second = page_text(client.get(f"{base}?dir=desc&health=amber&page=2&sort=title"))
    assert "30 initiatives, page 2 of 2" in second and "Item 01" in second and "Item 31" not in second


def test_the_list_is_sorted_once_for_each_version_of_the_data(client, count_queries):
    """A view of a list seen before (its filter, its order) reads only its page's rows: it neither counts nor sorts
    the initiatives again. A change by anyone shows on the next view, in the count and the order."""
    organisation = OrganisationFactory()
    for n in range(1, 31):
        InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", title=f"Item {n:02d}",
                          health="red" if n % 2 else "green")
    url = f"/o/{organisation.slug}/initiatives?health=red&sort=title&dir=desc"
    views = []
    for _ in range(2):
        with count_queries:
            text = page_text(client.get(url))
        views.append((text, count_queries.statements))
    (first, first_asked), (second, second_asked) = views
    assert "15 initiatives" in first and first.index("Item 29") < first.index("Item 27") and second == first
    reading = [statement for statement in second_asked if "FROM initiative" in statement]
    assert len(reading) == 1 and "initiative.id IN" in reading[0], "\n".join(second_asked)
    assert len(second_asked) < len(first_asked) and not [s for s in second_asked if "count(" in s.lower()]
    changed = db.session.scalar(db.select(Initiative).where(Initiative.ref == "INIT-30"))
    changed.health, changed.title = "red", "Item 99"
    db.session.commit()
    after = page_text(client.get(url))
    assert "16 initiatives" in after and after.index("Item 99") < after.index("Item 29")
    assert "16 initiatives" in page_text(client.get(url + "&page=1"))
