"""The agent middleware that keeps each model call inside the limits of a small self-hosted model.

Around every model call (`wrap_model_call`):
- only the turn's selected tools are offered, with compact schemas;
- the messages are fitted to the context budget (older turns dropped, tool results shrunk); a 400
  "context length exceeded" from the server is answered once with half the room, then `ContextTooSmall`;
- the call gets what is left of the whole-turn deadline as its timeout (at most the per-call timeout);
  no time left: `TurnTimeout`;
- a tool call written as the text (a JSON object, a ```json fence, `<tool_call>` tags: what small models
  such as Qwen2.5-Coder-0.5B on llama.cpp do) is read as the call it means, when it names a tool this turn
  offers with JSON arguments; no retry is spent on it;
- a malformed response (invented tool name, arguments that are not JSON, a tool call written as text, or
  the very same call again) is retried once with the problem stated; a second one: `MalformedToolCalls`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import openai
from langchain.agents.middleware import AgentMiddleware
from langchain.agents.middleware.types import ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from bot.brains.llm.budget import Budget, ContextTooSmall, compact_schema, estimate_tokens, fit_messages
from bot.brains.llm.tools import AgentContext
from bot.brains.llm.verify import looks_like_tool_call, tool_calls_in_text
from tools.assistant_tools.registry import TOOLS

_CONTEXT_ERROR = re.compile(r"context|maximum.{0,40}tokens|too many tokens|prompt is too long", re.I)


class TurnTimeout(Exception):
    """The whole-turn deadline passed before the model answered."""


class MalformedToolCalls(Exception):
    """The model's tool calls stayed unusable after one retry with the problem fed back."""


def is_context_error(exc: openai.APIStatusError) -> bool:
    return exc.status_code in (400, 413) and bool(_CONTEXT_ERROR.search(str(exc.message) + str(exc.body)))


# llama.cpp answers HTTP 500 when the model's output does not parse as the chat template's tool-call format
_PARSE_ERROR = re.compile(r"does not match the expected|failed to parse|parse (?:the )?tool call", re.I)


def is_parse_error(exc: openai.APIError) -> bool:
    """The server could not parse the model's output as a tool call: a malformed reply, not an outage
    (HTTP 500, or an error event inside a streamed response: no status code)."""
    status = getattr(exc, "status_code", None)
    return status in (None, 500) and bool(_PARSE_ERROR.search(str(exc.message) + str(exc.body)))


def _calls_this_turn(messages: list[BaseMessage]) -> set[str]:
    seen: set[str] = set()
    for m in reversed(messages):
        if isinstance(m, HumanMessage):
            break
        if isinstance(m, AIMessage):
            seen |= {_key(c["name"], c["args"]) for c in m.tool_calls}
    return seen


def _key(name: str, args: dict[str, Any]) -> str:
    return name + json.dumps(args, sort_keys=True, default=str)


def problem_with(message: AIMessage, earlier_calls: set[str]) -> str | None:
    """What makes this response unusable, in words the model can act on; None when it is fine."""
    if message.invalid_tool_calls:
        bad = message.invalid_tool_calls[0]
        return f"the arguments of your call to {bad.get('name') or 'a tool'} are not valid JSON"
    unknown = [c["name"] for c in message.tool_calls if c["name"] not in TOOLS]
    if unknown:
        return f"there is no tool named {unknown[0]!r}"
    if not message.tool_calls and looks_like_tool_call(message.text):
        return "you wrote a tool call as text instead of calling the tool"
    if message.tool_calls and all(_key(c["name"], c["args"]) in earlier_calls for c in message.tool_calls):
        return f"you already called {message.tool_calls[0]['name']} with these arguments; its result is above"
    return None


def read_text_calls(response: ModelResponse[Any], offered: list[str]) -> ModelResponse[Any]:
    """The response with a tool call written as its text turned into the call it means (offered tools
    only; anything else is left for `problem_with`)."""
    message = next((m for m in response.result if isinstance(m, AIMessage)), None)
    if message is None or message.tool_calls or message.invalid_tool_calls:
        return response
    calls = tool_calls_in_text(message.text)
    if not calls or any(name not in offered for name, _ in calls):
        return response
    made = message.model_copy(update={"content": "", "tool_calls": [
        {"name": name, "args": args, "id": f"call_text_{uuid.uuid4().hex[:8]}", "type": "tool_call"}
        for name, args in calls]})  # fmt: skip
    return ModelResponse(result=[made if m is message else m for m in response.result],
                         structured_response=response.structured_response)  # fmt: skip


