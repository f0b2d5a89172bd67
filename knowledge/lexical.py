"""Lexical side of retrieval: a tokenizer for English and Chinese, and a BM25 index (bm25s) that persists.

English is lower-cased, stop-word filtered and lightly stemmed; Chinese runs are segmented with jieba
(search mode, so "授信额度" also yields "授信" and "额度"). Access filtering happens inside scoring
(a weight mask), so restricted chunks never take a rank.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'’][a-z0-9]+)*|[\u3400-\u9fff\uf900-\ufaff]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "是",
        "在",
        "与",
        "及",
        "或",
        "等",
        "对",
        "为",
        "由",
        "其",
        "该",
        "这",
        "那",
        "之",
        "以",
        "于",
        "并",
        "而",
        "也",
        "都",
        "就",
        "则",
        "被",
        "把",
        "从",
        "向",
        "按",
        "吗",
        "呢",
        "啊",
        "什么",
        "怎么",
        "如何",
        "哪些",
        "多少",
        "是否",
        "需要",
        "应当",
        "应该",
        "可以",
    ]
)
_FORMAT = 2


@cache
def _english_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | {"does", "say", "says", "what", "when", "how", "which"}


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


_SUFFIXES = (  # (suffix, minimum stem length) tried in order; the first that fits is removed
    ("ations", 4),
    ("ation", 4),
    ("ments", 4),
    ("ment", 4),
    ("ings", 4),
    ("ing", 4),
    ("als", 4),
    ("al", 5),
    ("ed", 4),
    ("es", 4),
    ("s", 3),
)


def _stem(word: str) -> str:
    """A light, deterministic English suffix stripper ("recommendation", "recommends" -> "recommend")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is")):
        return word
    for suffix, min_stem in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def tokenize(text: str) -> list[str]:
    """Index terms of a text (English words stemmed, Chinese segmented; stop words dropped)."""
    terms: list[str] = []
    stop = _english_stopwords()
    for match in _TOKEN.finditer(text.lower()):
        token = match.group()
        if _CJK_RUN.match(token):  # words, plus single characters so "批" still meets "审批"
            terms.extend(w for w in _jieba().cut_for_search(token) if w not in _ZH_STOPWORDS)
            if len(token) > 1:
                terms.extend(ch for ch in token if ch not in _ZH_STOPWORDS)
        elif token not in stop:
            terms.append(_stem(token))
    return terms


PER_SECTION = 2  # places one section may take in a ranking (a table's rows would otherwise fill it)


def capped(order: list[int], sections: list[tuple[str, str]], per_section: int = PER_SECTION) -> list[int]:
    """`order` with at most `per_section` items of one section (document, section path); the others
    are moved to the end, in order."""
    seen: dict[tuple[str, str], int] = {}
    first: list[int] = []
    rest: list[int] = []
    for i in order:
        seen[sections[i]] = seen.get(sections[i], 0) + 1
        (first if seen[sections[i]] <= per_section else rest).append(i)
    return first + rest


@dataclass(frozen=True)
class LexicalEntry:
    chunk_id: str
    document_id: str
    access: str
    terms: list[str]
    language: str = "en"  # the document's language
    title_terms: tuple[str, ...] = ()  # terms of the chunk's own section title
    section: str = ""  # the chunk's section path


