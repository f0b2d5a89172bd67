"""Hypothesis properties of the engine's math."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.engine.book import client, facility, snapshot, statement
from tools.engine.concentration import DIMENSIONS, BookExposure, concentration_lines
from tools.engine.limits import CONSTRAINTS
from tools.engine.portfolio import assess_book
from tools.engine.scorecard import factor_points
from tools.policy.loader import load_policy

POLICY = load_policy()
money = st.floats(min_value=0, max_value=5e8, allow_nan=False)
signed = st.floats(min_value=-5e7, max_value=5e8, allow_nan=False)


@st.composite
def books(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(min_value=1, max_value=6))
    clients, facilities, statements = [], [], []
    for k in range(n):
        cid = k + 1
        clients.append(client(cid, industry=draw(st.sampled_from(["retail", "energy", "unknown-x"])),
                              region=draw(st.sampled_from(["North", "South"])),
                              group_id=draw(st.sampled_from([None, "G1"]))))  # fmt: skip
        limit = draw(money)
        facilities.append(facility(f"F{cid}", cid, limit, draw(st.floats(0, 1.2)) * limit,
                                   status=draw(st.sampled_from(["active", "frozen", "closed"])),
                                   product=draw(st.sampled_from(["revolving", "term_loan", "trade_credit"]))))  # fmt: skip
        if draw(st.booleans()):
            statements.append(statement(cid, 2025, revenue=draw(money), ebitda=draw(signed), equity=draw(signed),
                                        total_debt=draw(money), interest_expense=draw(money)))  # fmt: skip
    return snapshot(clients=clients, facilities=facilities, statements=statements)


@settings(max_examples=15, deadline=None)
@given(books())
def test_el_between_zero_and_ead_and_recommendation_within_caps(snap) -> None:  # type: ignore[no-untyped-def]
    pa = assess_book(snap, POLICY)
    r = pa.rating
    assert ((r["el"] >= 0) & (r["el"] <= r["ead"] + 1e-6)).all()
    assert ((r["pd"] > 0) & (r["pd"] < 1)).all() and ((r["lgd"] >= 0) & (r["lgd"] <= 1)).all()
    lim = pa.limits
    rec = lim["recommended"]
    for name in CONSTRAINTS:
        cap = lim[name]
        ok = rec.isna() | cap.isna() | (rec <= cap + 1e-6)
        assert ok.all(), name
    assert ((rec.isna()) | (rec >= 0)).all()
    assert (rec.dropna() % float(POLICY.limits.rounding) == 0).all()


@settings(max_examples=15, deadline=None)
@given(books())
def test_concentration_shares_sum_to_one(snap) -> None:  # type: ignore[no-untyped-def]
    pa = assess_book(snap, POLICY)
    lines = concentration_lines(pa.book, POLICY)
    if pa.book.total > 0:
        for dim in DIMENSIONS:
            assert (
                lines.loc[lines["dimension"] == dim, "share"].sum() == np.float64(1.0)
                or abs(lines.loc[lines["dimension"] == dim, "share"].sum() - 1.0) < 1e-9
            )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-1e3, max_value=1e3, allow_nan=False), min_size=1, max_size=30))
def test_factor_points_bounded(values: list[float]) -> None:
    for f in POLICY.scorecard.factors:
        pts = factor_points(np.array(values), f)
        assert (pts >= min(b.points for b in f.bins)).all() and (pts <= f.max_points).all()


@settings(max_examples=15, deadline=None)
@given(books())
def test_headroom_limit_keeps_single_name_within_share(snap) -> None:  # type: ignore[no-untyped-def]
    pa = assess_book(snap, POLICY)
    book = pa.book
    cid = int(book.frame.index[0])
    cap = float(pa.headroom.loc[cid, "cap_single_name"])
    after = BookExposure(
        frame=book.frame.assign(total_limit=book.frame["total_limit"].where(book.frame.index != cid, cap))
    )
    if after.total > 0 and len(book.frame) > 1:
        share = after.frame.loc[cid, "total_limit"] / after.total
        assert share <= POLICY.concentration.single_name.max_share + 1e-9 or cap == 0
