"""Reading a cxroadmap/1 JSON document: every problem found before anything is written, then one write."""

import base64
import binascii
from dataclasses import dataclass, field

from cxroadmap import uploads
from cxroadmap.benefits.services import check_benefit
from cxroadmap.emails import normal_email
from cxroadmap.errors import DomainError
from cxroadmap.exchange.bulk import write_plan
from cxroadmap.exchange.export import FORMAT
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.exchange.tracking import check_governance
from cxroadmap.exchangekit.reading import Reader, note_repeats, read_fields, read_one, report_checks, with_defaults
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.services import check_initiative
from cxroadmap.organisations.logo import CleanLogo, clean_logo
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import check_organisation, slug_taken


class ImportRefused(Exception):
    """The document cannot be imported; `problems` holds one 'json.path: reason' line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

@dataclass
class Plan:
    """A checked document, ready to be written."""

    organisation: dict
    initiatives: list[tuple[dict, list[dict]]]
    governance: dict = field(default_factory=dict)  # the initiatives' optional keys: history, milestones …
    parts: dict = field(default_factory=dict)  # what each contributed part checked: ExchangePart -> its plan,
    # in the document's order
    # The optional key organisation.logo: the logo as checked, b"" for "no logo" (null), None when the document is
    # silent.
    logo: CleanLogo | bytes | None = None


ORGANISATION = {"name": ("text", True), "slug": ("text", True), "brand_promise": ("text", False),
                "currency": ("text", True), "discount_rate": ("decimal", True), "target_stage": ("text", False),
                "target_date": ("date", False), "locale": ("text", True)}
INITIATIVE = {"ref": ("text", True), "title": ("text", True), "description": ("text", False),
              "readiness_question": ("text", True), "owner_email": ("text", False), "status": ("text", True),
              "health": ("text", True), "progress": ("integer", True), "start_date": ("date", False),
              "due_date": ("date", False), "target_stage": ("text", False), "one_off_cost": ("decimal", True),
              "annual_running_cost": ("decimal", True), "archived": ("boolean", False)}
BENEFIT = {"kind": ("text", True), "description": ("text", False), "volume": ("decimal", False),
           "rate": ("decimal", False), "unit_value": ("decimal", False), "annual_amount": ("decimal", False),
           "confidence": ("decimal", True), "starts_on": ("date", False), "ramp_months": ("integer", True)}


def check_document(document, replace: bool = False) -> Plan:
    """A plan for writing the document, or ImportRefused listing every problem with its JSON path."""
    reader = Reader()
    if reader.obj(document, "(document)") is None:
        raise ImportRefused(reader.problems)
    if document.get("format") != FORMAT:
        reader.note("format", _("must be \"%(format)s\"", format=FORMAT))
        raise ImportRefused(reader.problems)
    organisation = _check_organisation(reader, document, replace)
    known = {}
    parts = {part: part.check(reader, document, known) for part in exchange_parts() if part.order < 0}
    initiatives = _check_initiatives(reader, document, known.get("emails", set()))
    governance = check_governance(reader, document, initiatives)
    known.update(refs={i["ref"] for i, _benefits in initiatives if i}, initiatives=initiatives)
    parts.update({part: part.check(reader, document, known) for part in exchange_parts() if part.order >= 0})
    logo = _check_logo(reader, document)
    if reader.problems:
        raise ImportRefused(reader.problems)
    return Plan(organisation, initiatives, governance,
                logo=logo, parts=parts)


def _check_organisation(reader: Reader, document: dict, replace: bool) -> dict | None:
    item = reader.obj(document.get("organisation"), "organisation")
    if item is None:
        return None
    organisation = read_fields(reader, item, "organisation", ORGANISATION)
    if organisation is not None:
        organisation = with_defaults(organisation)
        organisation["currency"] = organisation["currency"].upper()
        report_checks(reader, "organisation", check_organisation(organisation))
        if slug_taken(organisation["slug"]) and not replace:
            reader.note("organisation.slug", _("an organisation '%(slug)s' exists already "
                          "(import with --replace to overwrite it)", slug=organisation["slug"]))
    return organisation


def _check_logo(reader: Reader, document: dict) -> CleanLogo | bytes | None:
    """The logo the document gives, checked and re-encoded as an upload is; b"" for null, None when absent."""
    item = document.get("organisation")
    if not isinstance(item, dict) or "logo" not in item:
        return None
    if item["logo"] is None:
        return b""
    try:
        data = base64.b64decode(item["logo"], validate=True) if isinstance(item["logo"], str) else None
    except (ValueError, binascii.Error):
        data = None
    if data is None:
        reader.note("organisation.logo", _("not an image in base64"))
        return None
    try:
        return clean_logo(data)
    except DomainError as refusal:
        reader.note("organisation.logo", " ".join(refusal.errors.values()))
        return None


def _check_initiatives(reader: Reader, document: dict, emails: set[str]) -> list[tuple]:
    """Each initiative with its benefit estimates: (initiative, [benefit, …]); owners must be in the coalition."""
    initiatives = []
    for index, item in enumerate(reader.items(document, "initiatives", "")):
        path = f"initiatives[{index}]"
        initiative = read_one(reader, item, path, INITIATIVE, check_initiative,
                          prepare=lambda v: {**v, "ref": v["ref"].upper(), "archived": bool(v["archived"])})
        if initiative and initiative["owner_email"] is not None:
            initiative["owner_email"] = normal_email(initiative["owner_email"])
            if initiative["owner_email"] not in emails:
                reader.note(f"{path}.owner_email", _("is not the email of a coalition member in this document"))
        benefits = []
        if isinstance(item, dict):
            benefits = [read_one(reader, benefit, f"{path}.benefits[{n}]", BENEFIT, check_benefit)
                        for n, benefit in enumerate(reader.items(item, "benefits", f"{path}."))]
        initiatives.append((initiative, benefits))
    note_repeats(reader, "initiatives", [i and i["ref"] for i, _ in initiatives], "ref",
            _("another initiative has this reference"))
    return initiatives


def parse_text(text: str | bytes):
    """The JSON document in text (or UTF-8 bytes); ImportRefused when it is not JSON."""
    try:
        return uploads.read_json(text)
    except uploads.UploadRefused as refused:
        raise ImportRefused([f"(document): {refused}"]) from None


def import_document(document, replace: bool = False) -> Organisation:
    """Check and write a parsed document; ImportRefused (nothing written) when it has problems."""
    plan = check_document(document, replace=replace)
    organisation = write_plan(plan)
    db.session.flush()
    return organisation


def import_text(text: str | bytes, replace: bool = False) -> Organisation:
    """Check and write a document given as JSON text; ImportRefused (nothing written) when it has problems."""
    return import_document(parse_text(text), replace)
