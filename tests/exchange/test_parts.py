"""The document is assembled from the areas' parts: each part, an area's further ones too (`also`), has its own
place, and each initiative's keys come in the parts' order whatever order the areas were loaded in."""

from cxroadmap.exchange.document.export import export_document
from cxroadmap.exchange.parts import exchange_parts, list_filter, list_sheets, own_sheets, sheet_import
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory


def test_every_part_has_its_own_place_in_the_document(app_context):
    parts = exchange_parts()
    orders = [part.order for part in parts]
    assert len(set(orders)) == len(orders), "two parts of the same order: the key order would be the load order"
    assert orders == sorted(orders)
    assert [part.order for part in parts if part.lists_initiatives is not None] == [0]
    assert sheet_import() is not None and list_filter().page == "initiatives.index"
    assert set(list_sheets()) == {"initiatives", "benefits", "status-updates", "milestones"}


def test_every_sheet_downloaded_by_itself_has_its_own_address(app, app_context):
    """The addresses are made from the contributions as the exchange registers its blueprint: a sheet of an
    area loaded after the exchange would have none, and no link to it would build."""
    contributed = [*list_sheets(), *own_sheets()]
    served = {rule.rule.removeprefix("/o/<slug>/").split(".")[0]: rule.endpoint
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("sheets.") and "fmt" in rule.arguments}
    assert served == {name: f"sheets.{name.replace('-', '_')}" for name in contributed}
    assert {"decisions", "actions", "kpis", "kpi-readings", "touchpoints"} <= set(own_sheets())


def test_an_initiative_holds_its_own_keys_then_what_the_areas_add_in_order(app_context):
    organisation = OrganisationFactory()
    BenefitFactory(initiative=InitiativeFactory(organisation=organisation, ref="A-1"))
    (initiative,) = export_document(organisation)["initiatives"]
    assert list(initiative)[:3] == ["ref", "title", "description"]
    assert list(initiative)[13:] == ["archived", "benefits", "status_updates", "milestones", "waits_for",
                                     "touchpoints", "kpis"]
    assert list(initiative["benefits"][0])[-1] == "actuals"
