"""Text hygiene at ingest: drop invisible and control characters that can hide instructions or break search.

Removed: every format character (Unicode category Cf: zero-width characters, bidirectional controls,
Unicode tag characters U+E0000–U+E007F, the BOM, soft hyphens, interlinear annotation marks, …),
variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) and the other invisible combining or filler
characters that can carry a hidden message (Mongolian free variation selectors U+180B–U+180F, the
combining grapheme joiner U+034F, Hangul fillers), private-use and surrogate characters, and C0/C1
control characters except tab and newline.
Line and paragraph separators become newlines; CRLF becomes LF; text is NFC-normalised.
`clean_text(text, removed=Counter())` also counts what it removed ("U+FE0F" -> 3), for the ingest report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_KEEP_CONTROLS = frozenset("\n\t")
# control, format (zero-width, bidi, tags, BOM), surrogate, private use
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_INVISIBLE_RANGES = (
    (0xFE00, 0xFE0F),  # variation selectors 1-16
    (0xE0100, 0xE01EF),  # variation selectors 17-256
    (0x180B, 0x180F),  # Mongolian free variation selectors (and the vowel separator)
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
    (0x3164, 0x3164),  # Hangul filler
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xE0000, 0xE007F),  # tag characters (Cf already; listed for the reader)
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def is_invisible(char: str) -> bool:
    """Whether ingest removes this character."""
    if char in _KEEP_CONTROLS:
        return False
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return True
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _INVISIBLE_RANGES)


def clean_text(text: str, removed: Counter[str] | None = None) -> str:
    """The text with invisible/control characters removed and line breaks normalised; what was removed
    is counted into `removed` (by code point, "U+200B") when given."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    kept: list[str] = []
    for ch in text:
        if is_invisible(ch):
            if removed is not None:
                removed[f"U+{ord(ch):04X}"] += 1
        else:
            kept.append(ch)
    # again: a removed character may have kept two others from composing ("e", U+FE00, U+0301)
    return unicodedata.normalize("NFC", "".join(kept))
