"""The first dashboard after a write is patched, not recomputed, and equals a full recomputation.

Expected values come from a full recomputation of the same book in a fresh container (its own engine and
caches: the whole scope assessed from the database), never from the patching code."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pytest

from api import views
from crm_adapter.demo.people import DEMO_BU_HEAD, DEMO_RM
from crm_adapter.models import ContactLog
from tests.conftest import AS_OF, actor_of, make_container
from tools.engine.aggregates import BookAggregates
from tools.engine.concentration import hhi

OFFICERS = (DEMO_BU_HEAD, DEMO_RM, "lead.north")


def _close(a: Any, b: Any, path: str = "") -> None:
    """Equal, floats to a relative 1e-12 (the aggregates are patched by differences)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{path}: {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _full(container, officer_id: str):  # type: ignore[no-untyped-def]
    fresh = make_container(container.settings.home)
    try:
        return views.dashboard(fresh, actor_of(fresh, officer_id), as_of=AS_OF).model_dump()
    finally:
        fresh.engine.dispose()


@pytest.fixture
def spied(demo_container, monkeypatch):  # type: ignore[no-untyped-def]
    """The demo container, with the sizes of the portfolio runs its engine makes recorded."""
    sizes: list[int] = []
    engine = demo_container.credit_engine
    assess = engine.assess_portfolio

    def recording(snapshot, **kw):  # type: ignore[no-untyped-def]
        sizes.append(len(snapshot.clients))
        return assess(snapshot, **kw)

    monkeypatch.setattr(engine, "assess_portfolio", recording)
    return demo_container, sizes


def _warm(container) -> None:  # type: ignore[no-untyped-def]
    for officer in OFFICERS:
        views.dashboard(container, actor_of(container, officer), as_of=AS_OF)


def _check(container, sizes: list[int], *, most: int) -> None:  # type: ignore[no-untyped-def]
    sizes.clear()
    for officer in OFFICERS:
        patched = views.dashboard(container, actor_of(container, officer), as_of=AS_OF).model_dump()
        _close(patched, _full(container, officer), officer)
    # every run after the write was a patch of a few clients, none of the whole scope
    assert sizes and max(sizes) <= most, sizes


def _largest_facility(container, client_id: int):  # type: ignore[no-untyped-def]
    open_ = [f for f in container.adapter.get_facilities(client_id) if str(f.status.value) != "closed"]
    return max(open_, key=lambda f: f.limit_amount)


def test_a_limit_change_patches_the_dashboards(spied) -> None:  # type: ignore[no-untyped-def]
    c, sizes = spied
    _warm(c)
    f = _largest_facility(c, 1001)
    c.adapter.update_limit(f.facility_id, f.limit_amount + Decimal("250000"))
    _check(c, sizes, most=40)


def test_a_limit_change_that_moves_other_clients_concentration(spied) -> None:  # type: ignore[no-untyped-def]
    """A limit large enough to move the book's shares: the group's members and the clients near a cap are
    re-assessed too (their warnings and recommendations change), and the result still equals the full one."""
    c, sizes = spied
    _warm(c)
    before = views.dashboard(c, actor_of(c, DEMO_BU_HEAD), as_of=AS_OF)
    f = _largest_facility(c, 1003)
    c.adapter.update_limit(f.facility_id, Decimal("400000000"))
    _check(c, sizes, most=len(c.adapter.snapshot(as_of=AS_OF, include={"clients"}).clients))
    after = views.dashboard(c, actor_of(c, DEMO_BU_HEAD), as_of=AS_OF)
    assert after.summary.concentration_breaches != before.summary.concentration_breaches
    # the patched aggregates are the whole book's
    book = c.credit_engine._book_for(AS_OF, fresh=True)
    full = BookAggregates.of(book, hhi=hhi(book), as_of=AS_OF, data_version=0, policy_hash="")
    agg = c.credit_engine.book_aggregates(AS_OF)
    assert math.isclose(agg.total, full.total, rel_tol=1e-12)
    for dim, s in full.sums.items():
        assert list(agg.sums[dim].index) == list(s.index), dim
        for x, y in zip(agg.sums[dim].to_numpy(), s.to_numpy(), strict=True):
            assert math.isclose(x, y, rel_tol=1e-12), dim
    for dim, v in full.hhi.items():
        assert math.isclose(agg.hhi[dim], v, rel_tol=1e-9), dim


def test_a_contact_and_a_review_patch_only_their_client(spied) -> None:  # type: ignore[no-untyped-def]
    c, sizes = spied
    _warm(c)
    c.adapter.add_contact(ContactLog(contact_id="t-inc-1", client_id=1004, contact_date=AS_OF, kind="call",
                                     officer_id=DEMO_RM, next_contact_date=AS_OF + dt.timedelta(days=3)))  # fmt: skip
    c.review_runs.record_review(1005, AS_OF, DEMO_RM)
    _check(c, sizes, most=2)


def test_a_whole_book_write_recomputes(spied) -> None:  # type: ignore[no-untyped-def]
    c, sizes = spied
    _warm(c)
    c.adapter.changes.bump()  # e.g. an import: anything may have changed
    sizes.clear()
    views.dashboard(c, actor_of(c, DEMO_BU_HEAD), as_of=AS_OF)
    assert sizes == [len(c.adapter.snapshot(as_of=AS_OF, include={"clients"}).clients)]
