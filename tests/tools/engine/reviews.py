"""Checks shared by the whole-book review tests."""

from __future__ import annotations

from typing import Any

from tools.engine.service import reviews_due_of, summary_of, watchlist_of


def assert_same_review(chunked: Any, whole: Any) -> None:
    """A review read in chunks gives exactly the one-shot run's results: table, warnings and what is built on
    them (summary, watch-list, reviews due)."""
    assert chunked.snapshot.meta["chunks"] > 1
    assert chunked.table().equals(whole.table())
    assert chunked.warnings.equals(whole.warnings)
    assert summary_of(chunked) == summary_of(whole)
    assert watchlist_of(chunked) == watchlist_of(whole)
    assert reviews_due_of(chunked) == reviews_due_of(whole)
