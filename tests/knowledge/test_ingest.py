from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kernel.errors import NotFound
from knowledge.ingest import DEFAULT_POLICY_DIR, discover, ensure_default_policies, ingest_paths
from knowledge.store import PolicyStore
from tests.knowledge.conftest import REVIEW_POLICY, RISK_MEMO


def test_a_broken_file_is_reported_and_the_rest_ingests(
    store: PolicyStore, write: Callable[[str, str], Path]
) -> None:
    good = write("review.md", REVIEW_POLICY)
    write("watch.md", RISK_MEMO)
    (good.parent / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    (good.parent / "notes.xlsx").write_bytes(b"ignored: not a supported type in a folder")
    seen: list[str] = []
    report = ingest_paths(store, [good.parent], on_file=lambda o: seen.append(o.status))
    assert sorted(seen) == ["added", "added", "failed"]
    [failed] = report.failed
    assert (
        failed.path.endswith("scan.pdf")
        and failed.reason
        and failed.reason.startswith("scan.pdf: not a readable PDF")
    )
    assert {d.document_id for d in store.documents()} == {"review", "watch"}
    assert store.search("forum", k=1)[0].document_id == "watch"  # lexical index rebuilt once, after the batch


def test_access_option_restricts_the_batch(store: PolicyStore, write: Callable[[str, str], Path]) -> None:
    ingest_paths(store, [write("review.md", REVIEW_POLICY)], access="auditor")
    assert store.documents()[0].access == "auditor"
    assert store.search("review cadence", access_tags={"all"}) == []


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        discover([tmp_path / "nope"])


def test_default_policies_ingest_idempotently(store: PolicyStore) -> None:
    first = ensure_default_policies(store)
    assert first.count("added") == len(list(DEFAULT_POLICY_DIR.glob("*.md"))) == 2 and not first.failed
    again = ensure_default_policies(store)
    assert again.count("unchanged") == 2
    languages = {d.document_id: d.language for d in store.documents()}
    assert languages == {"credit-policy-manual": "en", "credit-policy-summary-zh": "zh"}
