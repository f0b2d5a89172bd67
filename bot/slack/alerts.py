"""The early-warning monitor: new red/amber warnings go to the owning officer and the risk channel,
once per warning (client, indicator, level, date) however often the monitor runs; one risk-channel
digest per run (its thread holds the details)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from bot.slack.dedupe import claim_alert, release_alert
from crm_adapter.enums import Role
from crm_adapter.models import Client, Officer
from tools.actor import Actor
from tools.engine.results import EarlyWarning

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container

ALERT_LEVELS = ("red", "amber")
WHOLE_BOOK = 100_000
MONITOR = Actor(
    officer_id="system:monitor", name="Credit Desk monitor", role=Role.RISK, team="risk", channel="monitor"
)


class WarningSink(Protocol):
    def warning_raised(self, client: Client, warning: object, officer: Officer) -> None: ...


class MonitorResult(BaseModel):
    as_of: dt.date
    clients_on_watch: int
    sent: int = 0
    already_sent: int
    baseline: bool = False


def run_monitor(
    container: Container,
    *,
    as_of: dt.date | None = None,
    notifier: WarningSink | None = None,
    baseline: bool = False,
) -> MonitorResult:
    """Evaluate the whole book's early warnings and notify each new red/amber one exactly once.

    A sink with `warnings_digest` (the SlackNotifier) gets the run's new warnings at once: one risk-channel
    digest and one DM per officer. With `baseline`, today's warnings are recorded as known without
    sending anything: run it once when alerts are switched on, so officers get what is new from then on
    rather than the whole backlog. If delivery fails, the run's claims are given back (the next run
    sends them).
    """
    as_of = as_of or container.today()
    sink = notifier or container.notifier
    items = container.credit_engine.watchlist(MONITOR, as_of=as_of, limit=WHOLE_BOOK)
    repeats = 0
    found: list[tuple[Client, EarlyWarning, Officer | None]] = []
    for item in items:
        warnings = [w for w in item.warnings if w.level in ALERT_LEVELS]
        if not warnings:
            continue
        client = container.adapter.get_client(item.client_id)
        officer = container.adapter.get_officer(item.officer_id)
        for warning in warnings:
            if claim_alert(container.engine, **_key(item.client_id, warning)):
                found.append((client, warning, officer))
            else:
                repeats += 1
    if not baseline and found:
        try:
            _deliver(sink, as_of, found)
        except Exception:
            for client, warning, _ in found:
                release_alert(container.engine, **_key(client.client_id, warning))
            raise
    return MonitorResult(
        as_of=as_of, clients_on_watch=len(items), sent=len(found), already_sent=repeats, baseline=baseline
    )


def _key(client_id: int, warning: EarlyWarning) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "indicator": warning.indicator,
        "level": warning.level,
        "warning_date": warning.date,
    }


def _deliver(sink: object, as_of: dt.date, found: list[tuple[Client, EarlyWarning, Officer | None]]) -> None:
    digest = getattr(sink, "warnings_digest", None)
    if callable(digest):
        digest(as_of, found)
        return
    for client, warning, officer in found:
        if officer is not None:
            sink.warning_raised(client, warning, officer)  # type: ignore[attr-defined]
