"""Reciprocal rank fusion of ranked id lists (Cormack et al., 2009)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[T]], *, weights: Sequence[float] | None = None,
                           k: int = RRF_K) -> list[tuple[T, float]]:  # fmt: skip
    """Ids by fused score Σ weight / (k + rank), best first; ties keep first-seen order."""
    scores: dict[T, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
