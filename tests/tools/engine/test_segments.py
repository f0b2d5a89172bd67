"""Segment reductions (tools/engine/segments.py): hand-worked cases, and properties against a plain Python
loop per client and against pandas' group-by (the same numbers to the last bit)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.engine.segments import Segments

NAN = math.nan


def test_hand_worked_unsorted_rows() -> None:
    # rows: client 7 has 1.0, NaN, 5.0; client 3 has 2.0; client 9 has only NaN
    ids = np.array([7, 3, 7, 9, 7])
    v = np.array([1.0, 2.0, NAN, NAN, 5.0])
    seg = Segments.of(ids)
    assert seg.keys.tolist() == [3, 7, 9]
    assert seg.size().tolist() == [1, 3, 1]
    assert seg.sum(v).tolist() == [2.0, 6.0, 0.0]  # NaN skipped; no values → 0
    assert seg.count(v).tolist() == [1, 2, 0]
    np.testing.assert_array_equal(seg.max(v), [2.0, 5.0, NAN])
    np.testing.assert_array_equal(seg.min(v), [2.0, 1.0, NAN])
    np.testing.assert_array_equal(seg.mean(v), [2.0, 3.0, NAN])
    np.testing.assert_array_equal(seg.std0(v), [0.0, 2.0, NAN])  # 7: values 1 and 5 around 3 → sqrt((4+4)/2)
    assert seg.sum(np.array([True, True, False, True, True])).tolist() == [1.0, 2.0, 1.0]
    assert seg.per_row(np.array([10.0, 20.0, 30.0])).tolist() == [20.0, 10.0, 20.0, 30.0, 20.0]
    np.testing.assert_array_equal(
        seg.at(np.array([9, 1, 3]), np.array([10.0, 20.0, 30.0]), 0.0), [30.0, 0.0, 10.0]
    )


def test_dates_keep_their_unit_and_skip_nat() -> None:
    d = np.array(["2026-01-31", "NaT", "2025-12-01", "NaT"], dtype="datetime64[s]")
    seg = Segments.of(np.array([1, 1, 1, 2]))
    mx, mn = seg.max_time(d), seg.min_time(d)
    assert mx.dtype == np.dtype("datetime64[s]")
    assert mx[0] == np.datetime64("2026-01-31") and np.isnat(mx[1])
    assert mn[0] == np.datetime64("2025-12-01") and np.isnat(mn[1])
    assert np.isnat(seg.at(np.array([5]), mx)[0])


def test_no_rows() -> None:
    seg = Segments.of(np.array([], dtype="int64"))
    assert len(seg) == 0 and seg.sum(np.array([], dtype="float64")).tolist() == []
    assert seg.at(np.array([1, 2]), seg.sum(np.array([])), 0.0).tolist() == [0.0, 0.0]


values = st.one_of(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.just(NAN))
tables = st.lists(st.tuples(st.integers(min_value=0, max_value=6), values), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans())
def test_matches_a_python_loop_per_client(rows, presort) -> None:  # type: ignore[no-untyped-def]
    if presort:
        rows = sorted(rows, key=lambda r: r[0])
    ids = np.array([r[0] for r in rows])
    v = np.array([r[1] for r in rows], dtype="float64")
    seg = Segments.of(ids)
    for k, cid in enumerate(seg.keys):
        own = [x for i, x in rows if i == cid]
        present = [x for x in own if not math.isnan(x)]
        assert seg.size()[k] == len(own)
        assert seg.count(v)[k] == len(present)
        assert math.isclose(seg.sum(v)[k], math.fsum(present), rel_tol=1e-12, abs_tol=1e-6)
        if present:
            mean = math.fsum(present) / len(present)
            assert seg.max(v)[k] == max(present) and seg.min(v)[k] == min(present)
            assert math.isclose(seg.mean(v)[k], mean, rel_tol=1e-12, abs_tol=1e-6)
            var = math.fsum((x - mean) ** 2 for x in present) / len(present)
            assert math.isclose(seg.std0(v)[k], math.sqrt(var), rel_tol=1e-6, abs_tol=1e-3)
        else:
            assert math.isnan(seg.max(v)[k]) and math.isnan(seg.mean(v)[k]) and seg.sum(v)[k] == 0.0
    assert sorted(set(ids.tolist())) == seg.keys.tolist()


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans())
def test_bit_equal_to_pandas_group_by(rows, presort) -> None:  # type: ignore[no-untyped-def]
    if presort:
        rows = sorted(rows, key=lambda r: r[0])
    ids = np.array([r[0] for r in rows])
    v = np.array([r[1] for r in rows], dtype="float64")
    seg = Segments.of(ids)
    g = pd.Series(v).groupby(ids)
    np.testing.assert_array_equal(seg.sum(v), g.sum().to_numpy())
    np.testing.assert_array_equal(seg.mean(v), g.mean().to_numpy())
    np.testing.assert_array_equal(seg.max(v), g.max().to_numpy())
    np.testing.assert_array_equal(seg.min(v), g.min().to_numpy())
    np.testing.assert_array_equal(seg.std0(v), g.std(ddof=0).to_numpy())
    np.testing.assert_array_equal(seg.count(v), g.count().to_numpy())


@settings(max_examples=60, deadline=None)
@given(tables, st.booleans(), st.integers(min_value=0, max_value=2))
def test_several_columns_in_one_walk_equal_pandas(rows, presort, skew) -> None:  # type: ignore[no-untyped-def]
    # `sums` adds several columns in one compensated walk: each must equal its own pandas group-by sum.
    # skew > 0 gives one client ~3000 rows among many single-row clients, so the walk cannot lay the rows out
    # as a depth × clients matrix and goes rank by rank instead; both paths must give the same bits.
    if presort:
        rows = sorted(rows, key=lambda r: r[0])
    if skew:
        rows = rows + [(7, 0.1 * i) for i in range(3000)] + [(10 + i, float(i)) for i in range(skew * 1000)]
    ids = np.array([r[0] for r in rows])
    v = np.array([r[1] for r in rows], dtype="float64")
    w = np.where(np.arange(len(v)) % 3 == 0, np.nan, v * 1.1)
    seg = Segments.of(ids)
    assert seg._dense() == (not skew)
    got = seg.sums(v, w)
    for col, (total, count) in zip((v, w), got, strict=True):
        g = pd.Series(col).groupby(ids)
        np.testing.assert_array_equal(total, g.sum().to_numpy())
        np.testing.assert_array_equal(count, g.count().to_numpy())
        np.testing.assert_array_equal(Segments.means((total, count)), g.mean().to_numpy())
    np.testing.assert_array_equal(seg.std0(w), pd.Series(w).groupby(ids).std(ddof=0).to_numpy())


@settings(max_examples=60, deadline=None)
@given(tables, st.booleans())
def test_walks_in_blocks_of_clients_equal_pandas(rows, presort) -> None:  # type: ignore[no-untyped-def]
    # the matrices are built a block of clients at a time; blocks of 2 clients must give the same bits
    import tools.engine.segments as segments

    if presort:
        rows = sorted(rows, key=lambda r: r[0])
    ids = np.array([r[0] for r in rows])
    v = np.array([r[1] for r in rows], dtype="float64")
    w = np.where(np.arange(len(v)) % 2 == 0, np.nan, v * 0.7)
    block = segments._BLOCK
    segments._BLOCK = 2
    try:
        seg = Segments.of(ids)
        (sv, nv), (sw, nw) = seg.sums(v, w)
        std = seg.std0(v)
    finally:
        segments._BLOCK = block
    np.testing.assert_array_equal(sv, pd.Series(v).groupby(ids).sum().to_numpy())
    np.testing.assert_array_equal(sw, pd.Series(w).groupby(ids).sum().to_numpy())
    np.testing.assert_array_equal(nw, pd.Series(w).groupby(ids).count().to_numpy())
    np.testing.assert_array_equal(std, pd.Series(v).groupby(ids).std(ddof=0).to_numpy())
