"""The benefits' part of the cxroadmap/1 document and the workbook: each initiative's `benefits` with their
realised amounts (after the initiative's own keys, before its tracking), checked with their JSON paths and
written in bulk; the sheets of the initiatives with their business cases and of the benefit estimates; and the
spreadsheet import of both (sheet_import.py)."""

from cxroadmap.benefits import calc, sheet_import
from cxroadmap.benefits.models import BenefitActual, BenefitEstimate
from cxroadmap.benefits.services import actuals_of, benefits_by_initiative, check_actual, check_benefit
from cxroadmap.benefits.sheets import benefits_sheet, initiatives_sheet
from cxroadmap.decimals import decimal_text
from cxroadmap.exchangekit.parts import ExchangePart, ListSheet, SheetImport, WorkbookSheet, Writing
from cxroadmap.exchangekit.reading import Reader, plain_items, read_one, with_defaults
from cxroadmap.i18n import _l
from cxroadmap.initiatives.services import InitiativeFilter
from cxroadmap.organisations.models import Organisation
from cxroadmap.validation import tidy

BENEFIT = {"kind": ("text", True), "description": ("text", False), "volume": ("decimal", False),
           "rate": ("decimal", False), "unit_value": ("decimal", False), "annual_amount": ("decimal", False),
           "confidence": ("decimal", True), "starts_on": ("date", False), "ramp_months": ("integer", True)}
ACTUAL = {"month": ("date", True), "amount": ("decimal", True), "note": ("text", False)}


def _day(value):
    return value.isoformat() if value else None


def benefit_keys(_organisation: Organisation, initiatives: list) -> dict[int, dict]:
    """Each initiative's `benefits`, each with its realised amounts, in two queries."""
    benefits = benefits_by_initiative(initiatives)
    actuals = actuals_of([benefit for items in benefits.values() for benefit in items])
    return {initiative.id: {"benefits": [
        {"kind": b.kind, "description": b.description, "volume": decimal_text(b.volume),
         "rate": decimal_text(b.rate), "unit_value": decimal_text(b.unit_value, 2),
         "annual_amount": decimal_text(b.annual_amount, 2), "confidence": decimal_text(b.confidence),
         "starts_on": _day(b.starts_on), "ramp_months": b.ramp_months,
         "actuals": [{"month": _day(a.month), "amount": decimal_text(a.amount, 2), "note": a.note}
                     for a in actuals[b.id]]}
        for b in benefits[initiative.id]
    ]} for initiative in initiatives}


def check_benefits(reader: Reader, document: dict, known: dict) -> dict:
    """Every initiative's benefit estimates and their realised amounts, by the initiative's position, with the
    references of the initiatives read (known["initiatives"])."""
    items = document.get("initiatives")
    benefits, actuals = [], []
    for index, item in enumerate(items if isinstance(items, list) else []):
        path = f"initiatives[{index}]"
        if not isinstance(item, dict):
            benefits.append([])
            actuals.append({})
            continue
        benefits.append([read_one(reader, benefit, f"{path}.benefits[{n}]", BENEFIT, check_benefit)
                         for n, benefit in enumerate(reader.items(item, "benefits", f"{path}."))])
        its_actuals = {}
        for number, benefit in enumerate(item.get("benefits") or []):
            found = plain_items(reader, benefit, "actuals", f"{path}.benefits[{number}]", ACTUAL)
            if found:
                its_actuals[number] = [with_defaults(values) for _, _, values in found]
        actuals.append(its_actuals)
    refs = [initiative and initiative["ref"] for initiative in known["initiatives"]]
    return {"benefits": benefits, "actuals": actuals, "refs": refs}


def _benefit_row(initiative_id: int, benefit: dict) -> dict:
    row = {"initiative_id": initiative_id, **benefit}
    if row["volume"] is not None:
        row["annual_amount"] = calc.annual_amount_from_drivers(row["volume"], row["rate"], row["unit_value"])
    return row


def write_benefits(_organisation: Organisation, plan: dict, writing: Writing) -> dict:
    """The benefit estimates, then their realised amounts (one in the future refused: DomainError; a later
    amount for the same month replacing an earlier one, as recording it does)."""
    rows, places = [], []
    for index, (ref, benefits) in enumerate(zip(plan["refs"], plan["benefits"], strict=True)):
        for number, benefit in enumerate(benefits):
            rows.append(_benefit_row(writing.initiative_ids[ref], benefit))
            places.append((index, number))
    benefit_ids = dict(zip(places, writing.insert(BenefitEstimate, rows), strict=True))
    actuals = {}
    for index, its_actuals in enumerate(plan["actuals"]):
        for number, listed in its_actuals.items():
            for actual in listed:
                check_actual(actual["month"], actual["amount"], actual["note"])
                benefit_id, month = benefit_ids[(index, number)], actual["month"].replace(day=1)
                actuals[(benefit_id, month)] = {"benefit_id": benefit_id, "month": month,
                                                "amount": actual["amount"], "note": tidy(actual["note"])}
    writing.insert(BenefitActual, list(actuals.values()))
    return {"realised_amounts": len(actuals)}


def _everything() -> InitiativeFilter:
    """The workbook's initiatives: archived ones too."""
    return InitiativeFilter(archive="all")


# Each initiative's benefits come right after its own keys (order 0) and before its tracking (2); in the workbook
# the initiatives with their business cases and the benefits are the first sheets.
PART = ExchangePart(
    order=1, export=lambda _organisation, _answers: {}, check=check_benefits, write=write_benefits,
    initiatives=benefit_keys,
    sheets=(WorkbookSheet(10, lambda organisation, scope: initiatives_sheet(
                organisation, _everything(), scope.horizon_years, scope.on)),
            WorkbookSheet(20, lambda organisation, _scope: benefits_sheet(organisation, _everything()))),
    list_sheets=(ListSheet("initiatives", _l("Initiatives with business cases"), initiatives_sheet),
                 ListSheet("benefits", _l("Benefit estimates"),
                           lambda organisation, wanted, _years, _on: benefits_sheet(organisation, wanted))),
    sheet_import=SheetImport(sheet_import.check_sheet, sheet_import.write_sheet, sheet_import.preview,
                             sheet_import.summary))
