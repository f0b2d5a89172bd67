"""The service on the demo book: single == portfolio, scope, what-if, review runs."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from tests.conftest import AS_OF, actor_of
from tools.access import OutOfScope
from tools.engine.assemble import client_assessment


@pytest.fixture
def engine(demo_container):  # type: ignore[no-untyped-def]
    return demo_container.credit_engine


def test_single_client_equals_portfolio_row(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    whole = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF))
    admin = next(
        o for o in demo_container.adapter.list_officers() if o.role.value in {"risk", "admin", "approver"}
    )
    actor = actor_of(demo_container, admin.officer_id)
    for cid in whole.snapshot.clients["client_id"].tolist()[:40]:
        alone = engine.assess_client(actor, cid, as_of=AS_OF)
        inside = client_assessment(whole, cid)
        assert alone.model_dump(mode="json") == inside.model_dump(mode="json"), cid


def test_scope_is_enforced(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    rm = actor_of(demo_container, "rm.anna")
    foreign = next(
        c for c in demo_container.adapter.list_clients()
        if demo_container.adapter.get_officer(c.officer_id).team != rm.team
    )  # fmt: skip
    with pytest.raises(OutOfScope):  # a NotFound, exactly like a missing client (issue 17)
        engine.assess_client(rm, foreign.client_id, as_of=AS_OF)
    pa = engine.portfolio_for(rm, as_of=AS_OF)
    teams = {demo_container.adapter.get_officer(o).team for o in pa.snapshot.clients["officer_id"].unique()}
    assert teams == {rm.team}


def test_views_and_what_if(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    rm = actor_of(demo_container, "rm.anna")
    assert all(w.ews_level != "green" for w in engine.watchlist(rm, as_of=AS_OF))
    engine.reviews_due(rm, as_of=AS_OF)
    engine.contacts_due(rm, as_of=AS_OF)
    report = engine.concentration_report(rm, as_of=AS_OF)
    assert sum(ln.share for ln in report.lines if ln.dimension == "industry") == pytest.approx(1.0)
    a = engine.assess_client(rm, 1001, as_of=AS_OF)
    w = engine.what_if_limit(rm, 1001, a.exposure.total_limit * 3, as_of=AS_OF)
    single = [after for _, after in w.lines if after.dimension == "single_name"][0]
    before = [b for b, _ in w.lines if b.dimension == "single_name"][0]
    assert single.share > before.share
    assert w.model_dump(mode="json")["client_id"] == 1001
    ins = engine.insurance_status(rm, 1001, as_of=AS_OF)
    assert ins.insured + ins.uninsured == ins.exposure


def test_review_runs_store_and_previous(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    earlier = AS_OF - dt.timedelta(days=90)
    pa = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=earlier))
    run_id = demo_container.review_runs.save(pa)
    assert run_id
    prev = demo_container.review_runs.previous_result(1001, before=AS_OF)
    assert prev is not None and prev.as_of == earlier and 1 <= prev.grade <= 10
    assert demo_container.review_runs.previous_result(1001, before=earlier) is None
    rm = actor_of(demo_container, "rm.anna")
    a = engine.assess_client(rm, 1001, as_of=AS_OF)
    assert a.rating.previous_grade == prev.grade and a.rating.previous_run == earlier
    demo_container.review_runs.record_review(1001, AS_OF, "rm.anna")
    a2 = engine.assess_client(rm, 1001, as_of=AS_OF)
    assert a2.review.last_review == AS_OF and a2.review.last_review_source == "recorded"
    assert Decimal(0) <= a2.rating.el <= a2.rating.ead


def test_cached_results_follow_writes_and_fresh_reads_see_other_processes(
    demo_container, engine, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_container

    anna = actor_of(demo_container, "rm.anna")

    def total(**kw) -> Decimal:  # type: ignore[no-untyped-def]
        return engine.assess_client(anna, 1003, as_of=AS_OF, **kw).exposure.total_limit

    assert total() == Decimal("360000.00")  # warms the per-client cache
    demo_container.adapter.update_limit(
        "F-1003-1", Decimal("200000")
    )  # a write through this process's adapter
    assert total() == Decimal("380000.00")
    # another process (its own adapter on the same database) bumps the shared change counter: a fresh
    # read (what decisions use) sees its write at once, a cached read once the counter is next polled
    other = make_container(demo_container.settings.home)
    other.adapter.update_limit("F-1003-2", Decimal("400000"))
    assert total(fresh=True) == Decimal("600000.00")
    other.adapter.update_limit("F-1003-2", Decimal("300000"))
    time.sleep(demo_container.adapter.changes.poll_s + 0.05)
    assert total() == Decimal("500000.00")
    other.engine.dispose()


def test_name_level_concentration_lines_show_only_the_actors_clients(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    from crm_adapter.protocol import ClientFilter
    from tools.access import scope_officer_ids

    anna = actor_of(demo_container, "rm.anna")
    everything = engine.concentration_report(actor_of(demo_container, "risk.lee"), as_of=AS_OF)
    mine = engine.concentration_report(anna, as_of=AS_OF)
    officers = scope_officer_ids(anna, demo_container.adapter)
    clients = demo_container.adapter.list_clients(ClientFilter(limit=10_000))
    own = {str(c.client_id) for c in clients if c.officer_id in officers}
    own_groups = {c.group_id or f"client:{c.client_id}" for c in clients if c.officer_id in officers}
    outside = [ln for ln in everything.lines if ln.dimension == "single_name" and ln.bucket not in own]
    assert outside, "the demo book should have name-level lines of other teams' clients"
    for ln in mine.lines:
        if ln.dimension == "single_name":
            assert ln.bucket in own
        if ln.dimension == "group":
            assert ln.bucket in own_groups
    sectors = {
        (ln.dimension, ln.bucket, ln.share)
        for ln in everything.lines
        if ln.dimension not in ("single_name", "group")
    }
    assert sectors == {
        (ln.dimension, ln.bucket, ln.share)
        for ln in mine.lines
        if ln.dimension not in ("single_name", "group")
    }
    dashboard = engine.summary(engine.portfolio_for(anna, as_of=AS_OF))
    assert all(
        b.bucket in own | own_groups
        for b in dashboard.concentration_breaches
        if b.dimension in ("single_name", "group")
    )


def test_a_write_drops_the_cached_results_of_older_data(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    anna = actor_of(demo_container, "rm.anna")
    for cid in (1003, 1004, 1005):
        engine.assess_client(anna, cid, as_of=AS_OF)
    assert len(engine._client_cache) == 3
    demo_container.adapter.update_limit("F-1003-1", Decimal("200000"))
    engine.assess_client(anna, 1004, as_of=AS_OF)
    assert len(engine._client_cache) == 1  # the three entries of the old data (and their book) are gone
