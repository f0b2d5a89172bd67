"""Typed records of the knowledge base: loaded documents, chunks, search hits, ingest outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.access import PUBLIC_ACCESS

SECTION_SEPARATOR = " > "

BlockKind = Literal["heading", "text", "table"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Block(_Frozen):
    """One structural piece of a document, in reading order."""

    kind: BlockKind
    text: str
    level: int = 0  # heading depth (1 = top); 0 for text and tables
    page: int | None = None  # 1-based page number where the format has pages (PDF)


class LoadedDocument(_Frozen):
    """A parsed, sanitised document ready to be chunked."""

    document_id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    source: str  # file name the document came from
    version: str | None = None
    date: dt.date | None = None
    language: str = "en"
    access: str = PUBLIC_ACCESS
    content_hash: str  # of the source bytes and the ingest options: unchanged hash => re-ingest is a no-op
    blocks: list[Block]
    sanitised: dict[str, int] = Field(default_factory=dict)  # invisible characters removed: "U+FE0F" -> 3


class Chunk(_Frozen):
    """A retrievable passage: a piece of one section of one document."""

    chunk_id: str
    document_id: str
    section_path: tuple[str, ...]
    text: str
    page: int | None = None
    ordinal: int  # position of the chunk in its document

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(self.section_path)


class Hit(_Frozen):
    """A search result that can be cited: "[1] Credit Policy Manual § 7.2 Exceptions, p. 3"."""

    document: str  # document title
    document_id: str
    section: str  # section path, e.g. "7 Approval authority > 7.2 Exceptions"
    page: int | None = None
    text: str
    score: float  # fused relevance (higher is better); comparable only within one result list
    chunk_id: str
    version: str | None = None
    language: str = "en"

    @property
    def citation(self) -> str:
        """Human-readable reference: title, most specific section, page."""
        parts = [self.document]
        if self.section:
            parts.append(f"§ {self.section.split(SECTION_SEPARATOR)[-1]}")
        text = " ".join(parts)
        return f"{text}, p. {self.page}" if self.page is not None else text


class DocumentInfo(_Frozen):
    """A document held in the store (for `kb list`)."""

    document_id: str
    title: str
    source: str
    version: str | None
    date: dt.date | None
    language: str
    access: str
    chunks: int
    content_hash: str


IngestStatus = Literal["added", "replaced", "unchanged", "failed"]


class IngestOutcome(_Frozen):
    """What happened to one file of an ingest batch."""

    path: str
    status: IngestStatus
    document_id: str | None = None
    title: str | None = None
    chunks: int = 0
    reason: str | None = None  # why it failed
    content_hash: str | None = None
    source: str | None = None
    sanitised: dict[str, int] = Field(default_factory=dict)  # invisible characters removed at ingest


class IngestReport(_Frozen):
    outcomes: list[IngestOutcome]

    @property
    def failed(self) -> list[IngestOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: IngestStatus) -> int:
        return sum(1 for o in self.outcomes if o.status == status)
