"""Memo → Markdown / HTML through the Jinja2 templates of its language (tools/memos/templates/{en,zh})."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tools.memos.labels import labels, localised, term
from tools.memos.models import Memo

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = lambda v: " ".join(str(v).split()).replace("|", "\\|")
    return env


def _context(memo: Memo, charts: dict[str, bytes] | None) -> dict[str, Any]:
    memo = localised(memo)
    uris = {
        k: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        for k, png in (charts or {}).items()
    }
    titles = {c.key: c.title for c in memo.charts}
    return {"memo": memo, "L": labels(memo.language), "charts": uris, "chart_titles": titles,
            "sha": memo.snapshot_sha256[:12], "status": term(memo.language, "status", memo.status)}  # fmt: skip


def render_markdown(memo: Memo) -> str:
    return _env().get_template(f"{memo.language}/memo.md.j2").render(_context(memo, None))


def render_html(memo: Memo, charts: dict[str, bytes]) -> str:
    """Self-contained HTML: inline CSS, charts as base64 PNG, no external URLs."""
    return _env().get_template(f"{memo.language}/memo.html.j2").render(_context(memo, charts))
