"""Offline assistant behaviour: figures match the engine, scope refusals, ambiguity, follow-ups, confirm step."""

from __future__ import annotations

from decimal import Decimal

from bot.assistant import Assistant
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from bot.render_text import render_markdown, render_plain
from crm_adapter.protocol import ClientFilter


def test_done_criterion_utilisation_and_review_match_the_engine(assistant, anna, book) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(anna, "done-1", "what is ACME's utilisation and is it due for review?")
    truth = book.credit_engine.assess_client(anna, 1001, as_of=book.today())
    figures = {f.label: f for f in reply.figures}
    assert figures["Utilisation"].value == truth.exposure.utilisation
    assert figures["Total limit"].value == truth.exposure.total_limit
    assert figures["Next review due"].value == truth.review.next_due
    assert f"{truth.exposure.utilisation * 100:.1f}%" in reply.text
    due = truth.review.next_due  # written out as an officer reads it (23 Jan 2027), not ISO
    assert f"{due.day:02d} {due.strftime('%b')} {due.year}" in reply.text
    assert not reply.degraded and reply.brain == "offline"


def test_other_teams_client_is_not_found(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(anna, "refuse-1", "what is client 1002's utilisation and is it due for review?")
    assert [c.outcome for c in reply.tool_calls] == ["not_found"]
    assert "client 1002 not found" in reply.text and "portfolio" not in reply.text
    assert not reply.figures


def test_another_teams_name_is_not_answered_with_a_weaker_match_of_my_own(assistant, anna, book) -> None:  # type: ignore[no-untyped-def]
    # rm.anna's scope holds "Quantum Contractors Holdings" and "Nova Trading Inc"; "Jade Contractors Group" and
    # "Nova Construction SA" are other teams' clients (seed-7 demo book): to her, names that do not exist.
    names = {c.client_id: c.name for c in book.adapter.list_clients(ClientFilter(limit=1000))}
    assert names[1011] == "Jade Contractors Group" and names[1021] == "Nova Construction SA"
    for i, q in enumerate(["rating of Jade Contractors", "how much do we have out to Nova Construction SA"]):
        reply = assistant.answer(anna, f"scope-{i}", q)
        assert not reply.figures and {c.name for c in reply.tool_calls} <= {"find_clients"}, reply.text
        assert "no client called" in reply.text and "concentration" not in reply.text.lower()
        assert (
            '"Jade Contractors"' if i == 0 else '"Nova Construction SA"'
        ) in reply.text  # as the user wrote it
        assert "1011" not in reply.text and "1021" not in reply.text


def test_my_requests_are_listed_with_their_status_not_my_queue(assistant, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    fake = toolbox._approvals()
    fake.raised.clear()
    fake.raised["k1"] = {"request_id": "R1", "status": "approved", "kind": "increase", "client_id": 1013,
                         "client_name": "Titan Distribution Co", "new_limit": Decimal("5000000")}  # fmt: skip
    fake.raised["k2"] = {"request_id": "R2", "status": "pending", "kind": "increase", "client_id": 1003,
                         "client_name": "Globex Trading", "new_limit": Decimal("300000")}  # fmt: skip
    one = assistant.answer(anna, "mine-1", "did my increase for Titan Distribution go through?")
    assert [c.name for c in one.tool_calls] == ["my_pending_approvals"]
    assert "R1" in one.text and "R2" not in one.text and "Raised by you: 1." in one.text
    assert "Awaiting your decision" not in one.text
    zh = assistant.answer(anna, "mine-2", "我提交的申请现在什么情况")
    assert "您提交的申请：2 项。" in zh.text and "R1" in zh.text and "R2" in zh.text
    queue = assistant.answer(anna, "mine-3", "what's waiting for my approval")
    assert "Awaiting your decision: 0." in queue.text
    fake.raised.clear()
    none = assistant.answer(anna, "mine-4", "did my increase for Titan Distribution go through?")
    assert "You have raised no limit request for Titan Distribution Co." in none.text  # its name, not its id


def test_acme_is_ambiguous_for_a_book_wide_actor(assistant, risk) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(risk, "amb-1", "what is acme's utilisation?")
    assert reply.choices == ["ACME Holdings (1001)", "ACME Logistics (1002)"]
    assert not reply.tool_calls


def test_unknown_client_gets_closest_matches(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(anna, "unk-1", "exposure of Zorblaxx")
    assert reply.tool_calls[0].name == "find_clients"
    assert "no client called" in reply.text


def test_follow_ups_survive_a_new_process(book, toolbox, anna) -> None:  # type: ignore[no-untyped-def]
    first = Assistant(brain=OfflineBrain(toolbox), conversations=ConversationStore(book.engine))
    first.answer(anna, "fu-1", "tell me about Globex")
    second = Assistant(brain=OfflineBrain(toolbox), conversations=ConversationStore(book.engine))  # "restart"
    reply = second.answer(anna, "fu-1", "and its utilisation?")
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1003} for c in reply.tool_calls)
    # another officer cannot continue someone else's conversation
    other = second.answer(book.actor("risk.lee"), "fu-1", "and its utilisation?")
    assert not any(c.name == "exposure" for c in other.tool_calls)


def test_raise_is_prepared_not_written_until_confirmed(assistant, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    assistant.answer(anna, "raise-1", "how is Globex doing?")
    # Globex has two open facilities: the request is for one of them, so the brain asks which, keeping 3M
    ask = assistant.answer(anna, "raise-1", "raise it to 3M")
    assert ask.choices == ["F-1003-1", "F-1003-2"] and not ask.actions
    assert "Which one?" in ask.text
    reply = assistant.answer(anna, "raise-1", "F-1003-1")
    assert toolbox.approvals.raised == {}
    (action,) = reply.actions
    assert action.kind == "raise_approval_request"
    assert action.arguments["client_id"] == 1003 and action.arguments["new_limit"] == "3000000"
    key = action.arguments["idempotency_key"]
    again = assistant.answer(anna, "raise-1", "raise F-1003-1 to 3M")
    assert again.actions[0].arguments["idempotency_key"] == key  # a double confirmation raises once
    assert "Raise approval request" in render_markdown(reply)
    assert "waiting for your confirmation" in render_plain(reply)


def test_policy_answers_carry_citations(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = assistant.answer(anna, "pol-1", "what does policy say about limits above 5M?")
    assert reply.citations[0].label == "[1] Credit Policy Manual § 4 Limits › 4.2 Large exposures, p. 12"
    assert "[1]" in reply.text


def test_every_tool_call_is_audited(book, anna) -> None:  # type: ignore[no-untyped-def]
    from tools.assistant_tools import Toolbox, call_tool

    events: list[dict[str, object]] = []

    class Audit:
        def record(self, **kw: object) -> None:
            events.append(kw)

    tb = Toolbox(adapter=book.adapter, credit_engine=book.credit_engine, today=book.today, audit=Audit())
    call_tool(tb, anna, "exposure", {"client_id": 1002})
    assert events[0]["action"] == "assistant.tool_call" and events[0]["object_id"] == "1002"
    assert events[0]["data"]["outcome"] == "not_found"  # type: ignore[index]  (what the user saw)
    assert events[0]["after"]["outcome"] == "out_of_scope"  # type: ignore[index]  (what audit reads)


def test_readme_chat_examples_work_end_to_end(assistant, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    """README.md's `ask` and `chat` examples, in order, through the offline brain (ACME has two facilities)."""
    attention = assistant.answer(anna, "readme-1", "which of my clients need attention?")
    assert [c.name for c in attention.tool_calls] == ["watchlist"] and not attention.cards
    both = assistant.answer(anna, "readme-2", "what is ACME's utilisation and is it due for review?")
    assert {"exposure", "review_status"} <= {c.name for c in both.tool_calls}
    amber = assistant.answer(anna, "readme-2", "why is it amber?")
    assert any(c.name == "early_warnings" and c.arguments == {"client_id": 1001} for c in amber.tool_calls)
    ask = assistant.answer(anna, "readme-2", "raise it to 3M")
    assert ask.choices == ["F-1001-1", "F-1001-2"] and not ask.actions
    done = assistant.answer(anna, "readme-2", "F-1001-1")
    (action,) = done.actions
    assert action.arguments["client_id"] == 1001 and action.arguments["facility_id"] == "F-1001-1"
    assert action.arguments["new_limit"] == "3000000" and action.arguments["kind"] == "increase"
    assert toolbox.approvals.raised == {} or all(
        r["client_id"] != 1001 for r in toolbox.approvals.raised.values()
    )
    # "中文也可以": the same conversation goes on in Chinese, answered in Chinese
    zh = assistant.answer(anna, "readme-2", "它的使用率呢")
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1001} for c in zh.tool_calls)
    assert "使用率" in zh.text


def test_docs_follow_ups_carry_client_amount_and_window(assistant, anna) -> None:  # type: ignore[no-untyped-def]
    """docs/assistant.md's follow-ups: what about X, 那 X 呢, and last quarter, what would that do to concentration."""
    assistant.answer(anna, "fu-docs", "Initech utilisation")
    globex = assistant.answer(anna, "fu-docs", "what about Globex?")
    assert [(c.name, c.arguments) for c in globex.tool_calls if c.name == "exposure"] == [
        ("exposure", {"client_id": 1003})
    ]
    umbrella = assistant.answer(anna, "fu-docs", "那 Umbrella Foods 呢?")
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1005} for c in umbrella.tool_calls)
    assistant.answer(anna, "fu-docs", "Initech financials")
    quarter = assistant.answer(anna, "fu-docs", "and last quarter?")
    (fin,) = [c for c in quarter.tool_calls if c.name == "financial_analysis"]
    # the conversation's "today" is 2026-11-28 (tests/conftest.py AS_OF): last quarter is Q3 2026
    assert fin.arguments["client_id"] == 1004
    assert (
        str(fin.arguments["period_start"]) == "2026-07-01"
        and str(fin.arguments["period_end"]) == "2026-09-30"
    )
    assistant.answer(anna, "fu-docs", "what if Initech went to 2.5m")
    conc = assistant.answer(anna, "fu-docs", "what would that do to concentration?")
    (what_if,) = [c for c in conc.tool_calls if c.name == "what_if_limit"]
    assert what_if.arguments["client_id"] == 1004 and str(what_if.arguments["new_limit"]) == "2500000"


