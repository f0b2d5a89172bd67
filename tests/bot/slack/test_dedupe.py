"""Once-only bookkeeping: events and alerts."""

from __future__ import annotations

import datetime as dt

from bot.slack.dedupe import claim_alert, first_sighting, forget_events_before, release_alert
from creditdesk.wiring import Container


def test_an_event_is_seen_once_until_forgotten(container: Container) -> None:
    assert first_sighting(container.engine, "event:Ev1", "message:C1:1.1")
    assert not first_sighting(container.engine, "event:Ev1")
    assert not first_sighting(container.engine, "event:Ev2", "message:C1:1.1")  # the mention's DM twin
    forget_events_before(container.engine, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert first_sighting(container.engine, "event:Ev1")


def test_an_alert_is_claimed_once_per_level_and_date(container: Container) -> None:
    key = {
        "client_id": 1001,
        "indicator": "utilisation",
        "level": "amber",
        "warning_date": dt.date(2026, 11, 1),
    }
    assert claim_alert(container.engine, **key)
    assert not claim_alert(container.engine, **key)
    assert claim_alert(container.engine, **(key | {"level": "red"}))  # escalation is news
    release_alert(container.engine, **key)
    assert claim_alert(container.engine, **key)
