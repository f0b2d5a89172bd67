"""Dates in assistant answers are written the reader's way (31 Mar 2026 / 2026年3月31日), never as ISO codes
(#14/#18): every offline intent over the demo book in both languages, the text and both renderings."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.brains.offline.bank_statements import bank_statements_answer
from bot.render_text import render_markdown, render_plain
from tests.bot.test_assistant_zh_output import QUESTIONS as ZH

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
EN = {
    "exposure": "Globex exposure",
    "financials": "Globex financials",
    "rating": "what is Initech's rating",
    "rating_history": "Initech rating history",
    "limit_recommendation": "Initech recommended limit",
    "what_if": "what if Globex went to 5M",
    "early_warnings": "Initech early warnings",
    "review_status": "when is Initech's review due",
    "insurance": "Globex credit insurance",
    "repayment": "did Initech miss any payments",
    "utilisation_trend": "Globex utilisation trend over 12 months",
    "concentration": "sector concentration",
    "watchlist": "watch list",
    "reviews_due": "reviews due in the next 30 days",
    "profile": "tell me about Globex",
}


@pytest.mark.parametrize(
    ("lang", "intent"), [("en", i) for i in sorted(EN)] + [("zh", i) for i in sorted(ZH)]
)
def test_no_iso_date_in_an_answer(assistant, anna, lang, intent) -> None:  # type: ignore[no-untyped-def]
    question = EN[intent] if lang == "en" else ZH[intent][0]
    reply = assistant.answer(anna, f"dates-{lang}-{intent}", question)
    for shown in (reply.text, render_plain(reply, lang), render_markdown(reply, lang)):
        assert not ISO.search(shown), (question, ISO.findall(shown), shown)


def test_review_dates_are_written_out(assistant, anna, book) -> None:  # type: ignore[no-untyped-def]
    """The review's next due date, as the engine holds it, written by hand in both languages."""
    due = book.credit_engine.assess_client(anna, 1003, as_of=book.today()).review.next_due
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    en = assistant.answer(anna, "dates-review-en", "when is Globex's review due").text
    zh = assistant.answer(anna, "dates-review-zh", "Globex 的年审什么时候到期").text
    assert f"{due.day:02d} {months[due.month - 1]} {due.year}" in en, en
    assert f"{due.year}年{due.month}月{due.day}日" in zh, zh


class _Analysis:
    accounts, transactions, warnings, currency = 1, 5, [], "GBP"
    from_date, to_date = dt.date(2026, 1, 2), dt.date(2026, 1, 31)


class _View:
    imported, name, analysis = True, "Thames Foods Ltd", _Analysis()


def test_the_statement_period_is_written_out() -> None:
    en = bank_statements_answer(_View(), "", "en")[0]  # type: ignore[arg-type]
    zh = bank_statements_answer(_View(), "", "zh")[0]  # type: ignore[arg-type]
    assert "02 Jan 2026 to 31 Jan 2026" in en, en
    assert "2026年1月2日 至 2026年1月31日" in zh, zh
