"""Text hygiene at ingest: drop invisible and control characters that can hide instructions or break search.

Removed: zero-width characters, bidirectional controls, Unicode tag characters (U+E0000–U+E007F), the BOM,
soft hyphens and other format (Cf) characters, private-use characters, and C0/C1 control characters
except tab and newline.
Line and paragraph separators become newlines; CRLF becomes LF; text is NFC-normalised.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP_CONTROLS = frozenset("\n\t")
# control, format (zero-width, bidi, tags, BOM), surrogate, private use
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def _visible(char: str) -> bool:
    if char in _KEEP_CONTROLS:
        return True
    return unicodedata.category(char) not in _DROPPED_CATEGORIES


def clean_text(text: str) -> str:
    """The text with invisible/control characters removed and line breaks normalised."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return "".join(ch for ch in text if _visible(ch))
