"""Knowledge-base fixtures: an embedded store in a temporary home, and small documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.client import chroma_client
from knowledge.embeddings import WordLlamaEmbedding
from knowledge.store import PolicyStore


def open_store(home: Path) -> PolicyStore:
    return PolicyStore(
        chroma_client(path=home / "chroma"), embedding=WordLlamaEmbedding(), index_dir=home / "kb"
    )


@pytest.fixture
def store(tmp_path: Path) -> PolicyStore:
    return open_store(tmp_path / "home")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a text file into a documents folder and return its path."""
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)

    def _write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


REVIEW_POLICY = """---
version: "1"
date: 2026-01-01
---
# Review Policy

## 1 Review cadence

Clients rated 1 to 6 are reviewed every twelve months; weaker clients more often.

## 2 Approval

### 2.1 Levels

| Level | Approver | Up to |
|---|---|---|
| 1 | Team lead | 1,000,000 |

### 2.2 Exceptions

Exceptions escalate the request one level higher.
"""

RISK_MEMO = """---
access: risk
---
# Watch-list Handbook

## 1 Restricted procedures

Watch-list clients are discussed weekly in the restricted risk forum.
"""
