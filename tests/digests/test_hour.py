"""Digests go out at their hour in the organisation's time zone: the rule worked out by hand, then mail sent."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cxroadmap.digests.mails import Clock, send_mails
from cxroadmap.extensions import db
from cxroadmap.notifications.notify import save_settings
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import today
from tests.digests.test_digests import world
from tests.helpers import page_text

AMSTERDAM = Organisation(time_zone="Europe/Amsterdam")


def test_the_sending_day_turns_at_the_hour_in_the_organisations_time_zone():
    # Summer: Amsterdam keeps CEST, UTC+2, so 07:00 there is 05:00 UTC.
    assert Clock.of(AMSTERDAM, 7, datetime(2026, 7, 6, 4, 59, tzinfo=UTC)).sending_day.isoformat() == "2026-07-05"
    assert Clock.of(AMSTERDAM, 7, datetime(2026, 7, 6, 5, 0, tzinfo=UTC)).sending_day.isoformat() == "2026-07-06"
    # Winter: CET, UTC+1, so 07:00 there is 06:00 UTC. 5 January 2026 is a Monday, the first of ISO week 2.
    before = Clock.of(AMSTERDAM, 7, datetime(2026, 1, 5, 5, 59, tzinfo=UTC))
    at = Clock.of(AMSTERDAM, 7, datetime(2026, 1, 5, 6, 0, tzinfo=UTC))
    assert (before.period("daily"), before.period("weekly")) == ("2026-01-04", "2026-W01")
    assert (at.period("daily"), at.period("weekly")) == ("2026-01-05", "2026-W02")
    # Late in the evening in UTC it is already tomorrow in Amsterdam.
    assert Clock.of(AMSTERDAM, 0, datetime(2026, 1, 5, 23, 30, tzinfo=UTC)).today.isoformat() == "2026-01-06"


def test_a_daily_digest_waits_for_its_hour_and_then_goes_once(app, smtp):
    organisation, carla, _ = world("acme", "Acme")
    organisation.time_zone = "Europe/Amsterdam"
    save_settings(organisation, 3, digest_hour=7)
    db.session.execute(db.text("UPDATE membership SET digest = 'daily'"))
    db.session.commit()
    zone = ZoneInfo("Europe/Amsterdam")
    day = today() + timedelta(days=1)

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)

    assert send_mails(at(6, 0)) == 1  # yesterday's digest, missed: sent once
    assert send_mails(at(6, 59)) == 0  # today's is not due before 07:00 in Amsterdam
    assert at(7).hour in (5, 6)  # 07:00 in Amsterdam is 05:00 (summer) or 06:00 (winter) UTC
    assert send_mails(at(7, 0)) == 1
    assert send_mails(at(12, 0)) == 0
    assert [m["Subject"] for m in smtp.messages] == ["Acme: your digest", "Acme: your digest"]


def test_the_time_zone_is_an_organisation_setting(client):
    world("acme", "Acme")
    form = {"name": "Acme", "slug": "acme", "currency": "EUR", "discount_rate": "0.08", "locale": "en"}
    refused = client.post("/o/acme/settings", data={**form, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 422
    assert "Give a time zone by its name" in page_text(refused) and 'value="Mars/Olympus"' in refused.get_data(True)
    assert client.post("/o/acme/settings", data={**form, "time_zone": "Europe/Amsterdam"}).status_code == 302
    assert db.session.scalar(db.select(Organisation.time_zone).where(Organisation.slug == "acme")) == \
        "Europe/Amsterdam"
    assert "(Europe/Amsterdam)" in page_text(client.get("/o/acme/notifications"))
