"""One officer's views from their own clients plus the stored book-level aggregates equal the whole-book
computation (tools/engine/aggregates.py; issue 20)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from tests.conftest import AS_OF, actor_of
from tools.engine.aggregates import BookAggregates, BookAggregatesRow
from tools.engine.assemble import client_assessment, line_models
from tools.engine.concentration import BookExposure, client_headroom, concentration_lines, hhi, only_visible
from tools.engine.service import reviews_due_of, summary_of, watchlist_of


@pytest.fixture
def engine(demo_container):  # type: ignore[no-untyped-def]
    return demo_container.credit_engine


def _reference(demo_container, engine, officers):  # type: ignore[no-untyped-def]
    """The slice computed the old way: the whole book read, its exposure built, the slice assessed."""
    whole = demo_container.adapter.snapshot(as_of=AS_OF)
    ids = whole.clients.loc[whole.clients["officer_id"].isin(officers), "client_id"].tolist()
    return engine.assess_portfolio(whole.subset(ids), book=engine.book_exposure(whole))


def test_officer_portfolio_equals_whole_book_computation(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    from tools.access import scope_officer_ids

    rm = actor_of(demo_container, "rm.anna")
    ref = _reference(demo_container, engine, scope_officer_ids(rm, demo_container.adapter))
    got = engine.portfolio_for(rm, as_of=AS_OF)
    assert len(got.book.frame) == len(ref.snapshot.clients) < len(ref.book.frame)  # only the slice was read
    pd.testing.assert_frame_equal(got.table().sort_index(), ref.table().sort_index())
    key = ["client_id", "indicator"]
    pd.testing.assert_frame_equal(got.warnings.sort_values(key).reset_index(drop=True),
                                  ref.warnings.sort_values(key).reset_index(drop=True))  # fmt: skip
    assert summary_of(got).model_dump() == summary_of(ref).model_dump()
    assert [w.model_dump() for w in watchlist_of(got, limit=1000)] == [
        w.model_dump() for w in watchlist_of(ref, limit=1000)
    ]
    assert [r.model_dump() for r in reviews_due_of(got)] == [r.model_dump() for r in reviews_due_of(ref)]
    visible = only_visible(ref.concentration(), ref.book, ref.table().index)
    cols = ["dimension", "bucket"]
    pd.testing.assert_frame_equal(got.concentration().sort_values(cols).reset_index(drop=True),
                                  visible.sort_values(cols).reset_index(drop=True))  # fmt: skip
    assert got.hhi() == ref.hhi()


def test_one_client_equals_whole_book_computation(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    rm = actor_of(demo_container, "rm.anna")
    whole = demo_container.adapter.snapshot(as_of=AS_OF)
    book = engine.book_exposure(whole)
    mine = whole.clients.loc[whole.clients["officer_id"] == "rm.anna", "client_id"].tolist()
    for cid in mine[:15]:
        ref = engine.assess_portfolio(
            demo_container.adapter.snapshot(as_of=AS_OF, client_ids=[cid]), book=book
        )
        got = engine.assess_client(rm, cid, as_of=AS_OF)
        assert got.model_dump(mode="json") == client_assessment(ref, cid).model_dump(mode="json"), cid


def test_aggregates_are_stored_and_follow_the_change_counter(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    agg = engine.book_aggregates(AS_OF)
    with Session(demo_container.engine) as s:
        rows = s.exec(select(BookAggregatesRow)).all()
    assert [(r.as_of, r.data_version) for r in rows] == [(AS_OF, demo_container.adapter.data_version)]
    stored = BookAggregates.from_row(rows[0])
    assert stored is not None and stored.total == agg.total and stored.hhi == agg.hhi
    for dim, s_ in agg.sums.items():
        pd.testing.assert_series_equal(stored.sums[dim], s_, check_names=False, check_index_type=False)
    demo_container.adapter.changes.bump()  # any write: the next view recomputes them once
    again = engine.book_aggregates(AS_OF)
    assert again.data_version == agg.data_version + 1 and again.total == agg.total


def test_what_if_on_a_slice_equals_the_whole_book(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    rm = actor_of(demo_container, "rm.anna")
    got = engine.what_if_limit(rm, 1001, Decimal("2500000"), as_of=AS_OF)
    # the reference: the whole book's exposure with the new limit
    whole = engine.book_exposure(demo_container.adapter.snapshot(as_of=AS_OF))
    after = whole.with_limit(1001, 2_500_000.0)
    lines = concentration_lines(after, engine.policy).set_index(["dimension", "bucket"])
    for _, a in got.lines:
        assert a.share == pytest.approx(float(lines.loc[(a.dimension, a.bucket), "share"]), abs=1e-12)
    group = str(after.frame.loc[1001, "group"])
    assert float(got.group_exposure_after) == pytest.approx(
        float(after.frame.loc[after.frame["group"] == group, "total_limit"].sum()), abs=0.005
    )


# --- a book small enough to check by hand ----------------------------------------------------------------


def _small_book() -> BookExposure:
    frame = pd.DataFrame(
        {
            "total_limit": [100.0, 300.0, 600.0, 0.0],
            "industry": ["steel", "steel", "food", "food"],
            "region": ["north", "south", "north", "north"],
            "size_segment": ["sme", "sme", "corporate", "sme"],
            "group": ["G1", "G1", "client:3", "client:4"],
            "single_name": ["1", "2", "3", "4"],
            "officer_id": pd.Categorical(["anna", "bob", "bob", "anna"]),
        },
        index=pd.Index([1, 2, 3, 4], name="client_id"),
    )
    frame[["industry", "region", "size_segment", "group", "single_name"]] = frame[
        ["industry", "region", "size_segment", "group", "single_name"]
    ].astype("str")
    return BookExposure(frame=frame)


def test_small_book_by_hand(demo_container) -> None:  # type: ignore[no-untyped-def]
    policy = demo_container.policy
    whole = _small_book()
    agg = BookAggregates.of(whole, hhi=hhi(whole), as_of=AS_OF, data_version=1, policy_hash="h")
    # by hand: total 1000; steel 400, food 600; group G1 = clients 1 and 2 = 400 (clients 3 and 4 have none)
    assert agg.total == 1000.0
    assert agg.sums["industry"].to_dict() == {"food": 600.0, "steel": 400.0}
    assert agg.sums["group"].to_dict() == {"G1": 400.0}
    # HHI by industry: 0.6² + 0.4² = 0.52; single names: 0.1² + 0.3² + 0.6² = 0.46
    assert agg.hhi["industry"] == pytest.approx(0.52)
    assert agg.hhi["single_name"] == pytest.approx(0.46)

    anna = BookExposure(frame=whole.frame.loc[[1, 4]], base=agg)  # anna's slice: clients 1 and 4
    assert anna.total == 1000.0
    assert anna.bucket_sums("industry").to_dict() == {"food": 600.0, "steel": 400.0}  # book-wide sectors
    assert anna.bucket_sums("group").to_dict() == {"G1": 400.0, "client:4": 0.0}  # her groups, book totals
    assert hhi(anna)["single_name"] == pytest.approx(0.46)
    lines = concentration_lines(anna, policy)
    g1 = lines[(lines["dimension"] == "group") & (lines["bucket"] == "G1")].iloc[0]
    assert g1["share"] == pytest.approx(0.4)
    # headroom of client 1 by industry: steel without it is 300, the book without it 900; with share s,
    # x ≤ (s·900 − 300) / (1 − s), capped by capital (s_c·C − 300) when the policy has a capital limit
    s = float(policy.concentration.industry_overrides.get("steel", policy.concentration.industry.max_share))
    by_book = max((s * 900 - 300) / (1 - s), 0.0)
    got = client_headroom(anna, pd.Index([1]), policy)
    assert got.loc[1, "bybook_industry"] == pytest.approx(by_book)
    ref = client_headroom(whole, pd.Index([1]), policy)
    pd.testing.assert_frame_equal(got, ref)
    # the slice's lines are exactly the whole book's lines anna may see
    visible = only_visible(concentration_lines(whole, policy), whole, pd.Index([1, 4]))
    cols = ["dimension", "bucket"]
    pd.testing.assert_frame_equal(lines.sort_values(cols).reset_index(drop=True),
                                  visible.sort_values(cols).reset_index(drop=True))  # fmt: skip


def test_team_concentration_report_equals_the_whole_book_filtered(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    from tools.access import scope_officer_ids

    rm = actor_of(demo_container, "rm.anna")
    got = engine.concentration_report(rm, as_of=AS_OF)
    # the reference: the whole book's lines, only the team's names kept, then the report's own filter
    whole = engine.book_exposure(demo_container.adapter.snapshot(as_of=AS_OF))
    officers = scope_officer_ids(rm, demo_container.adapter)
    lines = only_visible(concentration_lines(whole, engine.policy), whole,
                         whole.frame.index[whole.frame["officer_id"].isin(officers)])  # fmt: skip
    lines = lines[
        lines["dimension"].isin(["industry", "region", "size_segment"]) | (lines["level"] != "green")
    ]
    expected = lines.sort_values(["dimension", "share"], ascending=[True, False])
    assert [ln.model_dump() for ln in got.lines] == [ln.model_dump() for ln in line_models(expected)]
    assert float(got.total_limits) == pytest.approx(whole.total, abs=0.005)
    assert got.hhi == {k: round(v, 6) for k, v in hhi(whole).items()}


def test_a_decision_sees_another_process_write_at_once(demo_container, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from crm_adapter.sql.changes import bump_in

    rm = actor_of(demo_container, "rm.anna")
    before = engine.assess_client(rm, 1001, as_of=AS_OF)  # aggregates of this data version are cached
    engine.adapter.changes.poll_s = 3600.0  # this process would not look at the counter again for an hour
    with demo_container.engine.begin() as conn:  # another process doubles every other client's limits
        conn.execute(text("UPDATE facilities SET limit_amount = limit_amount * 2 WHERE client_id <> 1001"))
        bump_in(conn)
    got = engine.assess_client(rm, 1001, as_of=AS_OF, fresh=True)
    whole = engine.book_exposure(demo_container.adapter.snapshot(as_of=AS_OF))
    ref = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF, client_ids=[1001]), book=whole)
    assert got.model_dump(mode="json") == client_assessment(ref, 1001).model_dump(mode="json")
    assert got.model_dump(mode="json") != before.model_dump(mode="json")
