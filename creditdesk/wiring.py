"""The application shell's wiring: builds engine, adapters, stores and services from Settings.

Lower layers never read settings; they receive what this container builds. Each component is
a cached property so a process builds it once and only when it is first needed (fast CLI start).
Add a component as a new cached property; keep each one small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from creditdesk import clock
from creditdesk.errors import Forbidden, NotFound
from creditdesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from crm_adapter.sql.store import SqlCRMAdapter
    from tools.actor import Actor


@dataclass
class Container:
    settings: Settings
    _overrides: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Container:
        return cls(settings or Settings())

    # --- time ------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.settings.as_of or clock.today()

    # --- data ------------------------------------------------------------------------------
    @cached_property
    def engine(self) -> Engine:
        from crm_adapter.sql.db import make_engine

        return make_engine(self.settings.resolved_database_url)

    def migrate(self) -> None:
        from creditdesk.migrate import upgrade

        upgrade(self.engine)

    @cached_property
    def adapter(self) -> SqlCRMAdapter:
        from crm_adapter.sql.store import SqlCRMAdapter

        return SqlCRMAdapter(self.engine, reporting_currency=self.settings.reporting_currency)

    # --- start-up ---------------------------------------------------------------------------
    def init_hooks(self) -> list[Callable[[], object]]:
        """Idempotent set-up steps run by `creditdesk init` after migrations (e.g. default policies)."""
        hooks: list[Callable[[], object]] = []
        return hooks

    def welcome_lines(self, host: str, port: int) -> list[str]:
        """What `make run` prints: where the dashboard, API docs and a demo sidebar are."""
        base = f"http://{host}:{port}"
        return [
            f"Credit Desk is serving on {base}",
            f"  API docs:  {base}/docs",
        ]

    # --- identity ----------------------------------------------------------------------------
    def actor(self, officer_id: str, *, channel: str = "cli") -> Actor:
        """The acting officer, from the officers table (authority is never taken from input)."""
        from tools.actor import Actor

        officer = self.adapter.get_officer(officer_id)
        if officer is None:
            known = ", ".join(o.officer_id for o in self.adapter.list_officers()[:8])
            raise NotFound(f"no officer '{officer_id}'" + (f" (known: {known}, …)" if known else ""))
        if not officer.active:
            raise Forbidden(f"officer '{officer_id}' is inactive")
        return Actor.from_officer(officer, channel=channel)
