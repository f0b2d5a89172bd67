"""DOCX (python-docx): heading styles give the section structure, tables are kept whole in reading order."""

from __future__ import annotations

import re
from io import BytesIO

from knowledge.loaders.common import Parsed
from knowledge.models import Block

_HEADING_STYLE = re.compile(r"^Heading (\d)$")


def _table_text(table) -> str:  # type: ignore[no-untyped-def]
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def parse_docx(data: bytes) -> Parsed:
    from docx import Document
    from docx.table import Table

    document = Document(BytesIO(data))
    blocks: list[Block] = []
    title: str | None = document.core_properties.title or None
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            if text := _table_text(item).strip():
                blocks.append(Block(kind="table", text=text))
            continue
        text = item.text.strip()
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        if style == "Title":
            title = title or text
        elif match := _HEADING_STYLE.match(style):
            blocks.append(Block(kind="heading", text=text, level=int(match.group(1))))
        else:
            blocks.append(Block(kind="text", text=text))
    props = document.core_properties
    meta: dict[str, object] = {"version": props.version or None, "date": props.modified or props.created}
    return Parsed(blocks=blocks, title=title, meta=meta)
