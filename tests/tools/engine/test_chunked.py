"""The chunked whole-book review gives exactly the one-shot portfolio run's results."""

from __future__ import annotations

from tests.conftest import AS_OF
from tests.tools.engine.reviews import assert_same_review


def test_review_in_chunks_equals_one_shot_run(demo_container) -> None:  # type: ignore[no-untyped-def]
    engine = demo_container.credit_engine
    whole = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF))
    chunked = engine.review_book(as_of=AS_OF, chunk_clients=7)
    assert_same_review(chunked, whole)


def test_officer_review_in_chunks_equals_their_slice(demo_container) -> None:  # type: ignore[no-untyped-def]
    engine = demo_container.credit_engine
    snap = demo_container.adapter.snapshot(as_of=AS_OF)
    ids = snap.clients.loc[snap.clients["officer_id"] == "rm.anna", "client_id"].tolist()
    alone = engine.assess_portfolio(snap.subset(ids), book=engine.book_exposure(snap))
    chunked = engine.review_book(as_of=AS_OF, officer_ids={"rm.anna"}, chunk_clients=2)
    assert chunked.table().equals(alone.table())
    assert chunked.warnings.equals(alone.warnings)


def test_chunk_headroom_equals_the_whole_books_rows(demo_container) -> None:  # type: ignore[no-untyped-def]
    """A chunk's clients look their bucket sums up in the book's (`BookExposure.sums_by_code`, computed once):
    the same caps as the whole-book pass; an id not in the book gets no bucket."""
    import numpy as np
    import pandas as pd

    from tools.engine.concentration import DIMENSIONS, client_headroom

    engine = demo_container.credit_engine
    book = engine.book_exposure(demo_container.adapter.snapshot(as_of=AS_OF))
    whole = client_headroom(book, book.frame.index, engine.policy)
    ids = book.frame.index[3:40:3]
    for dim in DIMENSIONS:  # the cached sums by code are the group-by's sums of each client's bucket
        codes, _ = book.codes(dim)
        by_group = book.frame.groupby(dim)["total_limit"].transform("sum").to_numpy()
        assert np.array_equal(book.sums_by_code(dim)[codes], by_group)
    for chunk in (ids, ids[::-1], ids.append(pd.Index([10**9]))):
        part = client_headroom(book, chunk, engine.policy)
        known = chunk[chunk.isin(book.frame.index)]
        pd.testing.assert_frame_equal(part.loc[known], whole.loc[known], check_exact=True)
    missing = client_headroom(book, pd.Index([10**9]), engine.policy)
    assert missing[[f"bucket_{d}" for d in DIMENSIONS]].isna().all(axis=None)
