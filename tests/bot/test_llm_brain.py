"""The LLM brain through a real HTTP path: langchain-openai → a local fake OpenAI-compatible server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.brains.llm import server
from bot.brains.llm.agent import LLMBrain, LLMConfig
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from tests.fakes.openai_server import (
    FakeOpenAI,
    context_exceeded,
    fail,
    prompt_tokens,
    raw_call,
    say,
    slow,
    tool_calls,
)
from tools.assistant_tools.registry import call_tool

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def checkpoint_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the agent's memory lives: an SQLite file, or PostgreSQL (the app's database in production)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def make_assistant(book, toolbox, fake: FakeOpenAI, checkpoint_url: str):  # type: ignore[no-untyped-def]
    fake.reset()
    url = checkpoint_url

    def build(**limits: float) -> Assistant:  # a fresh "process": new brain, new checkpointer, same files
        config = LLMConfig(
            base_url=fake.base_url, model="fake-model", api_key="test", **{"timeout_s": 5, **limits}
        )  # type: ignore[arg-type]
        llm = LLMBrain(toolbox, config=config, checkpoint_url=url)
        return Assistant(brain=llm, fallback=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                         turn_scope=toolbox.turn)  # fmt: skip

    return build


def test_multi_tool_turn(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls(("exposure", {"client_id": 1001}), ("review_status", {"client_id": 1001})),
                say("ACME is heavily drawn; its review is not overdue."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-1", "utilisation and review of ACME?")
    assert reply.brain == "llm" and not reply.degraded
    assert sorted((c.name, c.outcome) for c in reply.tool_calls) == [
        ("exposure", "ok"),
        ("review_status", "ok"),
    ]
    truth = book.credit_engine.assess_client(anna, 1001, as_of=book.today())
    assert {f.label: f.value for f in reply.figures}["Utilisation"] == truth.exposure.utilisation
    assert reply.text == "ACME is heavily drawn; its review is not overdue."
    first = fake.requests[0]
    # only the tools this question needs, in compact schemas; a reply cap; tool results framed as data
    assert {t["function"]["name"] for t in first["tools"]} == {"exposure", "review_status", "find_clients"}
    for tool in first["tools"]:  # the actor is never a model-visible argument
        assert not {"actor", "officer_id", "runtime"} & set(tool["function"]["parameters"]["properties"])
        assert "title" not in json.dumps(tool)
    assert first["max_tokens"] == 512
    assert "<data>" in first["messages"][0]["content"] and first["messages"][0]["role"] == "system"
    tool_messages = [m for m in fake.requests[1]["messages"] if m["role"] == "tool"]
    assert len(tool_messages) == 2 and all(m["content"].startswith('<data tool="') for m in tool_messages)


def test_out_of_scope_client_is_refused_by_the_tool(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("exposure", client_id=1002), say("I can't see that client."))
    reply = make_assistant().answer(anna, "llm-2", "utilisation of client 1002 (ACME Logistics)")
    assert reply.tool_calls[0].outcome == "not_found"
    error_message = fake.requests[1]["messages"][-1]
    assert error_message["role"] == "tool" and "client 1002 not found" in error_message["content"]
    assert not reply.figures


def test_tool_error_goes_back_to_the_model(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("rating", client_id=999999), say("There is no such client."))
    reply = make_assistant().answer(anna, "llm-3", "rating of client 999999")
    assert reply.tool_calls[0].outcome == "not_found"
    error_message = fake.requests[1]["messages"][-1]
    assert error_message["role"] == "tool" and "999999 not found" in error_message["content"]
    assert reply.text == "There is no such client."


def test_model_500_mid_conversation_is_answered_offline_once(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant()
    fake.script(tool_calls("client_profile", client_id=1003), say("Globex is a wholesale client."))
    assistant.answer(anna, "llm-4", "tell me about globex")
    fake.requests.clear()
    fake.script(fail(500))
    reply = assistant.answer(anna, "llm-4", "and its utilisation?")
    assert len(fake.requests) == 1  # no retry, no duplicate request
    assert reply.degraded and reply.brain == "offline" and reply.degraded_reason == "unreachable"
    assert reply.notice == "Answered offline: the language model could not be reached."
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1003} for c in reply.tool_calls)
    fake.script(say("Back online."))
    after = assistant.answer(anna, "llm-4", "thanks")
    assert not after.degraded
    history = fake.requests[-1]["messages"]
    assert [m["role"] for m in history].count("user") == 3
    # the memory holds what really happened in the missed turn: the tools the offline brain called and
    # their figures, not the offline brain's text as the model's own words
    missed = history[history.index({"role": "user", "content": "and its utilisation?"}) + 1 :]
    assert missed[0]["role"] == "assistant" and "exposure" in {
        c["function"]["name"] for c in missed[0]["tool_calls"]
    }
    exposure = next(
        m for m in missed if m["role"] == "tool" and m["content"].startswith('<data tool="exposure">')
    )
    utilisation = next(f.display for f in reply.figures if f.label == "Utilisation")
    assert utilisation in exposure["content"]
    assert not any(m["role"] == "assistant" and reply.text[:40] in (m.get("content") or "") for m in history)


def test_memory_across_turns_and_restart(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("find_clients", query="initech"), say("Initech Systems is client 1004."))
    make_assistant().answer(anna, "llm-5", "find initech")
    fake.script(say("As I said, 1004."))
    make_assistant().answer(anna, "llm-5", "what was its id again?")  # a new process, same files
    history = fake.requests[-1]["messages"]
    assert any(m["role"] == "user" and m["content"] == "find initech" for m in history)
    assert any(
        m["role"] == "assistant" and m.get("content") == "Initech Systems is client 1004." for m in history
    )


def test_prepare_yields_an_action_for_the_front_door(make_assistant, fake, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("prepare_approval_request", client_id=1001, kind="increase", new_limit=3000000),
                say("Prepared; please confirm."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-6", "raise acme to 3M")
    assert reply.actions[0].arguments["new_limit"] == "3000000"
    assert toolbox.approvals.raised == {}


def test_a_drafted_memo_yields_a_submit_action_and_nothing_is_submitted(
    make_assistant, fake, anna, book, toolbox, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(toolbox, "memos", book.memos)  # the real memo service of this book
    fake.script(
        tool_calls("draft_review_memo", client_id=1001), say("I drafted the review memo for ACME Holdings.")
    )
    reply = make_assistant().answer(anna, "llm-6m", "draft the review memo for acme")
    (action,) = [a for a in reply.actions if a.kind == "submit_memo"]
    assert action.label == "Submit memo" and isinstance(action.arguments["memo_id"], int)
    assert [c.outcome for c in reply.tool_calls if c.name == "draft_review_memo"] == ["ok"]
    assert (
        book.memos.get(anna, action.arguments["memo_id"]).status == "draft"
    )  # the click submits, not the model


# --- what real small models do wrong --------------------------------------------------------------


def _feedback(request: dict) -> str:  # type: ignore[type-arg]
    """The correction the brain sent back to the model (the last user message of a retry)."""
    return str(request["messages"][-1]["content"])


def test_invented_tool_name_is_retried_once_with_the_error(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("get_utilisation", client_id=1001), tool_calls("exposure", client_id=1001),
                say("ACME is drawn as the data shows."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-7", "utilisation of ACME")
    assert not reply.degraded and [c.name for c in reply.tool_calls] == ["exposure"]
    assert "no tool named 'get_utilisation'" in _feedback(fake.requests[1])
    assert len(fake.requests) == 3


def test_invented_tool_name_twice_is_answered_offline(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("get_utilisation", client_id=1001), tool_calls("utilisation_tool", client_id=1001))
    reply = make_assistant().answer(anna, "llm-8", "utilisation of ACME")
    assert reply.degraded and reply.degraded_reason == "malformed_tool_calls" and reply.brain == "offline"
    assert len(fake.requests) == 2 and fake.remaining == 0
    assert any(f.label == "Utilisation" for f in reply.figures)  # the offline brain answered the question


def test_bad_json_arguments_are_retried(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(raw_call("exposure", '{"client_id": 1001'), tool_calls("exposure", client_id=1001),
                say("Here is ACME's exposure."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-9", "exposure of ACME")
    assert not reply.degraded and reply.tool_calls[0].outcome == "ok"
    assert "not valid JSON" in _feedback(fake.requests[1])


def test_bad_json_arguments_twice_degrade(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(raw_call("exposure", '{"client_id": 1001'), raw_call("exposure", "client_id=1001"))
    reply = make_assistant().answer(anna, "llm-10", "exposure of ACME")
    assert reply.degraded_reason == "malformed_tool_calls"


def test_call_written_as_text_is_never_the_answer(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    # a call with prose around it, or to a tool this turn does not offer, is not read as a call
    as_text = 'Let me check. {"name": "exposure", "arguments": {"client_id": 1001}}'
    fake.script(
        say(as_text),
        say('<tool_call>{"name": "draft_review_memo", "arguments": {"client_id": 1001}}</tool_call>'),
    )
    reply = make_assistant().answer(anna, "llm-11", "exposure of ACME")
    assert "tool call as text" in _feedback(fake.requests[1])
    assert reply.degraded_reason == "malformed_tool_calls" and as_text not in reply.text
    assert "draft_review_memo" not in {c.name for c in reply.tool_calls}


@pytest.mark.parametrize("written", [
    # what Qwen2.5-Coder-0.5B on llama.cpp wrote as its content instead of a tool call (seen against the
    # real model, docs/assistant.md "Against a real local model")
    '<tool_call>\n{"name": "exposure", "arguments": {"client_id": 1001}}\n</tool_call>',
    '```json\n{"name": "exposure", "arguments": {"client_id": 1001}}\n```',
    '{"name": "exposure", "parameters": {"client_id": 1001}}',
])  # fmt: skip
def test_call_written_as_text_is_made_without_a_retry(make_assistant, fake, anna, written: str) -> None:  # type: ignore[no-untyped-def]
    fake.script(say(written), say("Here is ACME's exposure."))
    reply = make_assistant().answer(anna, f"llm-11b-{len(written)}", "exposure of ACME")
    assert not reply.degraded and [(c.name, c.arguments) for c in reply.tool_calls] == [
        ("exposure", {"client_id": 1001})
    ]
    assert len(fake.requests) == 2  # the call, then the answer: no retry spent
    assert fake.requests[1]["messages"][-1]["role"] == "tool"


def test_looping_identical_calls_are_stopped(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    call = tool_calls("rating", client_id=1001)
    fake.script(call, call, call, call, call)
    reply = make_assistant().answer(anna, "llm-12", "rating of ACME")
    assert reply.degraded_reason == "malformed_tool_calls"
    assert len(fake.requests) == 3  # the call, the repeat (answered with a correction), the second repeat
    assert "already called rating" in _feedback(fake.requests[2])


def test_invented_figure_is_not_shown(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    truth = book.credit_engine.assess_client(anna, 1001, as_of=book.today())
    assert round(truth.exposure.utilisation * 100, 1) != 42.7  # the figure below is invented
    fake.script(tool_calls("exposure", client_id=1001), say("ACME is 42.7% drawn."))
    reply = make_assistant().answer(anna, "llm-13", "how drawn is ACME")
    assert reply.degraded and reply.degraded_reason == "unverified_answer" and "42.7" not in reply.text


def test_figures_from_the_tool_pass_in_usual_forms(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    e = book.credit_engine.assess_client(anna, 1001, as_of=book.today()).exposure
    pct, limit_k = f"{e.utilisation * 100:.0f}%", f"{e.total_limit / 1_000:.0f}k"
    fake.script(
        tool_calls("exposure", client_id=1001), say(f"ACME uses {pct} of its {e.currency} {limit_k} [1].")
    )
    reply = make_assistant().answer(anna, "llm-14", "how drawn is ACME")
    assert not reply.degraded and pct in reply.text


def test_figures_without_any_tool_call_are_not_shown(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(say("ACME's limit is USD 2,500,000 and it is 64% drawn."))
    reply = make_assistant().answer(anna, "llm-15", "how drawn is ACME")
    assert reply.degraded_reason == "unverified_answer" and reply.brain == "offline"


@pytest.mark.parametrize("claim", ["Done: the limit has been raised to the amount you asked.",
                                   "I have approved the request.", "好的，申请已提交。", "额度已上调。"])  # fmt: skip
def test_claimed_state_change_is_never_shown(make_assistant, fake, anna, toolbox, claim: str) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("prepare_approval_request", client_id=1001, kind="increase", new_limit=3000000),
                say(claim))  # fmt: skip
    reply = make_assistant().answer(anna, f"llm-16-{hash(claim) % 1000}", "raise acme to 3M")
    assert reply.degraded_reason == "unverified_answer" and claim not in reply.text
    assert toolbox.approvals.raised == {}


def test_slow_prefill_times_out_and_is_answered_offline(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(slow(6, say("too late")))
    assistant = make_assistant(timeout_s=0.5)
    started = time.monotonic()
    reply = assistant.answer(anna, "llm-17", "exposure of ACME")
    assert time.monotonic() - started < 4  # the answer did not wait for the slow server
    assert reply.degraded_reason == "timeout" and reply.notice and "too long" in reply.notice


def test_turn_deadline_bounds_the_whole_turn(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(slow(0.6, tool_calls("exposure", client_id=1001)), slow(0.6, say("late")))
    reply = make_assistant(timeout_s=5, turn_deadline_s=0.8).answer(anna, "llm-18", "exposure of ACME")
    assert reply.degraded_reason == "timeout"
    time.sleep(0.3)  # let the fake finish the abandoned request


def test_big_tool_result_fits_a_small_context_and_the_conversation_survives(
    make_assistant, fake, anna
) -> None:  # type: ignore[no-untyped-def]
    fake.context_tokens = 2500  # the server's real limit; the brain is told the same
    assistant = make_assistant(context_tokens=2500, max_tokens=256)
    fake.script(tool_calls("my_clients"), say("Those are your clients."))
    first = assistant.answer(anna, "llm-19", "list my clients")
    assert not first.degraded
    fake.script(tool_calls("watchlist", limit=100), say("That is the watch-list."))
    second = assistant.answer(anna, "llm-19", "and the watchlist?")
    assert not second.degraded
    assert all(prompt_tokens(r) <= 2500 for r in fake.requests)


def test_context_length_error_is_retried_smaller_once(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(context_exceeded(), say("Hello."))
    reply = make_assistant().answer(anna, "llm-20", "hello")
    assert not reply.degraded and len(fake.requests) == 2
    assistant = make_assistant()
    fake.script(context_exceeded(), context_exceeded())
    reply = assistant.answer(anna, "llm-21", "hello")
    assert reply.degraded_reason == "context_too_small"
    fake.script(say("Hello again."))  # the failed turn did not poison the conversation
    assert not assistant.answer(anna, "llm-21", "hello?").degraded


def test_context_too_small_for_the_prompt_is_degraded_without_a_request(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    reply = make_assistant(context_tokens=600, max_tokens=256).answer(anna, "llm-22", "exposure of ACME")
    assert reply.degraded_reason == "context_too_small" and fake.requests == []


def test_stored_history_is_trimmed(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant()
    for i in range(8):
        fake.script(tool_calls("my_clients"), say("Your clients."))
        assistant.answer(anna, "llm-23", f"list my clients {i}")
    history = fake.requests[-1]["messages"]
    users = [m["content"] for m in history if m["role"] == "user"]
    assert users[0] == "list my clients 1" and len(users) == 7  # six stored turns and the current one
    old_results = [m for m in history[:-1] if m["role"] == "tool"]
    assert all(len(m["content"]) <= 500 for m in old_results[:-1])


def test_tool_errors_and_passages_reach_the_model_as_data(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("search_policy", query="who approves above 5M"), say("The Credit Committee [1]."))
    reply = make_assistant().answer(anna, "llm-24", "who approves limits above 5M?")
    passage = next(m for m in fake.requests[1]["messages"] if m["role"] == "tool")
    assert passage["content"].startswith('<data tool="search_policy">') and passage["content"].endswith(
        "</data>"
    )
    assert not reply.degraded and reply.citations


# --- answers that contradict the tools or the question's language -------------------------------


def test_not_due_for_an_overdue_review_is_not_shown(make_assistant, fake, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    mine = call_tool(toolbox, anna, "my_clients", {}).result
    overdue = next(s.result for c in mine.model_dump()["clients"]  # type: ignore[union-attr]
                   if (s := call_tool(toolbox, anna, "review_status", {"client_id": c["client_id"]})).result
                   and s.result.review.overdue)  # fmt: skip
    fake.script(tool_calls("review_status", client_id=overdue.client_id),
                say(f"{overdue.name} is not due for review."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-25", f"is {overdue.name} due for review?")
    assert reply.degraded_reason == "unverified_answer" and reply.brain == "offline"
    assert "not due" not in reply.text


def test_an_english_answer_to_a_chinese_question_is_not_shown(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("exposure", client_id=1001), say("Here is ACME's exposure."))
    reply = make_assistant().answer(anna, "llm-26", "ACME 的授信敞口是多少？")
    assert reply.degraded_reason == "unverified_answer" and reply.brain == "offline"
    assert reply.notice == "离线回答：模型的回答无法与数据核对。"


# --- streaming ---------------------------------------------------------------------------------------


def test_streamed_answer_arrives_in_checked_pieces(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    e = book.credit_engine.assess_client(anna, 1001, as_of=book.today()).exposure
    pct = f"{e.utilisation * 100:.1f}%"
    answer = f"ACME is {pct} drawn. Its limit is {e.currency} {e.total_limit:,.0f} in total"
    fake.script(tool_calls("exposure", client_id=1001), say(answer))
    deltas: list[str] = []
    reply = make_assistant().answer(anna, "llm-27", "how drawn is ACME", on_delta=deltas.append)
    assert not reply.degraded and reply.text == answer
    assert deltas == [f"ACME is {pct} drawn.", f" Its limit is {e.currency} {e.total_limit:,.0f} in total"]
    assert all(r.get("stream") for r in fake.requests)  # langchain-openai streamed both model calls


def test_streamed_invented_figure_never_goes_out(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    e = book.credit_engine.assess_client(anna, 1001, as_of=book.today()).exposure
    assert round(e.utilisation * 100, 1) != 42.7
    fake.script(tool_calls("exposure", client_id=1001), say("Here is ACME. It is 42.7% drawn. More follows."))
    deltas: list[str] = []
    reply = make_assistant().answer(anna, "llm-28", "how drawn is ACME", on_delta=deltas.append)
    assert deltas == ["Here is ACME."]  # checked sentences only; the bad one and all after it held back
    assert reply.degraded_reason == "unverified_answer" and "42.7" not in reply.text
    assert reply.text != "".join(deltas)  # the front door replaces the draft with this offline reply


def test_streamed_tool_call_text_is_not_shown(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(say('<tool_call>\n{"name": "exposure", "arguments": {"client_id": 1001}}\n</tool_call>'),
                say("Here is ACME's exposure."))  # fmt: skip
    deltas: list[str] = []
    reply = make_assistant().answer(anna, "llm-29", "exposure of ACME", on_delta=deltas.append)
    assert "".join(deltas) == "Here is ACME's exposure." == reply.text


# --- seen against Qwen2.5-Coder-0.5B on llama.cpp (docs/assistant.md "Against a real local model") ------

PEG_ERROR = {"status": 500, "error": {"code": 500, "type": "server_error",
             "message": "The model produced output that does not match the expected peg-native format"}}  # fmt: skip


def test_server_side_tool_call_parse_error_is_retried_not_reported_unreachable(
    make_assistant, fake, anna
) -> None:  # type: ignore[no-untyped-def]
    fake.script(PEG_ERROR, tool_calls("exposure", client_id=1001), say("Here is ACME's exposure."))
    reply = make_assistant().answer(anna, "llm-30", "exposure of ACME")
    assert not reply.degraded and "expected format" in _feedback(fake.requests[1])
    fake.script(PEG_ERROR, PEG_ERROR)
    reply = make_assistant().answer(anna, "llm-31", "exposure of ACME")
    assert reply.degraded_reason == "malformed_tool_calls" and len(fake.requests) == 5


def test_a_guessed_client_id_and_an_empty_answer_are_not_shown(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    # the model called exposure for client 123 (ACME is 1001; nothing gave it 123), then echoed filler text
    fake.script(tool_calls("exposure", client_id=123), say("ACME was not found."))
    reply = make_assistant().answer(anna, "llm-32", "what's ACME's exposure?")
    assert reply.degraded_reason == "unverified_answer" and "not found" not in reply.text
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1001} for c in reply.tool_calls)
    fake.script(tool_calls("exposure", client_id=1001), say("…"))
    assert (
        make_assistant().answer(anna, "llm-33", "what's ACME's exposure?").degraded_reason
        == "unverified_answer"
    )


def test_a_retry_never_feeds_the_model_filler_text_to_repeat(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("get_utilisation", client_id=1001), tool_calls("exposure", client_id=1001),
                say("ACME is drawn as shown."))  # fmt: skip
    make_assistant().answer(anna, "llm-34", "utilisation of ACME")
    assert "unusable" not in json.dumps(fake.requests[1]["messages"])


def test_a_data_question_answered_without_any_tool_call_is_not_shown(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    # the real model answered "No, Horizon Wholesale Holdings is not due for review." without calling a tool
    fake.script(say("No, ACME Holdings is not due for review."))
    reply = make_assistant().answer(anna, "llm-35", "is ACME due for review?")
    assert reply.degraded_reason == "unverified_answer" and reply.brain == "offline"
    assert any(c.name == "review_status" for c in reply.tool_calls)


def test_the_memory_note_of_a_fallback_is_never_repeated_as_an_answer(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    # after a fallback the real model answered the next turns with the memory's note, word for word
    assistant = make_assistant()
    fake.script(fail(500))
    assert assistant.answer(anna, "llm-36", "exposure of ACME").degraded
    fake.script(say("The offline assistant answered this turn from the tool results above.)"))
    reply = assistant.answer(anna, "llm-36", "what's the weather in Paris tomorrow?")
    assert reply.degraded_reason == "unverified_answer" and "offline assistant" not in reply.text


def test_the_budget_follows_the_context_the_server_reports(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    """Configured for 8192 tokens, served with 2500 (llama.cpp `/props` n_ctx): the brain budgets for 2500, so
    the big results of the test above fit and the conversation survives; asked once for the whole conversation."""
    server.forget()
    fake.context_tokens = fake.n_ctx = 2500
    assistant = make_assistant(max_tokens=256)  # context_tokens: the default 8192
    assert assistant.brain.budget().context_tokens == 2500
    fake.script(tool_calls("my_clients"), say("Those are your clients."))
    assert not assistant.answer(anna, "llm-40", "list my clients").degraded
    fake.script(tool_calls("watchlist", limit=100), say("That is the watch-list."))
    assert not assistant.answer(anna, "llm-40", "and the watchlist?").degraded
    assert all(prompt_tokens(r) <= 2500 for r in fake.requests)
    assert fake.probes.count("/props") == 1


def test_without_asking_the_server_the_configured_context_overflows(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    """The control of the test above: told 8192 and not asking, the same turns overflow the server's 2500."""
    server.forget()
    fake.context_tokens = fake.n_ctx = 2500
    assistant = make_assistant(max_tokens=256, probe_server=False)
    fake.script(tool_calls("my_clients"), say("Those are your clients."))
    first = assistant.answer(anna, "llm-41", "list my clients")
    fake.script(tool_calls("watchlist", limit=100), say("That is the watch-list."))
    second = assistant.answer(anna, "llm-41", "and the watchlist?")
    assert first.degraded or second.degraded
    assert fake.probes == []


def test_a_larger_server_context_does_not_raise_the_budget(make_assistant, fake) -> None:  # type: ignore[no-untyped-def]
    server.forget()
    fake.model_meta = {"max_model_len": 32768}  # vLLM's /v1/models; no /props
    assert make_assistant(context_tokens=4096).brain.budget().context_tokens == 4096
