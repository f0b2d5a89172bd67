from __future__ import annotations

from pathlib import Path

from knowledge.lexical import LexicalEntry, LexicalIndex, tokenize


def test_english_terms_are_stemmed_and_stop_words_dropped() -> None:
    assert tokenize("The reviews of policies, approved limits") == ["review", "policy", "approv", "limit"]
    assert tokenize("approve") == tokenize("approves") == ["approv"]


def test_chinese_is_segmented() -> None:
    terms = tokenize("存量客户的授信额度")
    assert {"存量", "客户", "授信", "额度"} <= set(terms) and "的" not in terms


def test_access_mask_applies_before_ranking_and_index_round_trips(tmp_path: Path) -> None:
    index = LexicalIndex([
        LexicalEntry("a", "d1", "all", tokenize("credit insurance cover")),
        LexicalEntry("b", "d2", "risk", tokenize("credit insurance insurance cover")),
        LexicalEntry("c", "d1", "all", tokenize("approval authority")),
    ], revision="r1")  # fmt: skip
    assert [cid for cid, _ in index.search(tokenize("insurance"), 5)] == ["b", "a"]
    assert [cid for cid, _ in index.search(tokenize("insurance"), 5, access={"all"})] == ["a"]
    assert index.search(tokenize("unknown words"), 5) == []
    index.save(tmp_path / "i.npz")
    loaded = LexicalIndex.load(tmp_path / "i.npz")
    assert loaded is not None and loaded.revision == "r1" and len(loaded) == 3
    assert loaded.search(tokenize("authority"), 5) == index.search(tokenize("authority"), 5)
    newer = loaded.replaced({"d1"}, [], revision="r2")
    assert [cid for cid, _ in newer.search(tokenize("insurance"), 5)] == ["b"] and newer.revision == "r2"
    # the index a concurrent search holds is untouched by the replacement
    still = [cid for cid, _ in loaded.search(tokenize("insurance"), 5)]
    assert still == ["b", "a"] and loaded.revision == "r1"
