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
from tools.dashboard import cache
from tools.dashboard.scope import DashboardScope
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
    """The demo container, with the sizes of the portfolio runs its engine makes recorded, and each patch's
    outcome (a dashboard, None for "recompute", or the exception) in `sizes.patches`."""
    sizes = _Sizes()
    engine = demo_container.credit_engine
    assess = engine.assess_portfolio

    def recording(snapshot, **kw):  # type: ignore[no-untyped-def]
        sizes.append(len(snapshot.clients))
        return assess(snapshot, **kw)

    def patching(*a, **kw):  # type: ignore[no-untyped-def]
        try:
            out = patch(*a, **kw)
        except Exception as exc:
            sizes.patches.append(exc)
            raise
        sizes.patches.append(out)
        return out

    patch = cache.patched
    monkeypatch.setattr(engine, "assess_portfolio", recording)
    monkeypatch.setattr(cache, "patched", patching)
    return demo_container, sizes


class _Sizes(list[int]):
    patches: list[object]

    def __init__(self) -> None:
        super().__init__()
        self.patches = []


def _warm(container) -> None:  # type: ignore[no-untyped-def]
    for officer in OFFICERS:
        views.dashboard(container, actor_of(container, officer), as_of=AS_OF)


def _check(container, sizes: _Sizes, *, most: int) -> None:  # type: ignore[no-untyped-def]
    sizes.clear()
    sizes.patches.clear()
    for officer in OFFICERS:
        patched = views.dashboard(container, actor_of(container, officer), as_of=AS_OF).model_dump()
        _close(patched, _full(container, officer), officer)
    # every run after the write was a patch of a few clients, none of the whole scope
    assert sizes and max(sizes) <= most, sizes
    # every dashboard was patched (none fell back to a recomputation: the sizes alone cannot tell when
    # `most` is the whole book)
    assert len(sizes.patches) == len(OFFICERS), sizes.patches
    assert all(isinstance(p, DashboardScope) for p in sizes.patches), sizes.patches


def _largest_facility(container, client_id: int):  # type: ignore[no-untyped-def]
    open_ = [f for f in container.adapter.get_facilities(client_id) if str(f.status.value) != "closed"]
    return max(open_, key=lambda f: f.limit_amount)


def test_a_limit_change_patches_the_dashboards(spied) -> None:  # type: ignore[no-untyped-def]
    c, sizes = spied
    _warm(c)
    handed_out = views.dashboard(c, actor_of(c, DEMO_BU_HEAD), as_of=AS_OF)
    before = handed_out.model_dump()
    f = _largest_facility(c, 1001)
    c.adapter.update_limit(f.facility_id, f.limit_amount + Decimal("250000"))
    _check(c, sizes, most=40)
    # the patch changed its own lists, not those of the dashboard handed out before the write
    assert handed_out.model_dump() == before
    assert views.dashboard(c, actor_of(c, DEMO_BU_HEAD), as_of=AS_OF).model_dump() != before


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


def _facility(container, facility_id: str):  # type: ignore[no-untyped-def]
    client_id = int(facility_id.split("-")[1])
    return next(f for f in container.adapter.get_facilities(client_id) if f.facility_id == facility_id)


def _lists(container, officer_id: str = DEMO_BU_HEAD) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    d = _full(container, officer_id)
    return {k: [x["client_id"] for x in d[k]] for k in ("watchlist", "reviews", "contacts")}


def test_ties_and_clients_moving_in_and_out_of_the_lists(spied) -> None:  # type: ignore[no-untyped-def]
    """The lists after writes that tie two clients on the watch-list's sort key (the client id breaks the
    tie), take a client onto the watch-list and off it again, and take clients off the reviews and the
    contacts due: each patched dashboard equals the full one (expected: a fresh container's)."""
    c, sizes = spied
    _warm(c)
    # 1001 (red, 240k + 250k) to 950k, the total of 1004 (red, one facility of 950k; both USD, both rm.anna's)
    base_1001 = _facility(c, "F-1001-2").limit_amount
    c.adapter.update_limit("F-1001-2", Decimal("710000"))
    _check(c, sizes, most=40)
    full = _full(c, DEMO_BU_HEAD)["watchlist"]
    at = [i for i, w in enumerate(full) if w["client_id"] in (1001, 1004)]
    assert at == [at[0], at[0] + 1] and full[at[0]]["client_id"] == 1001  # a tie, broken by client id
    assert (
        full[at[0]]["exposure"] == full[at[1]]["exposure"]
        and full[at[0]]["ews_level"] == full[at[1]]["ews_level"]
    )
    # 1005 (not on the watch-list) cut far below what it draws: a warning puts it on the list
    base_1005 = _facility(c, "F-1005-1").limit_amount
    assert 1005 not in _lists(c)["watchlist"]
    c.adapter.update_limit("F-1005-1", Decimal("1000"))
    book = len(c.adapter.snapshot(as_of=AS_OF, include={"clients"}).clients)
    _check(c, sizes, most=book)  # 1.25M off the book: its denominators moved, more clients re-assessed
    assert 1005 in _lists(c)["watchlist"]
    # 1004 reviewed (off the reviews due) and 1003 contacted with the next contact in two months
    assert 1004 in _lists(c)["reviews"] and 1003 in _lists(c)["contacts"]
    c.review_runs.record_review(1004, AS_OF, DEMO_RM)
    c.adapter.add_contact(ContactLog(contact_id="t-inc-2", client_id=1003, contact_date=AS_OF, kind="visit",
                                     officer_id=DEMO_RM, next_contact_date=AS_OF + dt.timedelta(days=60)))  # fmt: skip
    _check(c, sizes, most=40)
    after = _lists(c)
    assert 1004 not in after["reviews"] and 1003 not in after["contacts"]
    # both limits back: 1005 off the watch-list, the tie gone
    c.adapter.update_limit("F-1005-1", base_1005)
    c.adapter.update_limit("F-1001-2", base_1001)
    _check(c, sizes, most=book)
    assert 1005 not in _lists(c)["watchlist"]
