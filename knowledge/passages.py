"""Policy passages as people read them: Markdown tables and list marks turned into plain sentences, and
excerpts cut between sentences or words, never inside one. Used wherever a passage is quoted (the review
memo's policy references, the assistant's policy answers)."""

from __future__ import annotations

import re

from kernel.catalogue import Language

_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def plain_text(text: str, language: Language) -> str:
    """A policy passage as plain sentences: a Markdown table's rows read "Grades: 9–10; Review every:
    3 months" (评级：9–10级；评估频率：每3个月), list marks and emphasis dropped; no pipes or rules left."""
    colon, sep, end = ("：", "；", "。") if language == "zh" else (": ", "; ", ".")
    out: list[str] = []
    header: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") or (header is not None and "|" in stripped):
            if _TABLE_RULE.match(stripped):
                continue
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if header is None:
                header = cells
                continue
            pairs = [f"{h}{colon}{v}" if h else v for h, v in zip(header, cells, strict=False) if v]
            out.append(sep.join(pairs) + end)
            continue
        header = None
        out.append(_LIST_MARK.sub("", stripped).replace("**", "").replace("__", ""))
    return " ".join(x for x in out if x)


def excerpt(text: str, limit: int = 240) -> str:
    """The passage up to `limit` characters, cut at a sentence or word boundary (never inside a word)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    sentence = max(head.rfind(". "), head.rfind("。"), head.rfind("; "))
    if sentence >= limit // 2:
        return head[: sentence + 1]
    space = head.rfind(" ")
    cut = head[:space] if space >= limit // 2 else head
    return cut.rstrip(" ,;:-|") + "…"
