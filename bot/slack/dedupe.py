"""Once-only bookkeeping for Slack: events already handled and early-warning alerts already sent.

Slack retries an event it thinks we missed (X-Slack-Retry-Num), and the monitor runs again and
again over the same book; a primary-key insert makes "first time?" atomic across processes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, delete


class SlackEventSeen(SQLModel, table=True):
    __tablename__ = "slack_events_seen"

    event_key: str = Field(primary_key=True, max_length=200)
    seen_at: dt.datetime


class SlackAlertSent(SQLModel, table=True):
    __tablename__ = "slack_alerts_sent"

    alert_key: str = Field(primary_key=True, max_length=200)
    client_id: int = Field(index=True)
    indicator: str = Field(max_length=64)
    level: str = Field(max_length=16)
    sent_at: dt.datetime


def _insert_once(engine: Engine, row: SQLModel) -> bool:
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
    except IntegrityError:
        return False
    return True


def first_sighting(engine: Engine, *keys: str) -> bool:
    """Record the event keys; True only when none of them was seen before."""
    now = dt.datetime.now(dt.UTC)
    fresh = [_insert_once(engine, SlackEventSeen(event_key=key[:200], seen_at=now)) for key in keys]
    return all(fresh)


def forget_events_before(engine: Engine, cutoff: dt.datetime) -> None:
    """Drop event keys older than any retry Slack still sends (it gives up within the hour)."""
    with Session(engine) as session:
        session.exec(delete(SlackEventSeen).where(SlackEventSeen.seen_at < cutoff))  # type: ignore[call-overload]
        session.commit()


def alert_key(client_id: int, indicator: str, level: str, warning_date: dt.date | None) -> str:
    return f"{client_id}:{indicator}:{level}:{warning_date.isoformat() if warning_date else '-'}"


def claim_alert(
    engine: Engine, *, client_id: int, indicator: str, level: str, warning_date: dt.date | None
) -> bool:
    """Claim the right to send this alert; False when it was already sent."""
    row = SlackAlertSent(
        alert_key=alert_key(client_id, indicator, level, warning_date),
        client_id=client_id,
        indicator=indicator,
        level=level,
        sent_at=dt.datetime.now(dt.UTC),
    )
    return _insert_once(engine, row)


def release_alert(
    engine: Engine, *, client_id: int, indicator: str, level: str, warning_date: dt.date | None
) -> None:
    """Give a claim back (the alert could not be delivered), so the next run tries again."""
    with Session(engine) as session:
        key = alert_key(client_id, indicator, level, warning_date)
        session.exec(delete(SlackAlertSent).where(SlackAlertSent.alert_key == key))  # type: ignore[call-overload]
        session.commit()
