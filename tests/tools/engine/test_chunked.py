"""The chunked whole-book review gives exactly the one-shot portfolio run's results."""

from __future__ import annotations

from tests.conftest import AS_OF
from tools.engine.service import reviews_due_of, summary_of, watchlist_of


def test_review_in_chunks_equals_one_shot_run(demo_container) -> None:  # type: ignore[no-untyped-def]
    engine = demo_container.credit_engine
    whole = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF))
    chunked = engine.review_book(as_of=AS_OF, chunk_clients=7)
    assert chunked.snapshot.meta["chunks"] > 1
    assert chunked.table().equals(whole.table())
    assert chunked.warnings.equals(whole.warnings)
    assert summary_of(chunked) == summary_of(whole)
    assert watchlist_of(chunked) == watchlist_of(whole)
    assert reviews_due_of(chunked) == reviews_due_of(whole)


def test_officer_review_in_chunks_equals_their_slice(demo_container) -> None:  # type: ignore[no-untyped-def]
    engine = demo_container.credit_engine
    snap = demo_container.adapter.snapshot(as_of=AS_OF)
    ids = snap.clients.loc[snap.clients["officer_id"] == "rm.anna", "client_id"].tolist()
    alone = engine.assess_portfolio(snap.subset(ids), book=engine.book_exposure(snap))
    chunked = engine.review_book(as_of=AS_OF, officer_ids={"rm.anna"}, chunk_clients=2)
    assert chunked.table().equals(alone.table())
    assert chunked.warnings.equals(alone.warnings)
