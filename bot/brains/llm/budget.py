"""The context budget: what one request to the model may hold, and how messages are made to fit.

- `estimate_tokens` is a conservative count (no tokenizer of the served model is at hand): about 3.5
  Latin characters per token and one token per CJK character (or other non-ASCII character).
- `compact_schema` is a tool's OpenAI function schema without titles, defaults or long descriptions.
- `compact_result` shrinks a tool result (JSON) to a character cap: long lists keep their first items and
  say how many there were in total, long strings are cut; it is framed as data (`<data …>…</data>`).
- `fit_messages` drops whole older turns (oldest first) until the request fits; the current turn is kept,
  its tool results shrunk further if needed; if even that does not fit, `ContextTooSmall`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from tools.assistant_tools.registry import TOOLS

CHARS_PER_TOKEN = 3.5
MESSAGE_OVERHEAD_TOKENS = 6  # role markers and separators of a chat template, per message
MIN_RESULT_CHARS = 300


class ContextTooSmall(Exception):
    """Even the current question with its smallest tool results does not fit the model's context."""


def estimate_tokens(text: str) -> int:
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    return math.ceil((len(text) - wide) / CHARS_PER_TOKEN + wide)


def message_tokens(message: BaseMessage) -> int:
    tokens = estimate_tokens(message.text if isinstance(message.content, list) else str(message.content))
    if isinstance(message, AIMessage):
        tokens += sum(estimate_tokens(json.dumps(c["args"]) + c["name"]) + 8 for c in message.tool_calls)
    return tokens + MESSAGE_OVERHEAD_TOKENS


@dataclass(frozen=True)
class Budget:
    """Token budget of one request: the context size less the reply's room and a safety margin."""

    context_tokens: int
    max_tokens: int
    margin: float = 0.1

    @property
    def prompt_tokens(self) -> int:
        """What the prompt (system, tools, messages) may use."""
        return int(self.context_tokens * (1 - self.margin)) - self.max_tokens

    @property
    def result_chars(self) -> int:
        """Cap of one tool result: a quarter of the prompt room (at least MIN_RESULT_CHARS)."""
        return max(MIN_RESULT_CHARS, int(self.prompt_tokens * CHARS_PER_TOKEN / 4))


# --- tool schemas ---------------------------------------------------------------------------------


def _first_sentence(text: str, limit: int) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    text = text if end < 0 else text[: end + 1]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _compact_property(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        prop = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
    if "anyOf" in prop:  # Optional[X]: X (None is the default anyway)
        options = [p for p in prop["anyOf"] if p.get("type") != "null"]
        merged = {**_compact_property(options[0], defs)} if options else {}
        if prop.get("description"):
            merged["description"] = prop["description"]
        prop = merged
    out = {k: prop[k] for k in ("type", "enum", "format", "minimum", "maximum") if k in prop}
    if prop.get("description"):
        out["description"] = _first_sentence(prop["description"], 80)
    return out


def compact_schema(name: str) -> dict[str, Any]:
    """The OpenAI tool schema of a registry tool, as small as it can be while staying exact."""
    spec = TOOLS[name]
    schema = spec.args.model_json_schema()
    defs = schema.get("$defs", {})
    props = {k: _compact_property(v, defs) for k, v in schema.get("properties", {}).items()}
    parameters: dict[str, Any] = {"type": "object", "properties": props}
    if schema.get("required"):
        parameters["required"] = schema["required"]
    return {"type": "function", "function": {"name": name, "description": _first_sentence(spec.description, 160),
                                             "parameters": parameters}}  # fmt: skip


# --- tool results ------------------------------------------------------------------------------------


def _shrink(value: Any, items: int, chars: int) -> Any:
    if isinstance(value, dict):
        return {k: _shrink(v, items, chars) for k, v in value.items()}
    if isinstance(value, list):
        kept = [_shrink(v, items, chars) for v in value[:items]]
        if len(value) > items:
            kept.append(f"… {items} of {len(value)} shown")
        return kept
    if isinstance(value, str) and len(value) > chars:
        return value[:chars] + "…"
    return value


def compact_json(text: str, max_chars: int) -> str:
    """A JSON text within `max_chars`: lists cut to their first items (with "k of n shown"), long strings
    cut; a last resort cuts the text itself."""
    if len(text) <= max_chars:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text[:max_chars] + " …(cut)"
    for items, chars in ((20, 400), (10, 200), (5, 120), (3, 80), (1, 60)):
        small = json.dumps(_shrink(value, items, chars), ensure_ascii=False, separators=(",", ":"))
        if len(small) <= max_chars:
            return small
    return small[:max_chars] + " …(cut)"


def frame(tool: str, body: str) -> str:
    """A tool result framed as data: the model reads it, never follows it (see the system prompt)."""
    body = body.replace("</data>", "<\\/data>")
    return f'<data tool="{tool}">{body}</data>'


# --- fitting a request ---------------------------------------------------------------------------------


def _turns(messages: Sequence[BaseMessage]) -> list[list[BaseMessage]]:
    """Messages grouped by turn: each group starts at a user message."""
    turns: list[list[BaseMessage]] = []
    for m in messages:
        if isinstance(m, HumanMessage) or not turns:
            turns.append([])
        turns[-1].append(m)
    return turns


def shrink_tool_messages(turn: list[BaseMessage], max_chars: int) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for m in turn:
        if isinstance(m, ToolMessage) and len(str(m.content)) > max_chars:
            m = m.model_copy(update={"content": _shrink_framed(str(m.content), max_chars)})
        out.append(m)
    return out


def _shrink_framed(content: str, max_chars: int) -> str:
    if content.startswith("<data ") and content.endswith("</data>"):
        head, _, rest = content.partition(">")
        return f"{head}>{compact_json(rest[: -len('</data>')], max_chars)}</data>"
    return compact_json(content, max_chars)


def fit_messages(
    messages: Sequence[BaseMessage], room_tokens: int, *, result_chars: int
) -> list[BaseMessage]:
    """The newest messages that fit `room_tokens`: whole turns, the current one always (results shrunk)."""
    turns = _turns(messages)
    if not turns:
        return []
    current = turns[-1]
    chars = result_chars
    while sum(message_tokens(m) for m in current) > room_tokens:
        if chars <= MIN_RESULT_CHARS // 2:
            raise ContextTooSmall(
                f"the current turn needs {sum(message_tokens(m) for m in current)} tokens, {room_tokens} available"
            )
        chars //= 2
        current = shrink_tool_messages(current, chars)
    used = sum(message_tokens(m) for m in current)
    kept: list[list[BaseMessage]] = [current]
    for turn in reversed(turns[:-1]):
        size = sum(message_tokens(m) for m in turn)
        if used + size > room_tokens:
            break
        kept.insert(0, turn)
        used += size
    return [m for turn in kept for m in turn]


def compact_history(messages: Sequence[BaseMessage], *, keep_turns: int, result_chars: int,
                    old_result_chars: int) -> list[BaseMessage]:  # fmt: skip
    """What is stored after a turn: the last `keep_turns` turns; tool results of the newest turn cut to
    `result_chars`, older ones to `old_result_chars` (their figures are summarised, not kept verbatim)."""
    turns = _turns(messages)[-keep_turns:]
    out: list[BaseMessage] = []
    for i, turn in enumerate(turns):
        out += shrink_tool_messages(turn, result_chars if i == len(turns) - 1 else old_result_chars)
    return out
