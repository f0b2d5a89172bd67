"""Shared pieces of the loaders: the parsed intermediate form, heading heuristics, ids and language."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.models import Block

# Bump when parsing or chunking changes so that re-ingesting an unchanged file re-chunks it once.
PIPELINE_VERSION = "1"

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\S.{0,90})$")
_ZH_HEADING = re.compile(r"^第[一二三四五六七八九十百零〇\d]+([章节条])\s*\S.{0,40}$")
_ZH_LEVELS = {"章": 1, "节": 2, "条": 3}
_SENTENCE_END = tuple(".;:,!?。；：，！？")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Parsed:
    """What a format-specific parser returns; `load_document` turns it into a LoadedDocument."""

    blocks: list[Block]
    title: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def heading_level(line: str) -> int:
    """Level of a numbered heading line ("7.2 Exceptions" -> 2, "第三章 审批" -> 1), or 0 if not a heading."""
    line = line.strip()
    if len(line) > 100 or line.endswith(_SENTENCE_END):
        return 0
    if match := _ZH_HEADING.match(line):
        return _ZH_LEVELS[match.group(1)]
    if (match := _NUMBERED_HEADING.match(line)) and len(match.group(2).split()) <= 12:
        return match.group(1).count(".") + 1
    return 0


def blocks_from_lines(lines: Iterable[str], *, page: int | None = None) -> list[Block]:
    """Plain-text lines into heading and paragraph blocks (paragraphs end at blank lines and headings)."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(kind="text", text="\n".join(paragraph), page=page))
            paragraph.clear()

    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif level := heading_level(line):
            flush()
            blocks.append(Block(kind="heading", text=line.strip(), level=level, page=page))
        else:
            paragraph.append(line)
    flush()
    return blocks


def slugify(name: str) -> str:
    """A document id from a file stem: lower-case ASCII, digits, '.', '_' and '-'."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._")
    return slug or "doc-" + hashlib.sha256(name.encode()).hexdigest()[:10]


def detect_language(texts: Iterable[str]) -> str:
    """'zh' when most letters are CJK ideographs, else 'en'."""
    cjk = letters = 0
    for text in texts:
        cjk += len(_CJK.findall(text))
        letters += len(_LETTER.findall(text))
    return "zh" if letters and cjk / letters > 0.3 else "en"


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None
