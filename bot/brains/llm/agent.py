"""The LLM brain: `create_agent` over an OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, …).

- the acting officer is injected through the run context (`AgentContext`), never a tool argument;
- each turn offers only the tools a `ToolSelector` picks, within a context budget (`LLMConfig.context_tokens`),
  with `max_tokens`, a per-call timeout and a whole-turn deadline (`TurnGuard`);
- the model's final text is checked (`verify`): figures from this conversation's tool results only, no
  tool call written as text, no claim that something was approved or changed;
- anything that fails raises `BrainUnavailable` with a reason (unreachable, timeout, context_too_small,
  malformed_tool_calls, unverified_answer) and its real cause; the Assistant answers offline;
- memory is a LangGraph checkpointer keyed by (officer, conversation); after every turn it is compacted
  (recent turns only, tool results cut); a failed turn leaves the memory as it was, then
  `record_fallback` adds what really happened (the offline brain's tool calls and results).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx
import openai
from langchain.agents import create_agent
from langchain.agents.middleware import ModelCallLimitMiddleware, ToolErrorMiddleware
from langchain.agents.middleware.model_call_limit import ModelCallLimitExceededError
from langchain.agents.middleware.types import ToolCallRequest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    RemoveMessage,
    ToolMessage,
)
from langchain_openai import ChatOpenAI
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from pydantic import ValidationError

from bot.actions import raise_request_action, submit_memo_action
from bot.brains.base import BrainUnavailable
from bot.brains.llm.budget import Budget, ContextTooSmall, compact_history, frame
from bot.brains.llm.checkpoint import open_checkpointer
from bot.brains.llm.guard import MalformedToolCalls, TurnGuard, TurnTimeout, is_context_error, is_parse_error
from bot.brains.llm.prompts import SYSTEM_PROMPT
from bot.brains.llm.selector import ParserToolSelector, ToolSelector, needs_tools
from bot.brains.llm.server import effective_context_tokens, server_context_tokens
from bot.brains.llm.stream import VerifiedStream
from bot.brains.llm.tools import AgentContext, agent_tools
from bot.brains.llm.verify import (
    STATE_TOOLS,
    allowed_numbers,
    answers_in_language,
    invented_numbers,
    looks_like_tool_call,
    review_contradictions,
    state_change_claims,
)
from bot.conversations import ConversationState
from bot.facts import citations_for, figures_for
from bot.reply import DegradedReason, Reply, ToolCall
from kernel.catalogue import detect_language
from kernel.errors import CreditDeskError
from tools.actor import Actor
from tools.assistant_tools.models import MemoDraft, PolicySearch, PreparedApproval, ReviewStatus
from tools.assistant_tools.toolbox import Toolbox
from tools.memos.narrative import numbers_in

MAX_MODEL_CALLS = 6
# What the memory says in the model's place after a fallback; small models repeat it as their next answer
# (seen with Qwen2.5-Coder-0.5B), so an answer holding it is refused.
FALLBACK_NOTE = "(The offline assistant answered this turn from the tool results above.)"
_NOTE_WORDS = re.compile(r"offline assistant answered", re.I)
KEEP_TURNS = 6  # turns kept in the stored memory
OLD_RESULT_CHARS = 400  # tool results of earlier turns are kept this short in memory


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = "none"
    timeout_s: float = 90.0  # one model call (a CPU server's prefill of a few thousand tokens is slow)
    turn_deadline_s: float = 240.0  # the whole turn, every model and tool call included
    context_tokens: int = 8192  # the served model's context size
    max_tokens: int = 512  # the longest reply the model may write
    temperature: float = 0.0

    probe_server: bool = True  # ask the server its context size (once; the smaller of the two is budgeted)

    @property
    def budget(self) -> Budget:
        """The budget for the configured context size (see `LLMBrain.budget` for the one a turn uses)."""
        return Budget(context_tokens=self.context_tokens, max_tokens=self.max_tokens)

    def context_sizes(self) -> tuple[int, int | None, int]:
        """(configured, the server's or None, the one budgeted: the smaller when the server says)."""
        server = (server_context_tokens(self.base_url, self.model, self.api_key, timeout_s=min(self.timeout_s, 2.0))
                  if self.probe_server else None)  # fmt: skip
        return self.context_tokens, server, effective_context_tokens(self.context_tokens, server)


def _tool_error(exc: Exception, request: ToolCallRequest) -> str:
    name = request.tool_call["name"]
    if isinstance(exc, CreditDeskError):
        return frame(name, json.dumps({"error": exc.code, "message": exc.message}, ensure_ascii=False))
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "arguments"
        return frame(name, json.dumps({"error": "invalid_input", "message": f"{where}: {first['msg']}"}))
    return frame(
        name, json.dumps({"error": "error", "message": f"{name} failed unexpectedly; do not retry it"})
    )


def _thread(actor: Actor, conversation_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"{actor.officer_id}:{conversation_id}"}}


