"""Organisations: creating, changing and finding them, and loading any object scoped to one."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy import select

from cxroadmap.database import as_stored
from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import LANGUAGES, _
from cxroadmap.money import is_known_currency
from cxroadmap.organisations.logo import CleanLogo, clean_logo
from cxroadmap.organisations.models import Organisation
from cxroadmap.stages import STAGES
from cxroadmap.validation import Problems, check_line, check_text, tidy

# What a new organisation starts with, given by the areas above this one (the journey gives its stages).
_STARTERS: list[Callable[[Organisation], object]] = []


def on_new_organisation(starter: Callable[[Organisation], object]):
    """Register starter(organisation) to run for every organisation created from now on."""
    _STARTERS.append(starter)
    return starter


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 64


def slugify(text: str) -> str:
    """A URL-safe slug from a name: 'Van den Berg Onderdelen B.V.' -> 'van-den-berg-onderdelen-b-v'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "organisation"


def check_organisation(values: dict) -> Problems:
    """The problems with an organisation's settings (values already parsed into Python types)."""
    problems = Problems()
    check_line(problems, "name", values["name"], 200, required=True)
    problems.require(bool(SLUG_PATTERN.match(values["slug"])) and len(values["slug"]) <= SLUG_MAX, "slug",
                     _("Use lower-case letters, digits and single hyphens (at most 64)."))
    check_text(problems, "brand_promise", values["brand_promise"], 2000)
    problems.require(is_known_currency(values["currency"]), "currency",
                     _("Use an ISO 4217 currency code such as EUR or USD."))
    rate = as_stored(Organisation.discount_rate, values["discount_rate"])
    problems.require(isinstance(rate, Decimal) and 0 <= rate < 1, "discount_rate",
                     _("A discount rate is a share between 0 and 1, e.g. 0.08 for 8 %."))
    problems.require(values["target_stage"] is None or values["target_stage"] in STAGES, "target_stage",
                     STAGES.describe())
    problems.require(values["locale"] in LANGUAGES, "locale", _("Use en or nl."))
    problems.require(values.get("time_zone", "UTC") in time_zones(), "time_zone",
                     _("Give a time zone by its name, such as Europe/Amsterdam or UTC."))
    return problems


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names this machine knows."""
    return frozenset(available_timezones())


def _organisation_values(name, slug, brand_promise, currency, discount_rate, target_stage, target_date,
                         locale, time_zone) -> dict:
    name = tidy(name)
    return {
        "name": name,
        "slug": tidy(slug).lower() if slug else slugify(name),
        "brand_promise": tidy(brand_promise),
        "currency": tidy(currency).upper(),
        "discount_rate": as_stored(Organisation.discount_rate, discount_rate),
        "target_stage": target_stage or None,
        "target_date": target_date,
        "locale": locale,
        "time_zone": tidy(time_zone or "UTC"),
    }


def organisation_problems(fields: dict) -> Problems:
    """What would be refused in these settings, checked without the database (for a form to show all at once)."""
    return check_organisation(_organisation_values(**fields))


def slug_taken(slug: str, besides: Organisation | None = None) -> bool:
    query = select(Organisation.id).where(Organisation.slug == slug)
    if besides is not None:
        query = query.where(Organisation.id != besides.id)
    return db.session.scalar(query) is not None


def create_organisation(name: str, slug: str | None = None, brand_promise: str = "", currency: str = "EUR",
                        discount_rate: Decimal = Decimal("0.08"), target_stage: str | None = None,
                        target_date: date | None = None, locale: str = "en", time_zone: str = "UTC") -> Organisation:
    """A new organisation; the slug is made from the name when not given and must be free."""
    values = _organisation_values(name, slug, brand_promise, currency, discount_rate, target_stage,
                                  target_date, locale, time_zone)
    problems = check_organisation(values)
    problems.require(not slug_taken(values["slug"]), "slug",
                     _("The address '%(slug)s' is taken by another organisation.", slug=values["slug"]))
    problems.raise_if_any()
    organisation = Organisation(**values)
    db.session.add(organisation)
    db.session.flush()
    for starter in _STARTERS:
        starter(organisation)
    return organisation


def update_organisation(organisation: Organisation, name: str, slug: str, brand_promise: str, currency: str,
                        discount_rate: Decimal, target_stage: str | None, target_date: date | None,
                        locale: str, time_zone: str | None = None, require_two_factor: bool | None = None,
                        keep_survey_comments: bool | None = None, expected_version: int | None = None) -> Organisation:
    """Change an organisation's settings; all are checked before any is changed."""
    organisation.check_version(expected_version, _("the settings"))
    values = _organisation_values(name, slug, brand_promise, currency, discount_rate, target_stage,
                                  target_date, locale, time_zone or organisation.time_zone)
    if require_two_factor is not None:
        values["require_two_factor"] = bool(require_two_factor)
    if keep_survey_comments is not None:
        values["keep_survey_comments"] = bool(keep_survey_comments)
    problems = check_organisation(values)
    problems.require(not slug_taken(values["slug"], besides=organisation), "slug",
                     _("The address '%(slug)s' is taken by another organisation.", slug=values["slug"]))
    problems.raise_if_any()
    for key, value in values.items():
        setattr(organisation, key, value)
    db.session.flush()
    return organisation


def delete_organisation(organisation: Organisation) -> None:
    """Remove an organisation and, through the database's cascades, everything it holds."""
    db.session.execute(db.delete(Organisation).where(Organisation.id == organisation.id))
    db.session.expunge_all()


def organisation_by_slug(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotInOrganisation(_("No organisation '%(slug)s'.", slug=slug))
    return organisation


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id)))


def get_in_organisation(organisation: Organisation, model, missing: str | None = None, **criteria):
    """The one object of model in organisation that matches criteria; NotInOrganisation for any other organisation's
    (saying missing, or "No such <model> in this organisation.")."""
    query = model.scoped_to(organisation).where(*(getattr(model, k) == v for k, v in criteria.items()))
    return found_or_refuse(db.session.scalar(query), model, missing)


def found_or_refuse(found, model, missing: str | None = None):
    """What a scoped query found, or NotInOrganisation (a 404 on pages) when it found nothing."""
    if found is None:
        raise NotInOrganisation(missing or _("No such %(kind)s in this organisation.", kind=model.__name__))
    return found



def set_logo(organisation: Organisation, data: bytes | CleanLogo) -> Organisation:
    """Keep the image in data as the organisation's logo, re-encoded (organisations/logo.py), or a logo cleaned so
    already; DomainError on the field "logo", nothing changed, when it is not a PNG or JPEG within the limits."""
    logo = data if isinstance(data, CleanLogo) else clean_logo(data)
    organisation.logo_png, organisation.logo_sha256 = logo.png, logo.sha256
    organisation.logo_width, organisation.logo_height = logo.width, logo.height
    db.session.flush()
    return organisation


def remove_logo(organisation: Organisation) -> Organisation:
    """The organisation goes without a logo again."""
    organisation.logo_png = organisation.logo_sha256 = organisation.logo_width = organisation.logo_height = None
    db.session.flush()
    return organisation


def logo_of(organisation: Organisation) -> bytes | None:
    """The organisation's logo as PNG bytes, or None."""
    return organisation.logo_png if organisation.logo_sha256 else None