class LexicalIndex:
    """BM25 over the chunks, with the per-chunk document id and access tag for filtering."""

    def __init__(self, entries: Iterable[LexicalEntry] = (), *, revision: str = "") -> None:
        self.revision = revision
        self._entries = list(entries)
        self._rebuild()

    def __len__(self) -> int:
        return len(self._entries)

    def _rebuild(self) -> None:
        self._ids = [e.chunk_id for e in self._entries]
        self._documents = np.array([e.document_id for e in self._entries], dtype=str)
        self._access = np.array([e.access for e in self._entries], dtype=str)
        self._languages = np.array([e.language for e in self._entries], dtype=str)
        self._titles = [frozenset(e.title_terms) for e in self._entries]
        self._sections = [(e.document_id, e.section) for e in self._entries]
        self._section_of = {e.chunk_id: (e.document_id, e.section) for e in self._entries}
        self._language_of = {e.chunk_id: e.language for e in self._entries}
        self._df = Counter(t for e in self._entries for t in set(e.terms))
        self._bm25 = None
        if self._entries:
            import bm25s

            logging.getLogger("bm25s").setLevel(logging.WARNING)

            bm25 = bm25s.BM25()
            bm25.index([e.terms for e in self._entries], show_progress=False)
            self._bm25 = bm25

    def replaced(
        self, document_ids: Collection[str], entries: Iterable[LexicalEntry], *, revision: str
    ) -> LexicalIndex:
        """A new index without the chunks of these documents and with the given ones. An index is never
        changed once built, so a search running in another thread keeps a whole one."""
        kept = [e for e in self._entries if e.document_id not in document_ids]
        return LexicalIndex(kept + list(entries), revision=revision)

    def _mask(self, access: Collection[str] | None, languages: Collection[str] | None) -> np.ndarray | None:
        mask = None if access is None else np.isin(self._access, list(access))
        if languages is not None:
            by_language = np.isin(self._languages, list(languages))
            mask = by_language if mask is None else mask & by_language
        return None if mask is None else mask.astype(np.float32)

    def search(self, terms: list[str], n: int, access: Collection[str] | None = None,
               languages: Collection[str] | None = None) -> list[tuple[str, float]]:  # fmt: skip
        """Up to n (chunk id, BM25 score) pairs with a positive score, among chunks readable with `access`
        (and of documents in `languages`, when given)."""
        if self._bm25 is None:
            return []
        term_ids = self._bm25.get_tokens_ids(terms)
        if not term_ids:
            return []
        mask = self._mask(access, languages)
        scores = self._bm25.get_scores_from_ids(term_ids, weight_mask=mask)
        candidates = np.flatnonzero(scores > 0)
        best = capped(candidates[np.argsort(-scores[candidates], kind="stable")].tolist(), self._sections)[:n]
        return [(self._ids[i], float(scores[i])) for i in best]

    def share_with(self, term: str) -> float:
        """The share of chunks that hold `term` (0 for a term no chunk holds)."""
        return self._df.get(term, 0) / len(self._entries) if self._entries else 0.0

    def language_of(self, chunk_id: str) -> str | None:
        """The language of a chunk's document; None for a chunk the index does not hold."""
        return self._language_of.get(chunk_id)

    def section_of(self, chunk_id: str) -> tuple[str, str]:
        """(document id, section path) of a chunk; ("", chunk id) for one the index does not hold."""
        return self._section_of.get(chunk_id, ("", chunk_id))

    def title_search(self, terms: list[str], n: int, access: Collection[str] | None = None,
                     languages: Collection[str] | None = None) -> list[str]:  # fmt: skip
        """Chunk ids whose own section title the question names in full (every term of the title is among
        the question's terms or their synonyms), longest titles first, then reading order."""
        wanted = set(terms)
        mask = self._mask(access, languages)
        scored = []
        for i, title in enumerate(self._titles):
            if not title or (mask is not None and not mask[i]):
                continue
            if title <= wanted:
                scored.append((-len(title), i))
        return [self._ids[i] for i in capped([i for _, i in sorted(scored)], self._sections)[:n]]

    # --- persistence --------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        vocab: dict[str, int] = {}
        flat = [vocab.setdefault(t, len(vocab)) for e in self._entries for t in e.terms]
        offsets = np.cumsum([0] + [len(e.terms) for e in self._entries], dtype=np.int64)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        titles = ["\x1f".join(e.title_terms) for e in self._entries]
        sections = [e.section for e in self._entries]
        np.savez(tmp, format=np.array(_FORMAT), revision=np.array(self.revision), ids=np.array(self._ids, dtype=str),
                 documents=self._documents, access=self._access, vocab=np.array(list(vocab), dtype=str),
                 terms=np.array(flat, dtype=np.int32), offsets=offsets, languages=self._languages,
                 titles=np.array(titles, dtype=str), sections=np.array(sections, dtype=str))  # fmt: skip
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LexicalIndex | None:
        """The saved index, or None when there is none (or it is from another format)."""
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != _FORMAT:
                return None
            vocab = data["vocab"].tolist()
            terms = [vocab[i] for i in data["terms"].tolist()]
            offsets = data["offsets"].tolist()
            titles = [tuple(t.split("\x1f")) if t else () for t in data["titles"].tolist()]
            sections = data["sections"].tolist()
            entries = [LexicalEntry(chunk_id=c, document_id=d, access=a, terms=terms[offsets[i] : offsets[i + 1]],
                                    language=lang, title_terms=titles[i], section=sections[i])
                       for i, (c, d, a, lang) in enumerate(zip(data["ids"].tolist(), data["documents"].tolist(),
                                                               data["access"].tolist(), data["languages"].tolist(),
                                                               strict=True))]  # fmt: skip
            return cls(entries, revision=str(data["revision"]))
