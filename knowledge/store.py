"""The policy store: chunks in Chroma (dense) plus a BM25 index (lexical), fused at query time.

The caller supplies the Chroma client, the embedding function and the folder for the lexical index
(this module never reads settings). Chroma is the source of truth; the lexical index is a cache of it,
stamped with the collection's revision and rebuilt from Chroma whenever the stamps differ (another
process ingested, or the file is missing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from kernel.errors import CreditDeskError, InvalidInput, NotFound, UpstreamUnavailable
from knowledge.chunker import chunk_document
from knowledge.fusion import reciprocal_rank_fusion
from knowledge.lexical import LexicalEntry, LexicalIndex, capped, tokenize
from knowledge.loaders.common import detect_language
from knowledge.models import SECTION_SEPARATOR, Chunk, DocumentInfo, Hit, IngestStatus, LoadedDocument
from knowledge.sanitize import clean_text
from knowledge.synonyms import amounts_in, expand, wanted_languages

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection as ChromaCollection
    from chromadb.api.types import Documents, EmbeddingFunction

SearchMode = Literal["hybrid", "dense", "lexical"]
# Weight of the dense ranking in hybrid fusion by query language. The offline WordLlama embedding is
# English-centric, so for Chinese questions the lexical (jieba) ranking leads.
DEFAULT_DENSE_WEIGHTS: Mapping[str, float] = MappingProxyType({"zh": 0.25})
TITLE_WEIGHT = 1.0  # the ranking by words of the chunk's own section title
BAND_WEIGHT = 2.0  # within a section: the table row whose amount band holds an amount the question names
RARE_TERM_SHARE = (
    0.15  # a header word shared with the question counts when at most this share of chunks hold it
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PAGE = 1000  # records per Chroma read when scanning the whole collection


def collection_name(embedding: EmbeddingFunction[Documents], prefix: str = "creditdesk-policies") -> str:
    """A collection per embedding function and configuration (vectors of different models never mix)."""
    key = json.dumps([embedding.name(), embedding.get_config()], sort_keys=True)
    return f"{prefix}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def _index_text(title: str, section: str, text: str) -> str:
    """What is embedded and indexed for a chunk: its context (title, section path) and its text."""
    return f"{title}\n{section}\n{text}"


def _title_terms(section: str) -> tuple[str, ...]:
    """Index terms of a chunk's own (most specific) section title: words only, no numbers or single
    Chinese characters."""
    leaf = section.split(SECTION_SEPARATOR)[-1]
    return tuple(dict.fromkeys(t for t in tokenize(leaf) if len(t) > 1 and not t.replace(".", "").isdigit()))


def _row_bound(row: str) -> Decimal | None:
    """The largest amount (≥ 1,000) in a table row's last line; None when the row names none."""
    values = []
    for token in _NUMBER.findall(row.rsplit("\n", 1)[-1]):
        try:
            values.append(Decimal(token.replace(",", "")))
        except InvalidOperation:
            continue
    values = [v for v in values if v >= 1000]
    return max(values) if values else None


def _diverse(hits: list[Hit], k: int) -> list[Hit]:
    """The k best, at most PER_SECTION from one section while other sections have passages left (the
    rows of one table would otherwise take every place)."""
    order = capped(list(range(len(hits))), [(h.document_id, h.section) for h in hits])
    return [hits[i] for i in order][:k]


def _header_terms(row: str) -> set[str]:
    """Words of a table row's header line (no numbers, no single Chinese characters)."""
    return {t for t in tokenize(row.split("\n", 1)[0]) if len(t) > 1 and not t.replace(".", "").isdigit()}


def _is_table_row(text: str) -> bool:
    lines = text.split("\n")
    return len(lines) >= 2 and all(line.lstrip().startswith("|") for line in lines)


