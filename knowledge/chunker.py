"""Split a document into citable chunks: by section heading first, then by size.

Each chunk keeps its section path ("7 Approval authority > 7.2 Exceptions"), the page it starts on and a
stable id (a hash of document id, section path and text, so editing one section keeps the other ids).
A table becomes one chunk per row, each carrying the table's header (and its separator line), so a row
is found and cited on its own and still reads with its column names; a table of a header alone stays
whole. Paragraphs are split only when one alone exceeds the size limit (at sentence, then line, then
character boundaries). Chunk texts together hold every character of every non-heading block (a table's
header once per row).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator

from knowledge.models import SECTION_SEPARATOR, Block, Chunk, LoadedDocument

DEFAULT_MAX_CHARS = 1200
_SENTENCE = re.compile(r"(?<=[.!?;。！？；])\s+|(?<=[。！？；])")
_SEPARATOR_LINE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _split_long(text: str, max_chars: int) -> Iterator[str]:
    """Pieces of at most max_chars, cut at sentence ends, else line ends, else hard."""
    piece = ""
    for sentence in _pieces(text):
        if piece and len(piece) + 1 + len(sentence) > max_chars:
            yield piece
            piece = ""
        while len(sentence) > max_chars:
            yield sentence[:max_chars]
            sentence = sentence[max_chars:]
        piece = f"{piece} {sentence}" if piece else sentence
    if piece:
        yield piece


def _pieces(text: str) -> Iterator[str]:
    for line in text.split("\n"):
        for sentence in _SENTENCE.split(line):
            if sentence.strip():
                yield sentence.strip()


def table_rows(text: str) -> list[str]:
    """A table as header-carrying rows: "header\nseparator\nrow" for each row (the table whole when it has
    no row below its header)."""
    lines = [line for line in text.split("\n") if line.strip()]
    head = 2 if len(lines) > 1 and _SEPARATOR_LINE.match(lines[1]) else 1
    if len(lines) <= head:
        return [text]
    header = "\n".join(lines[:head])
    return [f"{header}\n{row}" for row in lines[head:]]


def _units(block: Block, max_chars: int) -> Iterator[str]:
    if len(block.text) <= max_chars:
        yield block.text
    else:
        yield from _split_long(block.text, max_chars)


def _chunk_id(document_id: str, path: tuple[str, ...], text: str, occurrence: int) -> str:
    key = "\x1f".join((document_id, SECTION_SEPARATOR.join(path), text, str(occurrence)))
    return f"{document_id}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def chunk_document(document: LoadedDocument, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """The document's chunks in reading order."""
    chunks: list[Chunk] = []
    seen: Counter[tuple[tuple[str, ...], str]] = Counter()
    headings: list[tuple[int, str]] = []  # (level, text) of the open sections
    parts: list[str] = []
    page: int | None = None

    def emit() -> None:
        nonlocal page
        if parts:
            path = tuple(text for _, text in headings)
            text = "\n\n".join(parts)
            seen[path, text] += 1
            chunk_id = _chunk_id(document.document_id, path, text, seen[path, text])
            chunks.append(Chunk(chunk_id=chunk_id, document_id=document.document_id, section_path=path,
                                text=text, page=page, ordinal=len(chunks)))  # fmt: skip
            parts.clear()
        page = None

    for block in document.blocks:
        if block.kind == "heading":
            emit()
            while headings and headings[-1][0] >= block.level:
                headings.pop()
            headings.append((block.level, block.text))
            continue
        if block.kind == "table":  # each row its own chunk, never merged with the text around it
            emit()
            for row in table_rows(block.text):
                page = block.page
                parts.append(row)
                emit()
            continue
        for unit in _units(block, max_chars):
            if parts and sum(len(p) + 2 for p in parts) + len(unit) > max_chars:
                emit()
            if not parts:
                page = block.page
            parts.append(unit)
    emit()
    return chunks
