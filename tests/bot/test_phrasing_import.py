"""Labelled questions into training templates (bot/brains/offline/phrasing_import.py): the expected templates
are written out by hand."""

from __future__ import annotations

import pytest

from bot.brains.offline.entities import IndexedClient, NameIndex
from bot.brains.offline.phrasing_import import bank_rows, template_of

INDEX = NameIndex([
    IndexedClient(1001, "ACME Holdings", True), IndexedClient(1004, "Initech Systems", True),
    IndexedClient(1013, "Titan Distribution", True), IndexedClient(1095, "Orion Wholesale", True),
    IndexedClient(1036, "Granite Imports GmbH", True), IndexedClient(1003, "Globex Trading", True),
])  # fmt: skip


@pytest.mark.parametrize(
    ("question", "client", "intent", "template"),
    [
        ("acme util? 🙏", 1001, "exposure", "<c> util? 🙏"),
        ("how much room is left on Titan's overdraft", 1013, "exposure", "how much room is left on <c>'s overdraft"),
        ("client card for Granite Imports GmbH pls", 1036, "profile", "client card for <c> pls"),
        ("Initek leverage?", 1004, "financials", "<c> leverage?"),  # a typo of the labelled client
        ("who is client 1004?", 1004, "profile", "who is <c>?"),
        # the second "wholesale" is the sector; the amount is a slot of the what-if
        ("what-if: orion wholesale limit 2.5m -> wholesale conc?", 1095, "what_if",
         "what-if: <c> limit <n> -> wholesale conc?"),
        ("raise Titan to USD 1,200,000", 1013, "raise_request", "raise <c> to <n>"),
        ("Titan 额度提到150万合适吗？", 1013, "limit_recommendation", "<c> 额度提到<n>合适吗？"),
        ("把 Globex 提到三千万", 1003, "raise_request", "把 <c> 提到<n>"),
        ("ACME 给500w可以吗", 1001, "limit_recommendation", "<c> 给<n>可以吗"),
        ("bump acme to 2 mil?", 1001, "limit_recommendation", "bump <c> to <n>?"),
        # a window is not an amount, and outside the amount intents figures stay words
        ("how has Titan's util moved over the last 6m?", 1013, "utilisation_trend",
         "how has <c>'s util moved over the last 6m?"),
        ("headroom on F-1104-2", None, "exposure", "headroom on F-1104-2"),
        ("search client globex", None, "find_client", "search client <c>"),
    ],
)  # fmt: skip
def test_template_of(question: str, client: int | None, intent: str, template: str) -> None:
    assert template_of(question, INDEX, client=client, intent=intent) == template


def test_bank_rows_split_clauses_drop_bare_follow_ups_and_use_the_classifiers_labels() -> None:
    rows = [
        {"q": "Titan util and when is its review due?", "intent": ["exposure", "review_status"], "client": 1013},
        {"q": "what about Globex", "intent": "exposure", "client": 1003, "prior": 1001, "prior_tools": ["exposure"]},
        {"q": "and last quarter?", "intent": "financials", "client": 1036, "prior": 1036},
        {"q": "any missed payments?", "intent": "repayment", "client": 1001, "prior": 1001},
        {"q": "REQ-17 approved yet?", "intent": "approval_status"},
        {"q": "what's waiting for my approval", "intent": "pending_approvals"},
        {"q": "show my watchlist, overdue reviews too", "intent": ["watchlist", "reviews_due"]},
    ]  # fmt: skip
    assert bank_rows(rows, INDEX) == [
        ("exposure", "<c> util"),
        ("review_status", "when is its review due"),
        ("repayment", "any missed payments?"),
        ("approvals", "REQ-17 approved yet?"),
        ("approvals", "what's waiting for my approval"),
    ]