class PolicyStore:
    """Ingest, remove, list and search policy documents. Search returns citable `Hit`s."""

    def __init__(self, client: ClientAPI | Callable[[], ClientAPI], *, embedding: EmbeddingFunction[Documents],
                 index_dir: Path, collection: str | None = None, candidates: int = 30,
                 dense_weights: Mapping[str, float] = DEFAULT_DENSE_WEIGHTS,
                 seed: Callable[[PolicyStore], object] | None = None) -> None:  # fmt: skip
        """`client` may be a factory, called on first use (a Chroma server that is down then fails the
        call that needs it, not the start-up). `seed` runs once when the collection is first found empty
        (e.g. `ensure_default_policies`). `dense_weights` sets the dense share of hybrid fusion per query
        language (default 1.0)."""
        self._client_or_factory = client
        self._embedding = embedding
        self._name = collection or collection_name(embedding)
        self._index_path = index_dir / f"{self._name}.bm25.npz"
        self._lexical: LexicalIndex | None = None
        self._candidates = candidates
        self._dense_weights = dense_weights
        self._seed = seed
        self._pending: dict[str, list[LexicalEntry]] | None = None  # lexical updates deferred by bulk()
        self._lock = threading.RLock()  # first open + seed, and this process's lexical index updates
        self._ready: ChromaCollection | None = None
        self._seeding: ChromaCollection | None = None

    @cached_property
    def _client(self) -> ClientAPI:
        source = self._client_or_factory
        return source() if callable(source) else source

    @property
    def _collection(self) -> ChromaCollection:
        """The collection, created and (when empty) seeded on first use. Other threads wait for the seed
        to finish rather than search a half-seeded store; the seed itself ingests through this store."""
        if self._ready is not None:
            return self._ready
        with self._lock:
            if self._ready is not None:
                return self._ready
            if self._seeding is not None:  # re-entered by the seed, on the thread holding the lock
                return self._seeding
            collection = self._open_collection()
            if self._seed is not None and collection.count() == 0:
                self._seeding = collection
                try:
                    self._seed(self)
                finally:
                    self._seeding = None
            self._ready = collection
            return collection

    def _open_collection(self) -> ChromaCollection:
        try:
            collection = self._client.get_or_create_collection(
                self._name, embedding_function=self._embedding, configuration={"hnsw": {"space": "cosine"}}
            )
        except CreditDeskError:
            raise
        except Exception as exc:  # the server is down or refuses us: a clear, typed error
            raise UpstreamUnavailable(f"the policy store (Chroma) is not available: {exc}") from exc
        return collection

    @property
    def name(self) -> str:
        return self._name

    def count(self) -> int:
        """Number of chunks held."""
        return self._collection.count()

    # --- search --------------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, access_tags: Collection[str] | None = None, *,
               mode: SearchMode = "hybrid", language: Literal["auto", "any"] = "auto") -> list[Hit]:  # fmt: skip
        """The k best passages for a question, best first.

        `access_tags` restricts the search to chunks whose document carries one of these tags (applied
        inside both retrievers, before ranking); None searches everything (trusted callers only).
        `language="auto"` answers from documents in the question's language (or the one it asks for by
        name; any language when none of those match); "any" searches every document.

        Rankings fused (RRF): dense, BM25 over the question's terms and their synonyms (English and
        Chinese), the chunk's own section title, and, when the question names an amount, the row of an
        amount-banded table (an authority matrix) whose band holds it.
        """
        text = clean_text(query).strip()
        if not text:
            raise InvalidInput("the question is empty", field="query")
        if k < 1:
            raise InvalidInput("k must be at least 1", field="k")
        if access_tags is not None and not access_tags:
            return []
        tags = None if access_tags is None else sorted(set(access_tags))
        languages = wanted_languages(text, detect_language([text])) if language == "auto" else None
        lexical = self._lexical_index()
        fused = self._fused(lexical, text, k, tags, languages, mode)
        if not fused and languages is not None:  # nothing in the question's language: any language
            fused = self._fused(lexical, text, k, tags, None, mode)
        return _diverse(self._hits(fused[: 2 * k]), k)

    def _fused(self, lexical: LexicalIndex, text: str, k: int, tags: list[str] | None, languages: set[str] | None,
               mode: SearchMode) -> list[tuple[str, float]]:  # fmt: skip
        n = max(self._candidates, 4 * k)
        rankings: list[list[str]] = []
        weights: list[float] = []
        terms = tokenize(text)
        if mode in ("hybrid", "dense"):
            rankings.append(self._dense(lexical, text, n, tags, languages))
            weights.append(self._dense_weights.get(detect_language([text]), 1.0))
        if mode in ("hybrid", "lexical"):
            wanted = expand(text, terms)
            rankings.append([cid for cid, _ in lexical.search(wanted, n, tags, languages)])
            weights.append(1.0)
            rankings.append(lexical.title_search(wanted, n, tags, languages))
            weights.append(TITLE_WEIGHT)
        if amounts := amounts_in(text):
            first = reciprocal_rank_fusion(rankings, weights=weights)
            # a header word shared with the question must be telling, not "credit" or 授信
            wanted_terms = {t for t in expand(text, terms) if 0 < lexical.share_with(t) <= RARE_TERM_SHARE}
            band = self._band_rows(amounts[0], [cid for cid, _ in first[:n]], wanted_terms)
            rankings, weights = [*rankings, band], [*weights, BAND_WEIGHT]
        return _by_section(lexical, rankings, weights)

    def _band_rows(self, amount: Decimal, candidates: list[str], wanted: set[str]) -> list[str]:
        """For each table among the candidates whose header shares a word with the question and whose
        rows carry amounts ("up to 5,000,000"), the row whose band holds `amount`: the first row, in
        order, whose amount is at least it (a row with no amount after rows with amounts is the open
        top band)."""
        got = self._collection.get(ids=candidates, include=["documents", "metadatas"])
        tables = {(str(m["document_id"]), str(m.get("section", ""))) for doc, m in
                  zip(got["documents"] or [], got["metadatas"] or [], strict=True)
                  if _is_table_row(doc or "") and _header_terms(doc or "") & wanted}  # fmt: skip
        picked: list[str] = []
        for document_id, section in sorted(tables):
            rows = self._collection.get(where={"$and": [{"document_id": document_id}, {"section": section}]},
                                        include=["documents", "metadatas"])  # fmt: skip
            ordered = sorted(zip(rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True),
                             key=lambda r: int(r[2].get("ordinal", 0)))  # fmt: skip
            bounded = False
            for cid, doc, _ in ordered:
                if not _is_table_row(doc or ""):
                    continue
                bound = _row_bound(doc or "")
                if (bound is not None and bound >= amount) or (bound is None and bounded):
                    picked.append(cid)
                    break
                bounded = bounded or bound is not None
        return picked

    def _dense(self, lexical: LexicalIndex, text: str, n: int, tags: list[str] | None,
               languages: set[str] | None) -> list[str]:  # fmt: skip
        """The n nearest chunks (access filtered inside Chroma; language and the per-section cap applied
        on the result with the lexical index's records, which cost no extra query)."""
        where: Any = {"access": {"$in": tags}} if tags is not None else None
        result = self._collection.query(query_embeddings=self._embedding.embed_query([text]), n_results=n,
                                        where=where, include=[])  # fmt: skip
        ids = [c for c in result["ids"][0] if languages is None or lexical.language_of(c) in languages]
        return [ids[i] for i in capped(list(range(len(ids))), [lexical.section_of(c) for c in ids])]

    def _hits(self, fused: Sequence[tuple[str, float]]) -> list[Hit]:
        if not fused:
            return []
        got = self._collection.get(ids=[cid for cid, _ in fused], include=["documents", "metadatas"])
        records = {cid: (doc, meta) for cid, doc, meta in zip(got["ids"], got["documents"] or [],
                                                                  got["metadatas"] or [], strict=True)}  # fmt: skip
        hits = []
        for cid, score in fused:
            if cid not in records:  # removed by another process since the lexical index was read
                continue
            doc, meta = records[cid]
            hits.append(Hit(document=str(meta["title"]), document_id=str(meta["document_id"]),
                            section=str(meta.get("section", "")), page=_int_or_none(meta.get("page")),
                            text=str(doc), score=round(score, 6), chunk_id=cid,
                            version=_str_or_none(meta.get("version")), language=str(meta.get("language", "en"))))  # fmt: skip
        return hits

    # --- ingest and remove ---------------------------------------------------------------------
    def ingest(self, document: LoadedDocument) -> tuple[IngestStatus, int]:
        """Add or replace a document; a no-op when its content hash is unchanged. Returns (status, chunks)."""
        existing = self._collection.get(where={"document_id": document.document_id}, include=["metadatas"])
        hashes = {m.get("content_hash") for m in existing["metadatas"] or []}
        if existing["ids"] and hashes == {document.content_hash}:
            return "unchanged", len(existing["ids"])
        chunks = chunk_document(document)
        if not chunks:
            raise InvalidInput(f"{document.source}: no text to index", field=document.source)
        texts = [_index_text(document.title, c.section, c.text) for c in chunks]
        ids = [c.chunk_id for c in chunks]
        batch = self._client.get_max_batch_size()
        for start in range(0, len(chunks), batch):
            part = slice(start, start + batch)
            self._collection.upsert(ids=ids[part], embeddings=self._embedding(texts[part]),
                                    documents=[c.text for c in chunks[part]],
                                    metadatas=[_metadata(document, c) for c in chunks[part]])  # fmt: skip
        stale = sorted(set(existing["ids"]) - set(ids))
        for start in range(0, len(stale), batch):
            self._collection.delete(ids=stale[start : start + batch])
        entries = [LexicalEntry(c.chunk_id, document.document_id, document.access, tokenize(t),
                                document.language, _title_terms(c.section), c.section)
                   for c, t in zip(chunks, texts, strict=True)]  # fmt: skip
        self._lexical_update({document.document_id: entries})
        return ("replaced" if existing["ids"] else "added"), len(chunks)

    def remove(self, document_id: str) -> int:
        """Delete a document's chunks; returns how many. NotFound if the store does not hold it."""
        existing = self._collection.get(where={"document_id": document_id}, include=[])
        if not existing["ids"]:
            known = ", ".join(d.document_id for d in self.documents()[:10])
            raise NotFound(
                f"no document '{document_id}' in the knowledge base" + (f" (held: {known})" if known else "")
            )
        self._collection.delete(ids=existing["ids"])
        self._lexical_update({document_id: []})
        return len(existing["ids"])

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Defer the lexical index rebuild to the end of a batch of ingests/removals."""
        if self._pending is not None:
            yield
            return
        self._pending = {}
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if pending:
                self._apply_lexical(pending)

    def documents(self) -> list[DocumentInfo]:
        """The documents held, by id."""
        info: dict[str, dict[str, Any]] = {}
        for _, _, meta in self._scan(include_documents=False):
            entry = info.setdefault(str(meta["document_id"]), {"meta": meta, "chunks": 0})
            entry["chunks"] += 1
        return [DocumentInfo(document_id=doc_id, title=str(m["title"]), source=str(m.get("source", "")),
                             version=_str_or_none(m.get("version")), date=_date_or_none(m.get("date")),
                             language=str(m.get("doc_language", "en")), access=str(m["access"]),
                             chunks=entry["chunks"], content_hash=str(m["content_hash"]))
                for doc_id, entry in sorted(info.items()) for m in [entry["meta"]]]  # fmt: skip

    # --- lexical index maintenance --------------------------------------------------------------
    def _revision(self) -> str:
        metadata = self._client.get_collection(self._name, embedding_function=self._embedding).metadata or {}
        return str(metadata.get("revision", ""))

    def _lexical_index(self) -> LexicalIndex:
        self._collection  # noqa: B018 - created (and seeded) on first use, before its revision is read
        revision = self._revision()
        current = self._lexical
        if current is not None and current.revision == revision:
            return current
        with self._lock:
            current = self._lexical
            if current is not None and current.revision == revision:
                return current
            index = LexicalIndex.load(self._index_path)
            if index is None or index.revision != revision:
                index = LexicalIndex(self._lexical_entries_from_chroma(), revision=revision)
                index.save(self._index_path)
            self._lexical = index
            return index

    def _lexical_entries_from_chroma(self) -> Iterator[LexicalEntry]:
        for cid, text, meta in self._scan(include_documents=True):
            section = str(meta.get("section", ""))
            terms = tokenize(_index_text(str(meta["title"]), section, text or ""))
            yield LexicalEntry(cid, str(meta["document_id"]), str(meta["access"]), terms,
                               str(meta.get("doc_language", "en")), _title_terms(section), section)  # fmt: skip

    def _lexical_update(self, updates: dict[str, list[LexicalEntry]]) -> None:
        if self._pending is not None:
            self._pending.update(updates)
        else:
            self._apply_lexical(updates)

    def _apply_lexical(self, updates: dict[str, list[LexicalEntry]]) -> None:
        with self._lock:
            current = self._lexical_index()  # current with Chroma before this process's change
            revision = uuid.uuid4().hex
            index = current.replaced(
                updates.keys(), [e for es in updates.values() for e in es], revision=revision
            )
            index.save(self._index_path)
            self._collection.modify(metadata={"revision": revision})
            self._lexical = index

    def _scan(self, *, include_documents: bool) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
        include: Any = ["metadatas", "documents"] if include_documents else ["metadatas"]
        offset = 0
        while True:
            page = self._collection.get(include=include, limit=_PAGE, offset=offset)
            if not page["ids"]:
                return
            documents = (
                page["documents"] if include_documents and page["documents"] else [None] * len(page["ids"])
            )
            yield from zip(page["ids"], documents, [dict(m) for m in page["metadatas"] or []], strict=True)
            offset += len(page["ids"])


def _by_section(
    lexical: LexicalIndex, rankings: list[list[str]], weights: list[float]
) -> list[tuple[str, float]]:
    """Fuse at section level, then order passages within a section: a section split into many chunks (a
    table's rows) is found as one, and its best passage leads. Each passage scores its section's fused
    score."""
    section_of = lexical.section_of
    sections = [list(dict.fromkeys(section_of(cid) for cid in ranking)) for ranking in rankings]
    section_scores = dict(reciprocal_rank_fusion(sections, weights=weights))
    chunk_scores = dict(reciprocal_rank_fusion(rankings, weights=weights))
    order = sorted(chunk_scores, key=lambda cid: (-section_scores[section_of(cid)], -chunk_scores[cid]))
    return [(cid, section_scores[section_of(cid)]) for cid in order]


def _metadata(document: LoadedDocument, chunk: Chunk) -> dict[str, str | int]:
    meta: dict[str, str | int] = {
        "document_id": document.document_id,
        "title": document.title,
        "source": document.source,
        "section": chunk.section,
        "section_depth": len(chunk.section_path),
        "ordinal": chunk.ordinal,
        "language": detect_language([chunk.text]),
        "doc_language": document.language,
        "access": document.access,
        "content_hash": document.content_hash,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    if document.version:
        meta["version"] = document.version
    if document.date:
        meta["date"] = document.date.isoformat()
    return meta


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _str_or_none(value: object) -> str | None:
    return str(value) if value is not None else None


def _date_or_none(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None
