"""Plain text: numbered headings ("7.2 Exceptions", "第三章 审批") are recognised, the rest is paragraphs."""

from __future__ import annotations

from knowledge.loaders.common import Parsed, blocks_from_lines, heading_level


def parse_text(text: str) -> Parsed:
    lines = text.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    title = None
    if first and len(first) <= 120 and not heading_level(first):
        title = first
        lines = lines[lines.index(next(line for line in lines if line.strip())) + 1 :]
    return Parsed(blocks=blocks_from_lines(lines), title=title)
