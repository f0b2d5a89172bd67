"""PDF (pypdf): text per page with its 1-based page number; numbered headings become sections."""

from __future__ import annotations

import logging
from io import BytesIO

from knowledge.loaders.common import Parsed, blocks_from_lines
from knowledge.models import Block


class UnreadablePdf(ValueError):
    pass


def parse_pdf(data: bytes) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files are reported, not logged

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except PdfReadError as exc:
        raise UnreadablePdf(f"not a readable PDF ({exc})") from exc
    if not any(text.strip() for text in pages):
        raise UnreadablePdf("the PDF has no extractable text (a scan? run OCR first)")
    blocks: list[Block] = []
    for number, text in enumerate(pages, start=1):
        blocks.extend(blocks_from_lines(text.split("\n"), page=number))
    title = (info.title if info else None) or None
    return Parsed(blocks=blocks, title=title.strip() if title else None)
