"""Document loaders: Markdown, plain text, PDF and DOCX into sanitised, structured documents."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kernel.errors import InvalidInput
from knowledge.loaders.common import PIPELINE_VERSION, Parsed, as_date, detect_language, slugify
from knowledge.models import PUBLIC_ACCESS, Block, LoadedDocument
from knowledge.sanitize import clean_text

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".pdf", ".docx"})
_ACCESS_TAG = re.compile(r"[a-z0-9_-]{1,40}")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from exc


def _parser(suffix: str, removed: Counter[str]) -> Callable[[bytes], Parsed]:
    if suffix in (".md", ".markdown"):
        from knowledge.loaders.markdown import parse_markdown

        return lambda data: parse_markdown(clean_text(_decode(data), removed))
    if suffix == ".txt":
        from knowledge.loaders.text import parse_text

        return lambda data: parse_text(clean_text(_decode(data), removed))
    if suffix == ".pdf":
        from knowledge.loaders.pdf import parse_pdf

        return parse_pdf
    if suffix == ".docx":
        from knowledge.loaders.docx import parse_docx

        return parse_docx
    raise ValueError(f"unsupported file type '{suffix}' (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})")


def _clean_blocks(blocks: list[Block], removed: Counter[str]) -> list[Block]:
    """Sanitise every block (PDF and DOCX text is cleaned here) and drop blocks left empty."""
    cleaned = (b.model_copy(update={"text": clean_text(b.text, removed).strip("\n")}) for b in blocks)
    return [b for b in cleaned if b.text.strip()]


def load_document(path: Path, *, access: str | None = None, document_id: str | None = None) -> LoadedDocument:
    """Parse one file. Raises InvalidInput naming the file and the reason when it cannot be read.

    Front matter (Markdown) may set `id`, `title`, `version`, `date`, `language` and `access`; the
    arguments override it. The document id defaults to the file name without its extension.
    """
    suffix = path.suffix.lower()
    removed: Counter[str] = Counter()
    try:
        data = path.read_bytes()
        parsed = _parser(suffix, removed)(data)
    except InvalidInput:
        raise
    except Exception as exc:  # any parser failure is reported by name; the batch goes on
        raise InvalidInput(f"{path.name}: {exc}", field=path.name) from exc
    blocks = _clean_blocks(parsed.blocks, removed)
    if not any(b.kind != "heading" for b in blocks):
        raise InvalidInput(f"{path.name}: no text found", field=path.name)
    meta = parsed.meta
    doc_id = document_id or (str(meta["id"]) if meta.get("id") else slugify(path.stem))
    tag = access or str(meta.get("access") or PUBLIC_ACCESS)
    if not _ACCESS_TAG.fullmatch(tag):
        raise InvalidInput(f"{path.name}: access tag '{tag}' must be lower-case letters, digits, '_' or '-'",
                           field="access")  # fmt: skip
    options = json.dumps({"id": doc_id, "access": tag, "pipeline": PIPELINE_VERSION}, sort_keys=True)
    try:
        date = as_date(meta.get("date") or meta.get("effective_date"))
    except ValueError as exc:
        raise InvalidInput(f"{path.name}: bad date in metadata ({exc})", field=path.name) from exc
    title = (
        clean_text(parsed.title or "", removed).strip()
        or path.stem.replace("_", " ").replace("-", " ").strip()
    )
    return LoadedDocument(
        document_id=slugify(doc_id),
        title=title,
        source=path.name,
        version=str(meta["version"]) if meta.get("version") is not None else None,
        date=date,
        language=str(meta.get("language") or detect_language(b.text for b in blocks)),
        access=tag,
        content_hash=hashlib.sha256(data + options.encode()).hexdigest(),
        blocks=blocks,
        sanitised=dict(sorted(removed.items())),
    )
