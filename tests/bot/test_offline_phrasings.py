"""The offline brain understands how officers write: each phrasing → the tool it calls, with its arguments.

Rows: (message, expected tool, arguments the call must include, client already under discussion).
All as rm.anna (team North: 1001 ACME Holdings, 1003 Globex Trading, 1004 Initech Systems, 1005 Umbrella Foods).
"""

from __future__ import annotations

import itertools

import pytest

from bot.conversations import ConversationState, ConversationStore

_ids = itertools.count()

PHRASINGS: list[tuple[str, str, dict[str, object], int | None]] = [
    # client lookup and profile
    ("find acme", "find_clients", {"query": "acme"}, None),
    ("look up Globex", "find_clients", {"query": "globex"}, None),
    ("who is client 1004?", "client_profile", {"client_id": 1004}, None),
    ("tell me about ACME Holdings", "client_profile", {"client_id": 1001}, None),
    ("give me an overview of Umbrela Foods", "client_profile", {"client_id": 1005}, None),
    ("initech at a glance", "client_profile", {"client_id": 1004}, None),
    ("my clients", "my_clients", {}, None),
    ("list my clients please", "my_clients", {}, None),
    # exposure and utilisation
    ("what is ACME's utilisation?", "exposure", {"client_id": 1001}, None),
    ("whats acme holdings utilization", "exposure", {"client_id": 1001}, None),
    ("exposure of glbex", "exposure", {"client_id": 1003}, None),
    ("how much has Initech drawn", "exposure", {"client_id": 1004}, None),
    ("outstanding for client 1005", "exposure", {"client_id": 1005}, None),
    ("and its utilisation?", "exposure", {"client_id": 1003}, 1003),
    ("what are umbrella's limits", "exposure", {"client_id": 1005}, None),
    ("show the facilities of #1001", "exposure", {"client_id": 1001}, None),
    # financial analysis
    ("financials of acme", "financial_analysis", {"client_id": 1001}, None),
    (
        "Globex ratios last quarter",
        "financial_analysis",
        {"client_id": 1003, "period_start": "2026-07-01"},
        None,
    ),
    (
        "initech leverage in 2025",
        "financial_analysis",
        {"client_id": 1004, "period_start": "2025-01-01", "period_end": "2025-12-31"},
        None,
    ),
    ("how is their cash flow?", "financial_analysis", {"client_id": 1005}, 1005),
    ("debt to ebitda of ACME", "financial_analysis", {"client_id": 1001}, None),
    # rating / PD / EL
    ("what's acme's rating", "rating", {"client_id": 1001}, None),
    ("PD of Globex Trading", "rating", {"client_id": 1003}, None),
    ("expected loss for initech", "rating", {"client_id": 1004}, None),
    ("why is it graded so low?", "rating", {"client_id": 1001}, 1001),
    ("score client 1005", "rating", {"client_id": 1005}, None),
    # limit recommendation and adjustment
    ("recommended limit for acme", "limit_recommendation", {"client_id": 1001}, None),
    ("what limit should we give Globex?", "limit_recommendation", {"client_id": 1003}, None),
    ("should we cut initech?", "limit_recommendation", {"client_id": 1004}, None),
    ("any adjustment proposal for umbrella", "limit_recommendation", {"client_id": 1005}, None),
    # what-if
    ("what if acme's limit were 5M", "what_if_limit", {"client_id": 1001, "new_limit": "5000000"}, None),
    (
        "impact of a 2.5 million limit on Globex",
        "what_if_limit",
        {"client_id": 1003, "new_limit": "2500000"},
        None,
    ),
    ("simulate 750k for initech", "what_if_limit", {"client_id": 1004, "new_limit": "750000"}, None),
    ("what if it were USD 1,200,000?", "what_if_limit", {"client_id": 1005, "new_limit": "1200000"}, 1005),
    # early warnings and watch-list
    ("why is acme amber?", "early_warnings", {"client_id": 1001}, None),
    ("warnings for Globex", "early_warnings", {"client_id": 1003}, None),
    ("any red flags on initech", "early_warnings", {"client_id": 1004}, None),
    ("which of my clients need attention?", "watchlist", {}, None),
    ("show my watch-list", "watchlist", {}, None),
    ("red clients", "watchlist", {}, None),
    # reviews
    ("is ACME due for review?", "review_status", {"client_id": 1001}, None),
    ("when was globex last reviewed", "review_status", {"client_id": 1003}, None),
    ("is it due for review?", "review_status", {"client_id": 1004}, 1004),
    ("which reviews are overdue", "reviews_due", {"overdue_only": True}, None),
    ("reviews due this month", "reviews_due", {}, None),
    ("my upcoming reviews", "reviews_due", {}, None),
    # contacts
    ("who should I call this week?", "contacts_due", {}, None),
    ("contacts due", "contacts_due", {}, None),
    ("when did we last contact acme", "client_profile", {"client_id": 1001}, None),
    ("overdue visits", "contacts_due", {}, None),
    # insurance
    ("insurance cover for acme", "insurance_cover", {"client_id": 1001}, None),
    ("is Globex insured?", "insurance_cover", {"client_id": 1003}, None),
    ("uninsured exposure of initech", "insurance_cover", {"client_id": 1004}, None),
    # concentration
    ("concentration report", "concentration_report", {}, None),
    ("what's our industry concentration?", "concentration_report", {}, None),
    ("show HHI by region", "concentration_report", {}, None),
    # policy search
    ("what does policy say about limits above 5M?", "search_policy", {}, None),
    ("who can approve a 10M limit?", "search_policy", {}, None),
    ("policy on covenant breaches", "search_policy", {}, None),
    # memo
    ("draft the review memo for acme", "draft_review_memo", {"client_id": 1001}, None),
    # approvals
    # ACME and Globex have two open facilities: a request names one (F-<client>-<n>), or the brain asks which
    (
        "raise F-1001-1 to 5M, new contract with Initrode",
        "prepare_approval_request",
        {
            "client_id": 1001,
            "facility_id": "F-1001-1",
            "kind": "increase",
            "new_limit": "5000000",
            "reason": "new contract with Initrode",
        },
        None,
    ),
    (
        "raise it to 3M",
        "exposure",
        {"client_id": 1003},
        1003,
    ),  # then "which facility?" (test_assistant_offline)
    (
        "raise F-1003-2 to 3M",
        "prepare_approval_request",
        {"client_id": 1003, "facility_id": "F-1003-2", "kind": "increase", "new_limit": "3000000"},
        None,
    ),
    (
        "cut umbrella to 100k",
        "prepare_approval_request",
        {"client_id": 1005, "kind": "decrease", "new_limit": "100000"},
        None,
    ),
    ("freeze initech", "prepare_approval_request", {"client_id": 1004, "kind": "freeze"}, None),
    ("renew F-1003-1", "prepare_approval_request", {"client_id": 1003, "kind": "renewal"}, None),
    ("status of request 42", "approval_status", {"request_id": "42"}, None),
    ("my pending approvals", "my_pending_approvals", {}, None),
    ("what's awaiting my decision?", "my_pending_approvals", {}, None),
    # follow-up that names only a new client repeats the last question
    ("what about Globex?", "exposure", {"client_id": 1003}, 1001),
    # newer intents
    ("did Globex miss any payments", "repayment_history", {"client_id": 1003}, None),
    ("why did initech get downgraded", "rating_history", {"client_id": 1004}, None),
    ("acme util trend last 6 months", "utilisation_trend", {"client_id": 1001, "months": 6}, None),
    (
        "which of my clients are >95% drawn",
        "clients_by_utilisation",
        {"threshold": 0.95, "only_mine": True},
        None,
    ),
    (
        "insurance expiring on my book in 90 days",
        "insurance_expiring",
        {"horizon_days": 90, "only_mine": True},
        None,
    ),
    ("what approvals are waiting for me", "my_pending_approvals", {}, None),
    ("how concentrated are we in construction", "concentration_report", {}, None),
]


@pytest.mark.parametrize(("text", "tool", "arguments", "prior"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_phrasing_calls_the_expected_tool(assistant, anna, text, tool, arguments, prior) -> None:  # type: ignore[no-untyped-def]
    conversation = f"phrase-{next(_ids)}"
    if prior is not None:
        last = ["exposure"] if text == "what about Globex?" else []
        ConversationStore(assistant.conversations.engine).save(
            anna.officer_id, conversation, ConversationState(last_client_id=prior, last_intents=last)
        )
    reply = assistant.answer(anna, conversation, text)
    calls = [c for c in reply.tool_calls if c.name == tool]
    assert calls, f"{text!r}: expected {tool}, got {[(c.name, c.arguments) for c in reply.tool_calls]}"
    assert any(all(c.arguments.get(k) == v for k, v in arguments.items()) for c in calls), (
        f"{text!r}: {tool} arguments {[c.arguments for c in calls]} lack {arguments}"
    )
    assert reply.text


def test_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 60
    assert len({p[1] for p in PHRASINGS}) >= 24
