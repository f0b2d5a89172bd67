"""Markdown: optional YAML front matter, ATX headings, pipe tables kept whole, fenced code kept verbatim."""

from __future__ import annotations

import re

import yaml

from knowledge.loaders.common import Parsed
from knowledge.models import Block

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    meta = yaml.safe_load(text[4:end]) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[end + 4 :].lstrip("-").lstrip("\n")


def parse_markdown(text: str) -> Parsed:
    meta, body = _front_matter(text)
    blocks: list[Block] = []
    buffer: list[str] = []
    buffer_kind: str = "text"
    in_fence = False

    def flush() -> None:
        nonlocal buffer_kind
        if any(line.strip() for line in buffer):
            blocks.append(Block(kind=buffer_kind, text="\n".join(buffer).strip("\n")))  # type: ignore[arg-type]
        buffer.clear()
        buffer_kind = "text"

    for line in body.split("\n"):
        if _FENCE.match(line):
            if not in_fence:
                flush()
            buffer.append(line)
            in_fence = not in_fence
            if not in_fence:
                flush()
            continue
        if in_fence:
            buffer.append(line)
            continue
        is_table_line = line.lstrip().startswith("|")
        if buffer and (buffer_kind == "table") != is_table_line:
            flush()
        if match := _HEADING.match(line):
            flush()
            blocks.append(Block(kind="heading", text=match.group(2), level=len(match.group(1))))
        elif not line.strip():
            flush()
        elif is_table_line or not buffer or _LIST_ITEM.match(line):
            buffer_kind = "table" if is_table_line else "text"
            buffer.append(line)
        else:  # a wrapped line continues the paragraph or list item above
            buffer[-1] = f"{buffer[-1]} {line.strip()}"
    flush()

    title = meta.get("title")
    top = [b for b in blocks if b.kind == "heading" and b.level == 1]
    if len(top) == 1 and blocks and blocks[0] is top[0]:
        title = title or top[0].text
        blocks = blocks[1:]  # the document title is not a section
    return Parsed(blocks=blocks, title=str(title) if title else None, meta=meta)
