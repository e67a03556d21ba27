"""The demo organisation's surveys: a relationship NPS feeding NPS-REL and a CES at its moment of truth ("the part
is on site before 10:00"), each live with a year of believable answers (seeded, so every demo is the same)."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert

from cxroadmap.audit.services import summarised
from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.models import Kpi
from cxroadmap.measures.services import create_kpi
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.models import SurveyAnswer, SurveyTheme
from cxroadmap.surveys.services import create_survey, set_state
from cxroadmap.surveys.settling import refresh_period

RATED = ("order-desk", "on-site-before-10", "right-part", "invoice")
# How each rated touchpoint goes with the recommendation score, and how well it does: (weight, mean rating). Being on
# site before 10:00 moves the score most and does worst, so the survey's driver analysis names it to fix first.
RATING_PATTERN = {"order-desk": (0.35, 5.6), "on-site-before-10": (1.0, 4.1), "right-part": (0.55, 5.2),
                  "invoice": (0.2, 5.8)}
CHANNELS = ("delivery-note", "invoice", "email")
COMMENTS = {
    "low": [("en", "The part came after lunch; the mechanic stood waiting all morning."),
            ("nl", "Het onderdeel kwam pas na de lunch; de monteur stond de hele ochtend te wachten."),
            ("en", "Nobody told us it would be late. We found out when we called."),
            ("nl", "Factuur klopte weer niet met de offerte."),
            ("en", "Wrong part twice this month, and the return took a week.")],
    "middle": [("en", "Usually fine, but the order desk is hard to reach before 8."),
               ("nl", "Prima levering, maar de track-and-trace loopt achter."),
               ("en", "Good parts, prices a bit high compared with the webshop."),
               ("nl", "Meestal op tijd. Soms een verkeerde bon erbij.")],
    "high": [("en", "On site at 9:15 as promised. That is why we order here."),
             ("nl", "Altijd voor tienen binnen, en de chauffeur denkt mee."),
             ("en", "They called before we noticed the delay and sent a replacement."),
             ("nl", "Snel, correct en vriendelijk aan de telefoon."),
             ("en", "The right part first time, every time.")],
}


# The demo organisation's comment themes: (English name, Dutch name, English keywords, Dutch keywords).
THEMES = (
    ("Late delivery", "Te late levering", ["late", "after lunch", "delay", "waiting"],
     ["te laat", "na de lunch", "wachten", "vertraging"]),
    ("Wrong part", "Verkeerd onderdeel", ["wrong part", "return"], ["verkeerd", "retour"]),
    ("Invoices", "Facturen", ["invoice", "price*", "quote"], ["factu*", "offerte", "prijs"]),
    ("On time", "Op tijd", ["on site", "as promised", "first time"], ["op tijd", "voor tienen"]),
)

EFFORT_TEXTS = {
    "expectation": {"en": "Before: how much did it matter that the part was on site before 10:00?",
                    "nl": "Vooraf: hoe belangrijk was het dat het onderdeel vóór 10:00 op de werkplaats was?"},
    "perception": {"en": "After: how well did we keep that promise this time?",
                   "nl": "Achteraf: hoe goed hielden we die belofte deze keer?"},
}


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(12):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _moment(rng: random.Random, day: date, today: date) -> datetime:
    hour = rng.randint(7, 17) if day < today else min(rng.randint(7, 17), max(datetime.now(UTC).hour - 1, 0))
    return datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=UTC)


def _days(rng: random.Random, month: date, today: date, count: int) -> list[date]:
    following = calc.period_bounds("month", month)[1]
    last = min(following - timedelta(days=1), today)
    span = (last - month).days
    return sorted(month + timedelta(days=rng.randint(0, span)) for _ in range(count))


def _comment(rng: random.Random, band: str, share: float) -> tuple[str, str]:
    if rng.random() > share:
        return rng.choice(("en", "nl")), ""
    return rng.choice(COMMENTS[band])


def _nps_scores(rng: random.Random, progress: float, count: int) -> list[int]:
    """A month's NPS answers in the shares the trend asks for (give or take a little): a believable line from
    about 11 to 17, not the ±16 points a fully random hundred answers would swing by."""
    detractors = round(count * (0.27 - 0.03 * progress + rng.uniform(-0.015, 0.015)))
    promoters = round(count * (0.38 + 0.03 * progress + rng.uniform(-0.015, 0.015)))
    scores = ([rng.choice((2, 3, 4, 5, 5, 6, 6, 6)) for _ in range(detractors)]
              + [rng.choice((9, 9, 10)) for _ in range(promoters)]
              + [rng.choice((7, 8, 8)) for _ in range(count - detractors - promoters)])
    rng.shuffle(scores)
    return scores


def _clip(value: float) -> int:
    return max(1, min(7, round(value)))


def _answer(survey, version, when: datetime, score: int, band: str, rng: random.Random, **extra) -> dict:
    language, comment = _comment(rng, band, 0.3)
    row = {"organisation_id": survey.organisation_id, "survey_id": survey.id, "version_id": version.id,
           "answered_at": when, "answered_on": when.date(), "score": score, "comment": comment,
           "language": language, "ratings": {}, "hidden": {"channel": rng.choice(CHANNELS),
                                                           "order": f"SO-{rng.randint(240000, 259999)}"},
           "expectation": None, "perception": None, "contact_name": None, "contact_email": None,
           "contact_phone": None, **extra}
    if band == "low" and rng.random() < 0.35:
        number = rng.randint(1, 400)
        row.update(contact_name=f"Customer {number}", contact_email=f"customer{number}@example.com")
    return row


def seed_themes(organisation) -> None:
    """The themes the demo organisation listens for in its comments."""
    db.session.add_all(SurveyTheme(organisation_id=organisation.id, name_en=name_en, name_nl=name_nl,
                                   keywords_en=keywords_en, keywords_nl=keywords_nl)
                       for name_en, name_nl, keywords_en, keywords_nl in THEMES)


def seed_surveys(organisation, today) -> None:
    """Two live surveys with about 2,400 answers over the last twelve months; the KPI readings and touchpoint
    scores of each month worked out from them, as the answer page does it."""
    today = today if isinstance(today, date) else today.date()
    rng = random.Random(23)
    touchpoints = {t.key: t for t in db.session.scalars(Touchpoint.scoped_to(organisation))}
    moment = touchpoints.get("on-site-before-10")
    nps_kpi = db.session.scalar(Kpi.scoped_to(organisation).where(Kpi.code == "NPS-REL"))
    relationship = create_survey(
        organisation, title="How likely are you to recommend Van Dijk?",
        title_nl="Hoe waarschijnlijk is het dat u Van Dijk aanbeveelt?", touchpoint=None, measure="nps",
        kpi=nps_kpi, period="month", asks_gap=False, rated=[touchpoints[k] for k in RATED if k in touchpoints],
        asks_contact=True, texts=None)
    effort = create_survey(
        organisation, title="Your part this morning", title_nl="Uw onderdeel vanochtend", touchpoint=moment,
        measure="ces",
        kpi=create_kpi(organisation, code="CES-DEL", name="Effort to get the part on site before 10:00",
                       kind="x_data", measure="ces", unit="", direction="up", baseline_value=Decimal("4.6"),
                       baseline_on=today - timedelta(days=365), target_value=Decimal("5.8"),
                       target_on=today + timedelta(days=180), owner=None, touchpoint=moment),
        period="month", asks_gap=moment is not None, rated=[], asks_contact=True, texts=EFFORT_TEXTS)
    for survey in (relationship, effort):
        set_state(survey, "live")
    rows = []
    months = _months(today)
    for index, month in enumerate(months):
        progress = index / (len(months) - 1)
        days = _days(rng, month, today, 90 + rng.randint(0, 25))
        for day, score in zip(days, _nps_scores(rng, progress, len(days)), strict=True):
            band = "low" if score <= 6 else "middle" if score <= 8 else "high"
            ratings = {str(touchpoints[k].id): _clip(RATING_PATTERN[k][1] + RATING_PATTERN[k][0] * (score - 7) * 0.6
                                                     + rng.gauss(0, 0.8)) for k in RATED
                       if k in touchpoints and rng.random() < 0.8}
            rows.append(_answer(relationship, relationship.current, _moment(rng, day, today), score, band, rng,
                                ratings=ratings))
        for day in _days(rng, month, today, 110 + rng.randint(0, 40)):
            perception = _clip(rng.gauss(4.2 + 1.0 * progress, 1.3))
            score = _clip(perception + rng.gauss(0.3, 0.8))
            band = "low" if score <= 3 else "middle" if score <= 5 else "high"
            rows.append(_answer(effort, effort.current, _moment(rng, day, today), score, band, rng,
                                expectation=_clip(rng.gauss(6.7, 0.5)), perception=perception))
    with summarised():
        db.session.execute(insert(SurveyAnswer), rows)
        for survey in (relationship, effort):
            days = [row["answered_on"] for row in rows if row["survey_id"] == survey.id]
            if days:
                tally.recount(survey.id, min(days), max(days))
            for month in months:
                refresh_period(survey, month)
    seed_themes(organisation)
    db.session.flush()