class TurnGuard(AgentMiddleware[Any, AgentContext, Any]):
    def __init__(self, *, budget: Budget | Callable[[], Budget], call_timeout_s: float) -> None:
        """`budget`: fixed, or asked for each model call (the brain's follows what the server says)."""
        super().__init__()
        self._budget = budget
        self.call_timeout_s = call_timeout_s

    @property
    def budget(self) -> Budget:
        return self._budget if isinstance(self._budget, Budget) else self._budget()

    def _request(self, request: ModelRequest[AgentContext], room_factor: float) -> ModelRequest[AgentContext]:
        ctx = request.runtime.context
        budget = self.budget
        tools = [compact_schema(name) for name in ctx.tools]
        fixed = estimate_tokens(request.system_prompt or "") + sum(
            estimate_tokens(json.dumps(t)) for t in tools
        )
        room = int((budget.prompt_tokens - fixed) * room_factor)
        if room <= 0:
            raise ContextTooSmall(f"system prompt and tools need {fixed} tokens of {budget.prompt_tokens}")
        messages = fit_messages(request.messages, room, result_chars=ctx.result_chars)
        return request.override(messages=messages, tools=tools)  # type: ignore[arg-type]

    def _call(self, request: ModelRequest[AgentContext], handler: Callable[[ModelRequest[AgentContext]],
              ModelResponse[Any]]) -> ModelResponse[Any]:  # fmt: skip
        remaining = request.runtime.context.remaining_s()
        if remaining <= 0:
            raise TurnTimeout("the turn deadline passed before the next model call")
        timeout = min(self.call_timeout_s, remaining)
        return handler(request.override(model_settings={**request.model_settings, "timeout": timeout}))

    def _retry_smaller(self, request: ModelRequest[AgentContext],
                       handler: Callable[[ModelRequest[AgentContext]], ModelResponse[Any]]) -> ModelResponse[Any]:  # fmt: skip
        fitted = self._request(request, 0.5)  # our estimate was short of the server's count
        try:
            return self._call(fitted, handler)
        except openai.APIStatusError as again:
            if is_context_error(again):
                raise ContextTooSmall(
                    f"the server still reports too long a prompt: {again.message}"
                ) from again
            raise

    def wrap_model_call(self, request: ModelRequest[AgentContext],
                        handler: Callable[[ModelRequest[AgentContext]], ModelResponse[Any]]) -> ModelResponse[Any]:  # fmt: skip
        fitted = self._request(request, 1.0)
        response: ModelResponse[Any] | None
        try:
            response = self._call(fitted, handler)
        except openai.APIError as exc:
            if is_parse_error(exc):
                response = None  # answered below like any malformed reply: one retry with the problem stated
            elif not (isinstance(exc, openai.APIStatusError) and is_context_error(exc)):
                raise
            else:
                response = self._retry_smaller(request, handler)

        offered = request.runtime.context.tools
        earlier = _calls_this_turn(request.messages)
        if response is None:  # the server could not parse the model's tool call (llama.cpp: HTTP 500)
            problem, said = "your tool call was not in the expected format", ""
        else:
            response = read_text_calls(response, offered)
            message = next((m for m in response.result if isinstance(m, AIMessage)), None)
            problem = problem_with(message, earlier) if message is not None else None
            if problem is None:
                return response
            said = message.text if message is not None else ""
        # The model's own unusable words (never a filler text of ours: a small model repeats it as its answer)
        shown = [AIMessage(content=said[:300])] if said.strip() else []
        retry = fitted.override(messages=[*fitted.messages, *shown,
                                          HumanMessage(f"Your last reply could not be used: {problem}. Call one of "
                                                       f"the offered tools with JSON arguments, or answer in plain "
                                                       f"text from the results you have.")])  # fmt: skip
        try:
            response = self._call(retry, handler)
        except openai.APIError as again_exc:
            if is_parse_error(again_exc):
                raise MalformedToolCalls(f"{problem}; after a retry: {again_exc.message}") from again_exc
            raise
        response = read_text_calls(response, offered)
        message = next((m for m in response.result if isinstance(m, AIMessage)), None)
        again = problem_with(message, earlier) if message is not None else None
        if again is not None:
            raise MalformedToolCalls(f"{problem}; after a retry: {again}")
        return response
