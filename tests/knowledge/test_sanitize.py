from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from knowledge.sanitize import clean_text


def test_strips_invisible_and_control_characters() -> None:
    hidden = "Limit\u200b 5M\u202e\u2066 \U000e0049\U000e0047\U000e004e\ufeff ok\x00\x07\u00ad"
    assert clean_text(hidden) == "Limit 5M  ok"


def test_keeps_text_tabs_newlines_and_chinese() -> None:
    assert clean_text("授信额度\tlimit\r\nline two\u2028three") == "授信额度\tlimit\nline two\nthree"


@given(st.text())
def test_output_has_no_format_or_control_characters_and_is_idempotent(text: str) -> None:
    out = clean_text(text)
    assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co") for ch in out)
    assert clean_text(out) == out
