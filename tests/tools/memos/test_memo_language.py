"""A Chinese memo is Chinese throughout (#18): every engine sentence (warnings, reasons, notes, limit
explanations, proposal reasons, trends) rendered from its code and parameters, in Markdown, HTML and DOCX;
and no memo, English or Chinese, shows an internal code ([max_dpd_12m], cap_ebitda, size_segment, client:…)."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from docx import Document

from crm_adapter.protocol import ClientFilter
from tests.conftest import AS_OF, actor_of

ACME, GLOBEX, INITECH = 1001, 1003, 1004  # no statements; a healthy client; a client in default
# Latin words a Chinese memo keeps: EBITDA (no Chinese abbreviation), the product's name, and the policy
# version id (an identifier like a facility id: 2026.1-default).
ALLOWED = {"EBITDA", "Credit", "Desk", "default"}
SNAKE = re.compile(r"\[[a-z0-9]+(?:_[a-z0-9]+)+\]|\b[a-z]+(?:_[a-z0-9]+)+\b|client:\d+")


def _texts(memos, memo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    md = memos.render(memo, "md").decode()
    page = memos.render(memo, "html").decode()
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", " ", page)
    page = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    doc = Document(io.BytesIO(memos.render(memo, "docx")))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    docx = "\n".join([p.text for p in doc.paragraphs] + cells)
    return {"md": md, "html": page, "docx": docx}


def _book_words(container, memo) -> list[str]:  # type: ignore[no-untyped-def]
    """What the book itself holds in Latin letters: names, ids, insurers, and the officers' own words
    (contact notes, signal summaries: quoted as written)."""
    adapter = container.adapter
    clients = adapter.list_clients(ClientFilter(limit=100_000))
    words = {c.name for c in clients} | {o.name for o in adapter.list_officers()}
    words |= {o.officer_id for o in adapter.list_officers()}
    a = memo.data["assessment"]
    words |= {a["client"].get("group_name") or "", a["client"].get("group_id") or ""}
    words |= {c["insurer"] for c in a["insurance"]["covers"]} | {
        c["cover_id"] for c in a["insurance"]["covers"]
    }
    words |= {s["summary"] for s in a["reputation"]["recent"]}
    words |= {c["notes"] for c in memo.data["contacts"] if c.get("notes")}
    words |= {c["document"] for c in memo.data["citations"]}
    words |= {"USD", "EUR", "GBP", "CNY"}
    return sorted((w for w in words if w), key=len, reverse=True)


def _latin(text: str, words: list[str]) -> list[str]:
    for w in words:
        text = text.replace(w, " ")
    text = re.sub(r"\b[A-Z]-\d+(-\d+)*\b", " ", text)  # facility and cover ids
    text = re.sub(r"\b[0-9a-f]{12,64}\b", " ", text)  # the policy's and the snapshot's hashes
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


@pytest.mark.parametrize("client_id", [ACME, GLOBEX, INITECH])
def test_chinese_memo_has_no_english_words(demo_container, client_id) -> None:  # type: ignore[no-untyped-def]
    memos = demo_container.memos
    memo = memos.draft_review_memo(actor_of(demo_container, "rm.anna"), client_id, as_of=AS_OF, language="zh")
    words = _book_words(demo_container, memo)
    for fmt, text in _texts(memos, memo).items():
        assert _latin(text, words) == [], f"{fmt}: {_latin(text, words)}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_memo_shows_internal_codes(demo_container, language) -> None:  # type: ignore[no-untyped-def]
    memos = demo_container.memos
    for client_id in (ACME, GLOBEX, INITECH):
        memo = memos.draft_review_memo(
            actor_of(demo_container, "rm.anna"), client_id, as_of=AS_OF, language=language
        )
        for fmt, text in _texts(memos, memo).items():
            assert not SNAKE.findall(text), f"{language} {fmt} of {client_id}: {SNAKE.findall(text)}"


def test_chinese_memo_states_the_engines_reasons_in_chinese(demo_container) -> None:  # type: ignore[no-untyped-def]
    memos = demo_container.memos
    memo = memos.draft_review_memo(actor_of(demo_container, "rm.anna"), GLOBEX, as_of=AS_OF, language="zh")
    a = memo.data["assessment"]
    # Globex is above its recommendation by more than the policy's 15% (worked out from its figures:
    # current 360,000 vs. recommended 260,000): the proposal's reason, in Chinese, in the summary
    assert a["limit"]["current_limit"] == "360000.00" and a["limit"]["recommended"] == "260000.00"
    assert "现有额度 USD 360,000 超出建议额度 USD 260,000 逾 15%" in memo.section("executive_summary").bullets
    # its mandatory insurance covers 126,000 / 360,000 = 35% of a 60% requirement: the warning's sentence
    rows = memo.section("warnings").tables[0].rows
    assert any(r[-1] == "强制信用保险仅覆盖敞口的 35%，政策要求 60%" for r in rows), rows
