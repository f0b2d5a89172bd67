"""Helpers over the demo book: clients chosen for clean routing (grade ≤ 5, no group, no insurance need)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from creditdesk.wiring import Container
from tests.conftest import actor_of

CLEAN_SMALL = (1024, "F-1024-1")  # rm.anna's, grade 3, limit 700,000, recommendation 1,960,000
CLEAN_MID = (1095, "F-1095-1")  # rm.anna's, grade 3, limit 1,880,000, recommendation 5,600,000
WEAK = (1001, "F-1001-1")  # ACME Holdings: grade 8, group G-ACME, insurance required
_keys = itertools.count(1)


def raise_for(container: Container, client: tuple[int, str], new_limit: Any, *, by: str = "rm.anna",
              kind: str = "increase", key: str | None = None, **kw: Any):  # type: ignore[no-untyped-def]  # fmt: skip
    return container.approvals.raise_request(
        actor_of(container, by), client_id=client[0], facility_id=client[1], kind=kind,
        new_limit=None if new_limit is None else Decimal(str(new_limit)), reason=kw.pop("reason", "new contract"),
        idempotency_key=key or f"test-{next(_keys)}", **kw,
    )  # fmt: skip


def decide(container: Container, who: str, request_id: str, decision: str = "approve", comment: str = ""):  # type: ignore[no-untyped-def]
    return container.approvals.decide(
        actor_of(container, who), request_id, decision=decision, comment=comment
    )


def count_rows(container: Container, table: str) -> int:
    from sqlalchemy import text

    with container.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
