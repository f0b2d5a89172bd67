"""What a warm assistant turn no longer repeats (#20: warm turn p95 <= 100 ms): the phrasing bank is hashed
once (not read and hashed per turn), the classifier predicts through its compiled form in the process that
trained it, and the insurance list reads the scope's cached portfolio run instead of the scope again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.brains.offline import classifier as k


def test_the_bank_fingerprint_is_hashed_again_only_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in k.TRAIN_FILES:
        shutil.copy(k.BANK_DIR / name, tmp_path / name)
    monkeypatch.setattr(k, "BANK_DIR", tmp_path)
    first = k.bank_fingerprint()
    reads: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or original(self))
    assert k.bank_fingerprint() == first and reads == []
    path = tmp_path / k.TRAIN_FILES[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert k.bank_fingerprint() != first and reads  # the changed bank is hashed (and so retrained) again


def test_the_trained_classifier_predicts_through_its_compiled_form() -> None:
    model = k.classifier()
    assert model.compiled is not None
    # and it reads as the pipeline does (same ranking, probabilities equal to 1e-9)
    q = "wats the utlisation of globex"
    a = k.IntentClassifier(model.pipeline, model.vocabulary).rank(q)
    b = model.rank(q)
    assert [c for c, _ in a] == [c for c, _ in b] and b[0][0] == "exposure"
    assert [p for _, p in a] == pytest.approx([p for _, p in b], abs=1e-9)


def test_the_insurance_list_reuses_the_scopes_portfolio_run(book, toolbox, anna, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = toolbox.insurance_expiring(anna, horizon_days=90)
    reads: list[object] = []
    original = book.adapter.snapshot
    monkeypatch.setattr(book.adapter, "snapshot", lambda *a, **kw: reads.append(kw) or original(*a, **kw))
    again = toolbox.insurance_expiring(anna, horizon_days=90)
    assert reads == [] and again == before and again.items
    # the same covers as the scope's own snapshot lists, soonest first
    snap, _ = book.credit_engine.scoped_snapshot(anna, as_of=book.today())
    assert {c.cover_id for c in again.items} <= set(snap.covers["cover_id"].astype(str))
    assert [c.days_to_expiry for c in again.items] == sorted(c.days_to_expiry for c in again.items)