def classify(exc: BaseException) -> tuple[DegradedReason, str] | None:
    """The degraded reason and the real cause of a failed turn; None for errors that are not the model's."""
    if isinstance(exc, TurnTimeout | openai.APITimeoutError | httpx.TimeoutException):
        return "timeout", f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ContextTooSmall):
        return "context_too_small", str(exc)
    if isinstance(exc, openai.APIError) and is_parse_error(exc):
        return "malformed_tool_calls", f"{type(exc).__name__}: {exc.message}"
    if isinstance(exc, openai.APIStatusError):
        if is_context_error(exc):
            return "context_too_small", f"HTTP {exc.status_code}: {exc.message}"
        if is_parse_error(exc):
            return "malformed_tool_calls", f"HTTP {exc.status_code}: {exc.message}"
        return "unreachable", f"HTTP {exc.status_code}: {exc.message}"
    if isinstance(exc, openai.APIConnectionError | httpx.HTTPError):
        return "unreachable", f"{type(exc).__name__}: {exc}"
    if isinstance(exc, MalformedToolCalls | ModelCallLimitExceededError):
        return "malformed_tool_calls", str(exc)
    return None


class LLMBrain:
    def __init__(self, toolbox: Toolbox, *, config: LLMConfig, checkpoint_url: str,
                 selector: ToolSelector | None = None) -> None:  # fmt: skip
        self.toolbox = toolbox
        self.config = config
        self.selector: ToolSelector = selector or ParserToolSelector()
        model = ChatOpenAI(base_url=config.base_url, api_key=config.api_key, model=config.model,  # type: ignore[arg-type]
                           timeout=config.timeout_s, max_retries=0, temperature=config.temperature,
                           extra_body={"max_tokens": config.max_tokens}, use_responses_api=False)  # fmt: skip
        self.agent = create_agent(
            model, agent_tools(), system_prompt=SYSTEM_PROMPT, context_schema=AgentContext,
            checkpointer=open_checkpointer(checkpoint_url),
            middleware=[ModelCallLimitMiddleware(run_limit=MAX_MODEL_CALLS, exit_behavior="error"),
                        TurnGuard(budget=self.budget, call_timeout_s=config.timeout_s),
                        ToolErrorMiddleware(on_error=_tool_error)],
        )  # fmt: skip

    def budget(self) -> Budget:
        """This turn's budget: the configured context size, or the server's when it reports a smaller one."""
        return replace(self.config, context_tokens=self.config.context_sizes()[2]).budget

    # --- one turn ---------------------------------------------------------------------------------
    streams = True  # `answer(..., on_delta=…)` passes on checked text as the model writes it

    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState, *,
               on_delta: Callable[[str], None] | None = None) -> Reply:  # fmt: skip
        """One turn. With `on_delta`, the final text is passed on while the model writes it, one sentence
        at a time and only sentences that pass the checks (`VerifiedStream`); the returned Reply is what
        counts: when the whole text fails its checks this raises as usual and the caller replaces the
        draft with the offline answer."""
        thread = _thread(actor, conversation_id)
        before = self._messages(thread)
        must_call = needs_tools(text, state)
        ctx = AgentContext(actor=actor, toolbox=self.toolbox, tools=self.selector.select(text, state),
                           result_chars=self.budget().result_chars,
                           deadline=time.monotonic() + self.config.turn_deadline_s)  # fmt: skip
        try:
            messages, stream = self._run(text, thread, ctx, before, on_delta)
            final = messages[-1] if messages and isinstance(messages[-1], AIMessage) else None
            answer = final.text if final is not None else ""
            if must_call and not ctx.outcomes:
                raise BrainUnavailable("unverified_answer", "a data question answered without any tool call")
            self._verify(answer, messages, ctx)
        except Exception as exc:
            found = classify(exc) if not isinstance(exc, BrainUnavailable) else (exc.reason, exc.message)
            if found is None:
                raise
            reason, cause = found
            self._store(thread, before)  # nothing of the failed turn stays in the model's memory
            raise BrainUnavailable(reason, cause) from exc
        self._store(thread, compact_history(messages, keep_turns=KEEP_TURNS, result_chars=ctx.result_chars,
                                            old_result_chars=OLD_RESULT_CHARS))  # fmt: skip
        if stream is not None:
            stream.finish(answer)  # the checked text's last words (an unfinished sentence) go out now
        return self._reply(answer, ctx)

    def _run(self, text: str, thread: dict[str, Any], ctx: AgentContext, before: list[BaseMessage],
             on_delta: Callable[[str], None] | None) -> tuple[list[BaseMessage], VerifiedStream | None]:  # fmt: skip
        turn = {"messages": [HumanMessage(text)]}
        if on_delta is None:
            return list(self.agent.invoke(turn, config=thread, context=ctx)["messages"]), None
        history = [str(m.content) for m in before if isinstance(m, ToolMessage | HumanMessage)] + [text]
        stream = VerifiedStream(on_delta, lambda: allowed_numbers(
            history + [o.result.model_dump_json() for o in ctx.outcomes if o.result is not None]))  # fmt: skip
        messages: list[BaseMessage] = []
        for mode, chunk in self.agent.stream(
            turn, config=thread, context=ctx, stream_mode=["messages", "values"]
        ):
            if mode == "values":
                messages = list(chunk["messages"])
            else:
                token, _meta = chunk
                if isinstance(token, AIMessageChunk):
                    stream.feed(token.id or "", token.text, bool(token.tool_call_chunks))
        return messages, stream

    def _verify(self, text: str, messages: list[BaseMessage], ctx: AgentContext) -> None:
        if not text.strip():
            raise BrainUnavailable("unverified_answer", "the model gave no final text")
        if looks_like_tool_call(text):
            raise BrainUnavailable("malformed_tool_calls", "the final text is a tool call written out")
        if _NOTE_WORDS.search(text):
            raise BrainUnavailable("unverified_answer", "the final text repeats the memory's fallback note")
        if len(re.findall(r"[^\W\d_]", text)) < 2:
            raise BrainUnavailable("unverified_answer", f"the final text says nothing: {text[:40]!r}")
        guessed = self._guessed_ids(messages, ctx)
        if guessed and not any(o.outcome == "ok" for o in ctx.outcomes):
            raise BrainUnavailable(
                "unverified_answer", f"the model guessed client id {guessed[0]} (not found)"
            )
        claims = state_change_claims(text)
        if claims and not any(o.name in STATE_TOOLS and o.ok for o in ctx.outcomes):
            raise BrainUnavailable("unverified_answer", f"claims a change no tool made: {claims[0]!r}")
        sources = [str(m.content) for m in messages if isinstance(m, ToolMessage | HumanMessage)]
        sources += [o.result.model_dump_json() for o in ctx.outcomes if o.result is not None]
        invented = invented_numbers(text, allowed_numbers(sources))
        if invented:
            raise BrainUnavailable(
                "unverified_answer", "figures not in any tool result: " + ", ".join(invented[:5])
            )
        reviews = [
            (o.result.name, o.result.review.overdue)
            for o in ctx.outcomes
            if isinstance(o.result, ReviewStatus)
        ]
        contradicted = review_contradictions(text, reviews)
        if contradicted:
            raise BrainUnavailable("unverified_answer", f"contradicts review_status: {contradicted[0]!r}")
        question = next((str(m.content) for m in reversed(messages) if isinstance(m, HumanMessage)), "")
        language = detect_language(question)
        if not answers_in_language(language, text):
            raise BrainUnavailable(
                "unverified_answer", f"the answer is not in the question's language ({language})"
            )

    @staticmethod
    def _guessed_ids(messages: list[BaseMessage], ctx: AgentContext) -> list[str]:
        """Client ids the model tried that were not found and that nothing in the conversation gave it
        (not the user's words, not a tool result): it made them up instead of calling find_clients."""
        known = [str(m.content) for m in messages if isinstance(m, HumanMessage)]
        known += [o.result.model_dump_json() for o in ctx.outcomes if o.result is not None]
        known += [
            str(m.content) for m in messages if isinstance(m, ToolMessage) and '"error"' not in str(m.content)
        ]
        numbers = set(numbers_in("\n".join(known)))
        return [str(o.arguments["client_id"]) for o in ctx.outcomes
                if o.outcome == "not_found" and "client_id" in o.arguments
                and str(o.arguments["client_id"]) not in numbers]  # fmt: skip

    # --- memory -------------------------------------------------------------------------------------
    def _messages(self, thread: dict[str, Any]) -> list[BaseMessage]:
        return list(self.agent.get_state(thread).values.get("messages", []))

    def _store(self, thread: dict[str, Any], messages: list[BaseMessage]) -> None:
        current = self._messages(thread)
        if [m.model_dump() for m in current] == [m.model_dump() for m in messages]:
            return
        self.agent.update_state(thread, {"messages": [RemoveMessage(id=REMOVE_ALL_MESSAGES), *messages]},
                                as_node="model")  # fmt: skip

    def record_fallback(self, actor: Actor, conversation_id: str, text: str, reply: Reply) -> None:
        """Keep the model's memory true: the question, the tools the offline brain called and what they
        gave (figures, citations, errors), and a note that the offline assistant answered."""
        thread = _thread(actor, conversation_id)
        turn: list[BaseMessage] = [HumanMessage(text)]
        calls = [{"name": c.name, "args": c.arguments, "id": f"offline_{i}", "type": "tool_call"}
                 for i, c in enumerate(reply.tool_calls)]  # fmt: skip
        if calls:
            turn.append(AIMessage(content="", tool_calls=calls))
            for call, made in zip(calls, reply.tool_calls, strict=True):
                data: dict[str, Any] = {"outcome": made.outcome}
                if made.message:
                    data["message"] = made.message
                data |= {f.label: f.display for f in reply.figures if f.source == made.name}
                if made.name == "search_policy":
                    data["passages"] = [c.label for c in reply.citations]
                turn.append(ToolMessage(frame(made.name, json.dumps(data, ensure_ascii=False, default=str)),
                                        tool_call_id=call["id"], name=made.name))  # fmt: skip
        turn.append(AIMessage(FALLBACK_NOTE))
        history = [*self._messages(thread), *turn]
        self._store(thread, compact_history(history, keep_turns=KEEP_TURNS, result_chars=OLD_RESULT_CHARS,
                                            old_result_chars=OLD_RESULT_CHARS))  # fmt: skip

    # --- the reply ----------------------------------------------------------------------------------
    @staticmethod
    def _reply(text: str, ctx: AgentContext) -> Reply:
        reply = Reply(text=text, brain="llm")
        lang = detect_language(text)  # the answer is in the question's language (verified)
        for out in ctx.outcomes:
            reply.tool_calls.append(ToolCall(name=out.name, arguments=out.arguments, outcome=out.outcome,  # type: ignore[arg-type]
                                             message=out.message))  # fmt: skip
            if out.result is None:
                continue
            reply.figures += figures_for(out.name, out.result)
            if isinstance(out.result, PolicySearch):
                reply.citations += citations_for(out.result, start=len(reply.citations) + 1)
            if isinstance(out.result, PreparedApproval):
                summary = [f"{out.result.kind} for client {out.result.client_id}"]
                reply.actions.append(raise_request_action(out.result, lang, summary))
            if isinstance(out.result, MemoDraft):
                reply.actions.append(submit_memo_action(out.result, lang))
        return reply
