"""Concurrent decisions against PostgreSQL: parallel clicks produce exactly one transition and one CRM change."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from creditdesk.wiring import Container
from kernel.errors import Conflict, Forbidden
from tests.conftest import AS_OF, DEMO_CLIENTS, DEMO_SEED, make_container
from tests.tools.approvals.conftest import CLEAN_MID, count_rows, decide, raise_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_demo(pg_schema_url: str, tmp_path: Path) -> Iterator[Container]:
    from crm_adapter.demo import generate_demo

    container = make_container(tmp_path / "home", pg_schema_url)
    generate_demo(container.engine, n_clients=DEMO_CLIENTS, seed=DEMO_SEED, as_of=AS_OF)
    yield container
    container.engine.dispose()


def test_parallel_approvals_on_postgres_yield_one_outcome(pg_demo: Container) -> None:
    view = raise_for(pg_demo, CLEAN_MID, "3000000")
    outcomes: list[str] = []
    barrier = threading.Barrier(5)

    def click(who: str) -> None:
        barrier.wait()
        try:
            outcomes.append(decide(pg_demo, who, view.request_id).status)
        except (Conflict, Forbidden) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=click, args=(w,))
               for w in ("bu.head", "bu.head", "cco", "committee.1", "committee.2")]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Conflict"] * 4 + ["approved"]
    assert count_rows(pg_demo, "approval_decisions") == 1
    assert pg_demo.adapter.get_facility("F-1095-1").limit_amount == Decimal("3000000.00")
    assert pg_demo.audit.verify().ok


def test_parallel_duplicate_submissions_on_postgres_return_one_request(pg_demo: Container) -> None:
    views: list[str] = []
    barrier = threading.Barrier(3)

    def submit() -> None:
        barrier.wait()
        views.append(raise_for(pg_demo, CLEAN_MID, "3000000", key="same-key").request_id)

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(views)) == 1 and count_rows(pg_demo, "approval_requests") == 1
