"""Block Kit rendering and /credit parsing (pure functions, no server)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.reply import Citation, Reply
from bot.slack import blocks
from bot.slack.listeners.commands import CreditCommand, parse
from bot.slack.listeners.views import parse_amount
from tools.engine.results import EarlyWarning


def test_markdown_tables_become_aligned_code_blocks() -> None:
    text = blocks.to_mrkdwn("**Top**\n| Client | DPD |\n|---|---:|\n| ACME | 35 |\nafter")
    assert text.startswith("*Top*\n```\nClient  DPD\n------  ---\nACME    35\n```\nafter")


def test_reply_renders_sources_degraded_note_and_stays_within_limits() -> None:
    reply = Reply(
        text="x" * 9000, citations=[Citation(n=1, document="Policy", section="4", page=2)], degraded=True
    )
    (message,) = blocks.reply_messages(reply)
    rendered = message.blocks
    texts = [b["text"]["text"] for b in rendered if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in texts) and "".join(texts) == "x" * 9000  # split, nothing lost
    contexts = [b["elements"][0]["text"] for b in rendered if b["type"] == "context"]
    assert "[1] Policy § 4, p. 2" in contexts[0] and "without the language model" in contexts[1]


def test_client_card_highlights_warnings_and_overdue_review() -> None:
    card = blocks.ClientCard(
        client_id=1,
        name="ACME",
        grade=5,
        total_limit=Decimal("1000000"),
        utilisation=0.8,
        review_overdue=True,
        next_review=dt.date(2026, 10, 1),
        warnings=[EarlyWarning(indicator="dpd", level="red", message="35 days past due")],
    )
    text = str(blocks.client_card_blocks(card))
    assert (
        "1,000,000" in text and "80%" in text and "overdue" in text and ":red_circle: *Dpd*" in text
    )  # a name, not the raw code


def test_parse_credit_command() -> None:
    assert parse("") == CreditCommand("help")
    assert parse("ACME Holdings") == CreditCommand("profile", "ACME Holdings")
    assert parse("memo ACME docx") == CreditCommand("memo", "ACME", "docx")
    assert parse("memo submit ACME docx") == CreditCommand("memo", "ACME", "docx", submit=True)
    assert parse("报告 提交 ACME") == CreditCommand("memo", "ACME", "pdf", submit=True)
    assert parse("memo submit") == CreditCommand("memo", "submit")  # alone, it is the client's name
    assert parse("watchlist") == CreditCommand("watchlist")
    assert parse("due") == CreditCommand("due")


def test_parse_amount() -> None:
    assert parse_amount("5,000,000") == Decimal("5000000")
    assert parse_amount("5.5M") == Decimal("5500000.0")
    assert parse_amount("750k") == Decimal("750000")
    assert parse_amount("-1") is None and parse_amount("lots") is None
    assert parse_amount("USD 1,200,000") == Decimal("1200000")
    assert parse_amount("1e20") is None and parse_amount("1e400") is None and parse_amount("0") is None