def test_nothing_understood_is_never_a_client_card(assistant, anna, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assistant.answer(anna, "nocard-1", "ACME utilisation")  # a client is under discussion
    for text in ("tell me a fun fact", "ok", "帮我约个牙医", "where is the euro heading this week"):
        reply = assistant.answer(anna, "nocard-1", text)
        assert not reply.cards and not reply.tool_calls, (text, reply.tool_calls)
        assert reply.text
    # an unsure reading (the classifier split between two book lists) is a short question, never a card
    from bot.brains.offline import intents
    from bot.brains.offline.classifier import INTENT_TOOLS

    rest = [k for k in INTENT_TOOLS if k not in ("reviews_due", "insurance_expiring")]
    unsure_ranking = [("reviews_due", 0.34), ("insurance_expiring", 0.3)] + [
        (k, 0.36 / len(rest)) for k in rest
    ]
    monkeypatch.setattr(intents, "rank_intents", lambda text: list(unsure_ranking))
    unsure = assistant.answer(anna, "nocard-2", "which files need renewing before year end")
    assert not unsure.cards and 2 <= len(unsure.choices) <= 3, unsure.choices


def test_the_name_index_is_built_once_per_scope_not_per_turn(toolbox, anna, risk) -> None:  # type: ignore[no-untyped-def]
    brain = OfflineBrain(toolbox)
    first = brain._index(anna)
    assert brain._index(anna) is first  # a whole book's names are not re-indexed on every question
    other = brain._index(risk)
    assert other is not first and other.by_id(1002).in_scope and not first.by_id(1002).in_scope  # type: ignore[union-attr]


def test_a_warnings_date_is_said_once_and_chinese_counts_read_as_chinese(assistant, anna, book) -> None:  # type: ignore[no-untyped-def]
    import re

    english = assistant.answer(anna, "dates-1", "why is ACME amber?").text
    bullets = [line for line in english.splitlines() if line.lstrip().startswith("•")]
    assert bullets
    for line in bullets:  # "(statements of 31 Dec 2025)" is not followed by "(31 Dec 2025)" again
        dates = re.findall(r"\d{2} [A-Z][a-z]{2} \d{4}", line)
        assert len(dates) == len(set(dates)), line
    chinese = assistant.answer(anna, "dates-2", "ACME为什么是黄色预警？").text
    for line in chinese.splitlines():
        dates = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", line)
        assert len(dates) == len(set(dates)), line
        assert "(" not in line and ")" not in line  # full-width brackets in Chinese text
    total = book.credit_engine.watchlist(anna, as_of=book.today(), limit=100_000)
    head = assistant.answer(anna, "dates-3", "我的客户里哪些需要关注？").text.splitlines()[0]
    expected = (
        f"{len(total)} 中的前 10 个客户需要关注：" if len(total) > 10 else f"{len(total)} 个客户需要关注："
    )
    assert head == expected
