"""Reading a cxroadmap/1 JSON document: every problem found before anything is written, then one write."""

import base64
import binascii
from dataclasses import dataclass, field

from cxroadmap import uploads
from cxroadmap.errors import DomainError
from cxroadmap.exchange.document.bulk import write_plan
from cxroadmap.exchange.document.export import FORMAT
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.exchangekit.reading import Reader, read_object, report_checks, with_defaults
from cxroadmap.extensions import db
from cxroadmap.i18n import _
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
    parts: dict = field(default_factory=dict)  # what each contributed part checked: ExchangePart -> its plan,
    # in the document's order
    # The optional key organisation.logo: the logo as checked, b"" for "no logo" (null), None when the document is
    # silent.
    logo: CleanLogo | bytes | None = None


ORGANISATION = {"name": ("text", True), "slug": ("text", True), "brand_promise": ("text", False),
                "currency": ("text", True), "discount_rate": ("decimal", True), "target_stage": ("text", False),
                "target_date": ("date", False), "locale": ("text", True)}


def check_document(document, replace: bool = False) -> Plan:
    """A plan for writing the document, or ImportRefused listing every problem with its JSON path."""
    reader = Reader()
    if reader.obj(document, "(document)") is None:
        raise ImportRefused(reader.problems)
    if document.get("format") != FORMAT:
        reader.note("format", _("must be \"%(format)s\"", format=FORMAT))
        raise ImportRefused(reader.problems)
    organisation = _check_organisation(reader, document, replace)
    known = {}  # what the document names, for the parts after the one that read it (see ExchangePart.check)
    parts = {part: part.check(reader, document, known) for part in exchange_parts()}
    logo = _check_logo(reader, document)
    if reader.problems:
        raise ImportRefused(reader.problems)
    return Plan(organisation, parts=parts, logo=logo)


def _check_organisation(reader: Reader, document: dict, replace: bool) -> dict | None:
    organisation = read_object(reader, document.get("organisation"), "organisation", ORGANISATION)
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
