"""The LLM brain's pure parts: the figure check, claim and tool-call-text detection, budget and tool choice."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from bot.brains.llm.budget import Budget, ContextTooSmall, compact_json, fit_messages, frame, message_tokens
from bot.brains.llm.selector import ParserToolSelector, RankedIntentSelector
from bot.brains.llm.verify import allowed_numbers, invented_numbers, looks_like_tool_call, state_change_claims
from bot.conversations import ConversationState

RESULT = json.dumps({"utilisation": 0.9712, "total_limit": "3000000", "currency": "USD", "grade": 7})


def test_tool_figures_pass_in_their_usual_forms() -> None:
    allowed = allowed_numbers([RESULT])
    # 0.9712 -> 97.12% / 97.1% / 97%; 3000000 -> 3,000,000 / 3M / 3000k / 300万; citation marker [2]
    text = "ACME is 97.1% (about 97%) drawn on USD 3,000,000 (3M, 300万), grade 7 [2]."
    assert invented_numbers(text, allowed) == []


def test_invented_and_over_rounded_figures_are_caught() -> None:
    allowed = allowed_numbers([RESULT])
    # 0.9712 never rounds to 1 (one significant digit left): "PD 1.0%" is invented (canonical "1")
    assert invented_numbers("PD is 1.0% and the limit 2.5M", allowed) == ["1", "2.5"]
    assert invented_numbers("utilisation 98%", allowed) == ["98"]


def test_list_ordinals_are_not_figures() -> None:
    assert invented_numbers("1. ACME\n2. Globex", set()) == []


def test_tool_call_text_is_recognised() -> None:
    assert looks_like_tool_call('{"name": "exposure", "arguments": {"client_id": 1}}')
    assert looks_like_tool_call('```json\n[{"name": "rating", "parameters": {}}]\n```')
    assert looks_like_tool_call("<tool_call>\nrating\n</tool_call>")
    assert not looks_like_tool_call("ACME is 97% drawn; see {the memo}.")


def test_state_change_claims_in_both_languages() -> None:
    for claim in ("The request has been approved.", "I've raised the request.", "Your limit was increased.",
                  "申请已提交", "已批准", "额度已经上调"):  # fmt: skip
        assert state_change_claims(claim), claim
    for fine in ("Limits above 5M need the committee.", "Revenue has increased 10%.", "使用率已提高",
                 "I prepared a request for you to confirm."):  # fmt: skip
        assert not state_change_claims(fine), fine


@given(st.recursive(st.none() | st.integers() | st.text(max_size=300),
                    lambda inner: st.lists(inner, max_size=40) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
                    max_leaves=200),  # fmt: skip
       st.integers(min_value=50, max_value=3000))  # fmt: skip
def test_compact_json_stays_within_the_cap(value: object, cap: int) -> None:
    text = json.dumps(value, ensure_ascii=False)
    out = compact_json(text, cap)
    assert len(out) <= cap + len(" …(cut)")
    if not out.endswith(" …(cut)"):
        json.loads(out)  # still JSON the model can read


def test_compact_json_says_how_many_were_shown() -> None:
    out = json.loads(compact_json(json.dumps({"clients": list(range(73))}), 120))
    assert out["clients"][-1].endswith("of 73 shown") and len(out["clients"]) <= 21


def test_fit_keeps_the_current_turn_and_drops_the_oldest() -> None:
    old = [HumanMessage("q1"), AIMessage("a1" * 2000), HumanMessage("q2"), AIMessage("a2")]
    call = AIMessage("", tool_calls=[{"name": "my_clients", "args": {}, "id": "c1", "type": "tool_call"}])
    current = [
        HumanMessage("q3"),
        call,
        ToolMessage(frame("my_clients", json.dumps(list(range(2000)))), tool_call_id="c1"),
    ]
    room = sum(message_tokens(m) for m in old[2:]) + 400
    fitted = fit_messages([*old, *current], room, result_chars=5000)
    assert [m.content for m in fitted if isinstance(m, HumanMessage)] == ["q2", "q3"]
    assert sum(message_tokens(m) for m in fitted) <= room
    assert str(fitted[-1].content).startswith('<data tool="my_clients">')
    try:
        fit_messages([HumanMessage("x" * 5000)], 100, result_chars=5000)
    except ContextTooSmall:
        pass
    else:
        raise AssertionError("a question larger than the room must not fit")


def test_budget_follows_the_context_size() -> None:
    small, large = Budget(context_tokens=4096, max_tokens=512), Budget(context_tokens=32768, max_tokens=512)
    assert small.prompt_tokens == int(4096 * 0.9) - 512 and large.result_chars > small.result_chars


def test_selector_offers_only_the_tools_the_question_needs() -> None:
    state = ConversationState()
    assert ParserToolSelector().select("what's the rating of ACME?", state) == ["rating", "find_clients"]
    follow_up = ConversationState(last_intents=["exposure", "review_status"])
    assert ParserToolSelector().select("and Globex?", follow_up) == [
        "exposure",
        "review_status",
        "find_clients",
    ]
    assert "search_policy" in ParserToolSelector().select("hmm", state)


def test_ranked_selector_takes_a_classifiers_top_intents() -> None:
    def rank(text: str) -> list[tuple[str, float]]:
        return [("exposure", 0.7), ("insurance", 0.2), ("policy", 0.06), ("rating", 0.04)]

    assert RankedIntentSelector(rank, top=2).select("util?", ConversationState()) == [
        "exposure",
        "insurance_cover",
        "find_clients",
    ]


def test_tool_calls_written_as_text_are_read() -> None:
    from bot.brains.llm.verify import tool_calls_in_text

    call = '{"name": "exposure", "arguments": {"client_id": 1001}}'
    assert tool_calls_in_text(f"<tool_call>\n{call}\n</tool_call>") == [("exposure", {"client_id": 1001})]
    assert tool_calls_in_text(f"```json\n[{call}, {call}]\n```") == [("exposure", {"client_id": 1001})] * 2
    assert tool_calls_in_text(
        '{"type": "function", "function": {"name": "rating", "arguments": "{\\"client_id\\": 7}"}}'
    ) == [("rating", {"client_id": 7})]
    assert tool_calls_in_text(f"Sure! {call}") is None  # prose: not only a call
    assert tool_calls_in_text('{"name": "get_weather", "arguments": {}}') is None  # no such tool
    assert (
        tool_calls_in_text('<tool_call>{"name": "exposure", "arguments": {"client_id": 10</tool_call>')
        is None
    )


def test_review_contradictions() -> None:
    from bot.brains.llm.verify import review_contradictions

    assert review_contradictions("Horizon is not due for review.", [("Horizon", True)]) == ["not due"]
    assert review_contradictions("Horizon 的复审尚未到期。", [("Horizon", True)]) == ["尚未到期"]
    assert review_contradictions("The review is overdue by 158 days.", [("Horizon", True)]) == []
    assert review_contradictions("Its review is overdue.", [("ACME", False)]) == ["overdue"]
    assert review_contradictions("It is not overdue.", [("ACME", False)]) == []
    # two clients: a phrase counts only in the sentence naming the client
    two = [("ACME", False), ("Horizon", True)]
    assert review_contradictions("ACME is not due. Horizon is overdue.", two) == []


def test_answer_language() -> None:
    from bot.brains.llm.verify import answers_in_language

    assert not answers_in_language("zh", "ACME's exposure is USD 1,520,000.")
    assert answers_in_language("zh", "ACME 的授信额度为 USD 1,520,000。")
    assert answers_in_language("en", "ACME Holdings (1001) is 90.2% drawn.")
    assert not answers_in_language("en", "ACME 的授信额度为一百五十二万美元，使用率百分之九十")


def test_verified_stream_sends_checked_sentences_only() -> None:
    from bot.brains.llm.stream import VerifiedStream

    out: list[str] = []
    stream = VerifiedStream(out.append, lambda: allowed_numbers([RESULT]))
    for piece in ["ACME is 97", ".1% drawn. ", "Grade 7", ". It is 42.7", "% wrong. Later."]:
        stream.feed("m1", piece, False)
    assert out == ["ACME is 97.1% drawn.", " Grade 7."]  # "97." is never cut; 42.7 stops the message
    out.clear()
    stream = VerifiedStream(out.append, lambda: set())
    stream.feed("m1", '{"name": "exposure", "arguments": {}}\n', False)
    stream.feed("m2", "Thinking aloud.", True)  # a message that calls tools: not the answer
    stream.feed("m3", "Done here", False)
    stream.finish("Done here, thanks")
    assert out == ["Done here, thanks"]


def test_a_streamed_tool_call_parse_error_is_a_malformed_reply() -> None:
    # llama.cpp sends it as an error event inside the stream (seen with Qwen2.5-Coder-0.5B): no status code
    import httpx
    import openai

    from bot.brains.llm.agent import classify

    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    exc = openai.APIError("The model produced output that does not match the expected peg-native format", request,
                          body=None)  # fmt: skip
    assert classify(exc) is not None and classify(exc)[0] == "malformed_tool_calls"  # type: ignore[index]
    assert classify(openai.APIConnectionError(request=request))[0] == "unreachable"  # type: ignore[index]
