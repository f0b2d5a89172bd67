"""A Chinese question gets a fully Chinese answer (#14): labels, enums, grades, warning names and texts,
reasons, notes, constraint names and proposal reasons, for every client intent of the offline brain over the
demo book. Latin words left are the book's own names and identifiers, currency codes, and a short list of
abbreviations a Chinese credit officer writes in Latin letters."""

from __future__ import annotations

import re

import pytest

from bot.render_text import render_markdown, render_plain
from crm_adapter.protocol import ClientFilter

# Abbreviations written in Latin letters in Chinese credit documents too (the 中国人民银行 / CBIRC
# terminology keeps them): EBITDA (息税折旧摊销前利润 is never abbreviated otherwise), HHI (the
# Herfindahl–Hirschman index), and the policy version id, an identifier like a facility id.
ALLOWED = {"EBITDA", "HHI", "default"}  # "default" only inside the policy version id 2026.1-default

QUESTIONS = {
    "exposure": ("Globex 的敞口是多少", "exposure"),
    "financials": ("Globex 的财务状况", "financial_analysis"),
    "rating": ("Initech 的评级是多少", "rating"),
    "rating_no_statements": ("ACME 的评级是多少", "rating"),
    "rating_history": ("Initech 的评级历史", "rating_history"),
    "limit_recommendation": ("Initech 的建议额度", "limit_recommendation"),
    "limit_recommendation_sparse": ("ACME 的建议额度", "limit_recommendation"),
    "what_if": ("如果 Globex 额度提高到 500万 会怎样", "what_if_limit"),
    "early_warnings": ("Initech 的预警信号", "early_warnings"),
    "early_warnings_sparse": ("ACME 的预警信号", "early_warnings"),
    "review_status": ("Initech 的年审什么时候到期", "review_status"),
    "insurance": ("Globex 的信用保险", "insurance_cover"),
    "repayment": ("Initech 的还款记录", "repayment_history"),
    "utilisation_trend": ("Globex 近12个月的使用率趋势", "utilisation_trend"),
    "concentration": ("行业集中度", "concentration_report"),
    "watchlist": ("观察名单", "watchlist"),
    "reviews_due": ("未来30天到期的复审", "reviews_due"),
}


@pytest.fixture(scope="module")
def book_words(book) -> list[str]:  # type: ignore[no-untyped-def]
    """The book's own names and identifiers (client, group, officer, insurer names; currency codes)."""
    adapter = book.adapter
    clients = adapter.list_clients(ClientFilter(limit=100_000))
    words = {c.name for c in clients} | {o.name for o in adapter.list_officers()}
    words |= {o.officer_id for o in adapter.list_officers()}
    words |= {c.group_id for c in clients if getattr(c, "group_id", None)}
    for c in clients:
        words |= {cover.insurer for cover in adapter.get_covers(c.client_id)}
    words |= {"USD", "EUR", "GBP", "CNY", "CHF", "JPY"}
    return sorted(
        (w for w in words if w), key=len, reverse=True
    )  # longest first: "ACME Holdings" before "ACME"


def english_words(text: str, book_words: list[str]) -> list[str]:
    for word in book_words:
        text = text.replace(word, " ")
    text = re.sub(r"\bF-\d+-\d+\b", " ", text)  # facility ids
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


@pytest.mark.parametrize("intent", sorted(QUESTIONS))
def test_a_chinese_question_is_answered_in_chinese_only(assistant, anna, book_words, intent) -> None:  # type: ignore[no-untyped-def]
    question, tool = QUESTIONS[intent]
    reply = assistant.answer(anna, f"zh-only-{intent}", question)
    assert tool in [c.name for c in reply.tool_calls], (question, [c.name for c in reply.tool_calls])
    assert re.search(r"[\u4e00-\u9fff]", reply.text)
    for shown in (reply.text, render_plain(reply, "zh"), render_markdown(reply, "zh")):
        shown = re.sub(r"`[a-z_]+`", "", shown)  # a figure's source: the name of the tool it came from
        assert english_words(shown, book_words) == [], shown


def test_english_answers_name_codes_in_words_too(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(anna, "en-words-1", "what if Globex went to 5M")
    assert "client:" not in reply.text and "(binding: need)" not in reply.text
    assert "Globex Trading (no group)" in reply.text  # the engine's no-group marker, in words


def test_warning_dates_are_written_the_chinese_way(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    """Each warning line's date as Chinese writes it (2026年3月31日), not as an ISO code (2026-03-31)."""
    import re

    reply = assistant.answer(anna, "zh-dates-1", QUESTIONS["early_warnings"][0])
    assert "年" in reply.text and not re.search(r"\d{4}-\d{2}-\d{2}", reply.text), reply.text
