"""The early-warning monitor: new red/amber warnings go to the owning officer and the risk channel,
once per warning (client, indicator, level, date) however often the monitor runs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

from bot.slack.dedupe import claim_alert, release_alert
from crm_adapter.enums import Role
from crm_adapter.models import Client, Officer
from tools.actor import Actor

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

    With `baseline`, today's warnings are recorded as known without sending anything: run it once when
    alerts are switched on, so officers get what is new from then on rather than the whole backlog.
    """
    as_of = as_of or container.today()
    sink = notifier or container.notifier
    items = container.credit_engine.watchlist(MONITOR, as_of=as_of, limit=WHOLE_BOOK)
    sent = repeats = 0
    for item in items:
        warnings = [w for w in item.warnings if w.level in ALERT_LEVELS]
        if not warnings:
            continue
        client = container.adapter.get_client(item.client_id)
        officer = container.adapter.get_officer(item.officer_id)
        for warning in warnings:
            key = {"client_id": item.client_id, "indicator": warning.indicator, "level": warning.level}
            if not claim_alert(container.engine, **key, warning_date=warning.date):
                repeats += 1
                continue
            if baseline:
                sent += 1
                continue
            try:
                if officer is not None:
                    sink.warning_raised(client, warning, officer)
            except Exception:
                release_alert(container.engine, **key, warning_date=warning.date)
                raise
            sent += 1
    return MonitorResult(
        as_of=as_of, clients_on_watch=len(items), sent=sent, already_sent=repeats, baseline=baseline
    )
