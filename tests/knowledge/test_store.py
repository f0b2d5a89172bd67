from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kernel.errors import InvalidInput, NotFound
from knowledge.client import chroma_client
from knowledge.embeddings import WordLlamaEmbedding
from knowledge.ingest import ensure_default_policies
from knowledge.loaders import load_document
from knowledge.store import PolicyStore
from tests.knowledge.conftest import REVIEW_POLICY, RISK_MEMO, open_store


def test_search_returns_citable_hits(store: PolicyStore, write: Callable[[str, str], Path]) -> None:
    assert store.ingest(load_document(write("review.md", REVIEW_POLICY))) == ("added", 3)
    hit = store.search("how often is a client re-assessed?", k=1)[0]
    assert (hit.document, hit.document_id, hit.section, hit.page, hit.version) == (
        "Review Policy", "review", "1 Review cadence", None, "1")  # fmt: skip
    assert hit.citation == "Review Policy § 1 Review cadence"
    assert hit.chunk_id.startswith("review:") and hit.score > 0
    table = store.search("team lead approval level", k=1)[0]
    assert table.section == "2 Approval > 2.1 Levels" and "| 1 | Team lead | 1,000,000 |" in table.text


def test_reingest_unchanged_is_a_noop_and_changed_replaces(
    store: PolicyStore, write: Callable[[str, str], Path]
) -> None:
    path = write("review.md", REVIEW_POLICY)
    store.ingest(load_document(path))
    assert store.ingest(load_document(path)) == ("unchanged", 3)
    path.write_text(REVIEW_POLICY.replace("every twelve months", "every nine months").replace("### 2.2 Exceptions\n\n"
                    "Exceptions escalate the request one level higher.\n", ""))  # fmt: skip
    assert store.ingest(load_document(path)) == ("replaced", 2)
    assert store.count() == 2
    texts = [h.text for h in store.search("exceptions escalate nine months", k=5)]
    assert any("every nine months" in t for t in texts) and not any(
        "twelve" in t or "escalate" in t for t in texts
    )
    assert [(d.document_id, d.chunks) for d in store.documents()] == [("review", 2)]


def test_remove(store: PolicyStore, write: Callable[[str, str], Path]) -> None:
    store.ingest(load_document(write("review.md", REVIEW_POLICY)))
    assert store.remove("review") == 3
    assert store.count() == 0 and store.search("review cadence") == []
    with pytest.raises(NotFound):
        store.remove("review")


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_access_tags_filter_inside_the_query(
    store: PolicyStore, write: Callable[[str, str], Path], mode: str
) -> None:
    with store.bulk():
        store.ingest(load_document(write("review.md", REVIEW_POLICY)))
        store.ingest(load_document(write("watch.md", RISK_MEMO)))
    query = "restricted risk forum for watch-list clients"
    everyone = store.search(query, k=10, access_tags={"all"}, mode=mode)  # type: ignore[arg-type]
    risk = store.search(query, k=10, access_tags={"all", "risk"}, mode=mode)  # type: ignore[arg-type]
    assert everyone and all(h.document_id == "review" for h in everyone)
    assert risk[0].document_id == "watch"
    assert store.search(query, access_tags=set()) == []


def test_lexical_index_survives_a_fresh_process_and_follows_other_writers(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    home = tmp_path / "home"
    first = open_store(home)
    first.ingest(load_document(write("review.md", REVIEW_POLICY)))
    reopened = open_store(home)  # as a new process would: the BM25 file is loaded, not rebuilt
    assert reopened.search("escalate", k=1, mode="lexical")[0].section == "2 Approval > 2.2 Exceptions"
    first.ingest(load_document(write("watch.md", RISK_MEMO)))  # another writer: revision changes
    assert reopened.search("forum", k=1, mode="lexical")[0].document_id == "watch"
    for index in (home / "kb").glob("*.npz"):
        index.unlink()
    assert (
        open_store(home).search("forum", k=1, mode="lexical")[0].document_id == "watch"
    )  # rebuilt from Chroma


def test_seed_runs_once_on_an_empty_collection(tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    from knowledge.client import chroma_client
    from knowledge.embeddings import WordLlamaEmbedding

    path = write("review.md", REVIEW_POLICY)
    calls: list[int] = []

    def seed(s: PolicyStore) -> None:
        calls.append(1)
        s.ingest(load_document(path))

    store = PolicyStore(lambda: chroma_client(path=tmp_path / "c"), embedding=WordLlamaEmbedding(),
                        index_dir=tmp_path / "kb", seed=seed)  # fmt: skip
    assert store.count() == 3 and store.search("cadence", k=1)[0].document_id == "review"
    assert calls == [1]


def test_empty_question_is_invalid(store: PolicyStore) -> None:
    with pytest.raises(InvalidInput):
        store.search(" \u200b ")


def test_a_fresh_seeded_store_answers_its_first_search(tmp_path: Path) -> None:
    """The first call on a new store is a search: the collection is created and seeded before it is read."""
    store = PolicyStore(chroma_client(path=tmp_path / "chroma"), embedding=WordLlamaEmbedding(),
                        index_dir=tmp_path / "kb", seed=ensure_default_policies)  # fmt: skip
    assert store.search("who approves an exception?", k=1)[0].section.endswith("7.2 Exceptions")


def test_a_search_from_another_thread_waits_for_the_seed(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    """Two first searches at once (a Slack worker and a memo draft): the second waits for the whole seed
    instead of searching a half-seeded store (CI once saw a BM25 index read while it was being rebuilt)."""
    import threading

    first, second = write("review.md", REVIEW_POLICY), write("risk.md", RISK_MEMO)
    half_seeded, release = threading.Event(), threading.Event()

    def seed(s: PolicyStore) -> None:
        s.ingest(load_document(first))
        half_seeded.set()
        release.wait(10)
        s.ingest(load_document(second))

    store = PolicyStore(lambda: chroma_client(path=tmp_path / "c"), embedding=WordLlamaEmbedding(),
                        index_dir=tmp_path / "kb", seed=seed)  # fmt: skip
    seeder = threading.Thread(target=store.count)
    seeder.start()
    assert half_seeded.wait(30)
    found: list[set[str]] = []
    searcher = threading.Thread(
        target=lambda: found.append({h.document_id for h in store.search("watch-list forum", k=3)})
    )
    searcher.start()
    searcher.join(0.5)
    assert searcher.is_alive()  # waiting for the seed, not reading half of it
    release.set()
    seeder.join(30)
    searcher.join(30)
    assert found and "risk" in found[0]
