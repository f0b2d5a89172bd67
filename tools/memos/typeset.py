"""Where memo text may break across lines: an amount (`USD 500,000`) and a date (`31 Dec 2025`,
`2026年12月11日`) are one unbreakable unit, and a word is never cut.

`bind(text)` is the one place the renderers (PDF, DOCX) turn memo text into what they lay out: the space
between a currency and its figure, and inside an English date, becomes a no-break space (U+00A0, which
reportlab's Western wrapping and Word keep together); inside a Chinese date a word joiner (U+2060) sits
between the figures and 年/月/日. `breaks(text)` says after which characters a line may end: after a space,
or beside a Chinese character (with the kinsoku rules: no line starts with a closing mark, none ends with
an opening one); never inside a run of Latin letters and digits, never at a no-break space or a word joiner.
The Chinese PDF lays its lines out with it (reportlab's own CJK wrapping cuts anywhere, words and amounts
included), and a table's column is never narrower than its widest unbreakable unit (`units`).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
WORD_JOINER = "\u2060"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_AMOUNT = re.compile(r"\b([A-Z]{3}) (?=[-\u2212]?\d)")  # USD 1,250,000 · EUR -63,245
_DATE_EN = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")  # 31 Dec 2025
_DATE_EN_MONTH = re.compile(rf"\b({_MONTHS}) (\d{{4}})\b")  # Oct 2026
_DATE_ZH = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?")  # 2026年12月11日 · 2026年10月

# kinsoku (after reportlab.lib.textsplit): marks that never start a line, and marks that never end one
CANNOT_START = set("!),.:;?]}%\u00b0\u2019\u201d\u2026\u2030\u3001\u3002\u3005\u3009\u300b\u300d\u300f\u3011"
                   "\u3015\u3017\u301f\uff01\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3d\uff5d\uff05")  # fmt: skip
CANNOT_END = set("([{\u2018\u201c\u3008\u300a\u300c\u300e\u3010\u3014\u3016\uff08\uff3b\uff5b")


def bind(text: str) -> str:
    """`text` with every amount and date made one unbreakable unit (see the module's docstring)."""
    if not text:
        return text
    text = _AMOUNT.sub(rf"\1{NBSP}", text)
    text = _DATE_EN.sub(rf"\1{NBSP}\2{NBSP}\3", text)
    text = _DATE_EN_MONTH.sub(rf"\1{NBSP}\2", text)
    return _DATE_ZH.sub(lambda m: WORD_JOINER.join(_zh_date_parts(m.group())), text)


def _zh_date_parts(date: str) -> list[str]:
    return [p for p in re.split(r"(年|月|日)", date) if p]


def is_wide(ch: str) -> bool:
    """A Chinese character or mark (a line may break beside it)."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF


def _is_space(ch: str) -> bool:
    return ch.isspace() and ch != NBSP


def breaks(text: str) -> list[bool]:
    """For each character: may a line end right after it? (The last character's answer is True.)"""
    out = [False] * len(text)
    for i, (a, b) in enumerate(zip(text, text[1:], strict=False)):
        if a in (WORD_JOINER, NBSP) or b in (WORD_JOINER, NBSP):
            continue
        if _is_space(a):
            out[i] = not _is_space(b)  # after the last of a run of spaces
        elif _is_space(b):
            continue
        elif is_wide(a) or is_wide(b):
            out[i] = b not in CANNOT_START and a not in CANNOT_END
    if text:
        out[-1] = True
    return out


def units(text: str) -> list[str]:
    """The unbreakable pieces of `text`, spaces and word joiners left out (`USD 500,000` is one)."""
    pieces, start = [], 0
    for i, can in enumerate(breaks(text)):
        if can:
            pieces.append(text[start : i + 1])
            start = i + 1
    cleaned = (p.replace(WORD_JOINER, "").strip(" \t\n") for p in pieces)
    return [p for p in cleaned if p]


def unbind(text: str) -> str:
    """What is drawn: the word joiners (no glyph in the embedded fonts) left out."""
    return text.replace(WORD_JOINER, "")
