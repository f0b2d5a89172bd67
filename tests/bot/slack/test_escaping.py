"""One escaping function for data in mrkdwn and text, used by every renderer (property-tested)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reply import Citation, Figure, Reply
from bot.slack import blocks
from bot.slack.mrkdwn import escape, to_mrkdwn, unescape
from tests.fakes.slack_limits import check_blocks, check_view, unescaped
from tools.approvals.models import ApprovalRequestView
from tools.engine.results import EarlyWarning, ReviewDue, WatchItem

NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "Smith & Sons <Ltd>",
            "<!channel>",
            "<@U0001021>",
            "<#C0RISK>",
            "<http://evil.example|click>",
            "@here",
            "&amp;",
            "A > B",
            "<!subteam^S1>",
            "[win](https://evil.example)",
        ]
    ),  # fmt: skip
    st.lists(
        st.sampled_from(["<", ">", "&", "!", "@", "#", "|", "http://x", " ", "a", "*", "`"]), max_size=20
    ).map("".join),
)


def test_known_names_are_neutralised() -> None:
    assert escape("Smith & Sons <Ltd>") == "Smith &amp; Sons &lt;Ltd&gt;"
    assert escape("<!channel> <@U1> <#C1>") == "&lt;!channel&gt; &lt;@U1&gt; &lt;#C1&gt;"
    assert escape("<http://evil|click>") == "&lt;http://evil|click&gt;"
    assert escape("@here and @channel") == "@\u200bhere and @\u200bchannel"


@given(NASTY)
def test_escape_leaves_no_markup_and_loses_nothing(name: str) -> None:
    out = escape(name)
    assert unescaped(out, "name") == []
    assert unescape(out) == name


def request_view(name: str) -> ApprovalRequestView:
    now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    step = {"step_no": 1, "level": 1, "name": name or "Team lead", "quorum": 1, "same_team": True,
            "sla_hours": 24, "status": "open", "opened_at": now}  # fmt: skip
    return ApprovalRequestView.model_validate(
        {"request_id": "AR-1", "client_id": 1, "client_name": name, "group_id": None, "officer_team": "North",
         "facility_id": f"F-{name}", "kind": "increase", "currency": "USD", "current_limit": "1000",
         "new_limit": "2000", "reporting_currency": "USD", "group_exposure_after": "2000", "grade": 5,
         "recommended_limit": "1500", "exceptions": [], "routing": [], "reason": name, "memo_id": None,
         "raised_by": "rm.anna", "raised_by_name": name, "raised_at": now, "required_level": 1,
         "status": "pending", "current_step": 1, "steps": [step], "decisions": [], "snapshot_hash": "h",
         "policy_version": "v", "closed_at": None, "applied_at": None, "stale_reasons": [name]}
    )  # fmt: skip


def rendered_with(name: str) -> list[tuple[str, list[dict[str, Any]]]]:
    warning = EarlyWarning(indicator="max_dpd_12m", level="red", message=name, date=dt.date(2026, 11, 1))
    card = blocks.ClientCard(client_id=1, name=name, officer=name, grade=5, warnings=[warning])
    watch = WatchItem(client_id=1, name=name, officer_id="rm.anna", grade=5, ews_level="red",
                      exposure=Decimal(1000), warnings=[warning])  # fmt: skip
    due = ReviewDue(client_id=1, name=name, officer_id="rm.anna", grade=5, exposure=Decimal(1000),
                    next_due=dt.date(2026, 12, 1), overdue=False, days_overdue=0, priority=1.0, ews_level="red")  # fmt: skip
    request = request_view(name)
    item = blocks.NewWarning(1, name, name, warning)
    reply = Reply(text=f"**{name}** is red", figures=[Figure(label=name, value=1, display=name, source="t")],
                  citations=[Citation(n=1, document=name)])  # fmt: skip
    out = [
        ("card", blocks.client_card_blocks(card)),
        ("watchlist", blocks.list_page("watchlist", [watch]).blocks),
        ("due", blocks.list_page("due", [due]).blocks),
        ("approval", blocks.approval_request_blocks(request)),
        ("outcome", blocks.approval_copy_blocks(request, 1)),
        ("alert", blocks.warning_alert_blocks(name, 1, warning, name)),
        ("digest", blocks.digest_message(dt.date(2026, 11, 28), [item]).blocks),
        ("digest thread", [b for m in blocks.digest_details([item]) for b in m.blocks]),
        ("officer", [b for m in blocks.officer_digest_messages(dt.date(2026, 11, 28), [item, item]) for b in m.blocks]),
        ("reply", [b for m in blocks.reply_messages(reply) for b in m.blocks]),
    ]  # fmt: skip
    modal = blocks.raise_request_modal({"kind": "increase", "reason": name}, client_name=name, value_id="v")
    home = blocks.home_view(reviews=[due], watch=[watch], awaiting=[request])
    out += [("modal", modal["blocks"]), ("home", home["blocks"])]
    assert check_view(modal) == [] and check_view(home) == []
    return out


@settings(max_examples=60, deadline=None)
@given(NASTY)
def test_every_renderer_escapes_data(name: str) -> None:
    for where, rendered in rendered_with(name):
        assert check_blocks(rendered) == [], where
    texts = [
        blocks.approval_outcome_text(request_view(name)),
        blocks.needs_decision_text(request_view(name)),
        blocks.request_raised_text(request_view(name)),
        blocks.error_text(name),
        blocks.reply_text(Reply(text=name)),
    ]
    for text in texts:
        assert unescaped(text, "text") == [], text


def test_markdown_links_in_prose_become_links_and_data_does_not() -> None:
    text = to_mrkdwn("See [the policy](https://bank.example/policy?a=1&b=2) for <!channel> & co")
    assert text == "See <https://bank.example/policy?a=1&amp;b=2|the policy> for &lt;!channel&gt; &amp; co"
