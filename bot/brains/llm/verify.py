"""Checks on the model's final text before anyone sees it.

- figures: every number in the text must be a number of this conversation's tool results (or of the
  user's own words), as written or in a usual rewriting (a ratio as a percentage, an amount in
  thousands/millions/万/亿, rounded). The number guard is the memo narratives' (`numbers_in`).
- tool-call text: a tool call written out as text (JSON, `<tool_call>` tags) is not an answer.
- state changes: the assistant cannot approve, raise, submit or change anything; a text saying it did
  ("the request is approved", "已提交") is false unless a tool that reports request states was called.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tools.assistant_tools.registry import TOOLS
from tools.memos.narrative import numbers_in

_CITATION = re.compile(r"\[\d{1,2}\]")
_ORDINAL = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")
_SCALES = (Decimal(100), Decimal("0.001"), Decimal("0.000001"), Decimal("0.0001"), Decimal("0.00000001"))
# Rounding kept only while at least two significant digits remain (0.97 may become 97% or 0.97, never 1).
_PLACES = ((Decimal(1), Decimal(10)), (Decimal("0.1"), Decimal(1)), (Decimal("0.01"), Decimal("0.1")))

_TOOL_CALL_TEXT = re.compile(
    r"<\s*/?\s*tool_call\s*>|\"(?:name|function)\"\s*:\s*\"[a-z_]+\"\s*,\s*\"(?:arguments|parameters|args)\"",
    re.I,
)

_VERB_EN = (
    r"(?:approved|raised|submitted|increased|decreased|reduced|lowered|cut|frozen|unfrozen|changed|updated|"
    r"granted|set|lifted|executed)"
)
_CLAIMS = (
    # "the request is approved", "ACME's limit has been raised to 3M"
    re.compile(
        r"\b(?:limits?|requests?|facilit(?:y|ies)|lines?|applications?|increase|decrease|freeze|it)\b"
        r"[^.!?\n]{0,40}?\b(?:has|have|was|were|is|are|been|got)\s+(?:now\s+|been\s+|successfully\s+)*"
        + _VERB_EN
        + r"\b",
        re.I,
    ),  # fmt: skip
    # "I've raised the request", "I approved it"
    re.compile(
        r"\bI(?:'ve|\s+have)?\s+(?:now\s+|just\s+|successfully\s+|already\s+)*(?:approved|raised|submitted|"
        r"increased|decreased|reduced|lowered|froze|unfroze|changed|updated|granted|set)\b"
    ),  # fmt: skip
    re.compile(r"已(?:经)?(?:被)?(?:批准|审批通过|通过审批|提交|发起|冻结|解冻)|批准了|提交了"),
    re.compile(
        r"(?:额度|申请|请求)[^。！？\n]{0,10}?已(?:经)?(?:被)?(?:提高|上调|下调|调整|增加|降低|修改|变更|生效)"
    ),
)
# Tools whose results report request states: a text about a request's status may rest on them.
STATE_TOOLS = frozenset({"approval_status", "my_pending_approvals"})


def _canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _variants(token: str) -> set[str]:
    """A number and its usual rewritings (x100 as a percentage, /1e3, /1e6, /1e4, /1e8; rounded)."""
    try:
        value = Decimal(token)
    except InvalidOperation:
        return set()
    out = {token}
    for scaled in (value, *(value * s for s in _SCALES)):
        out.add(_canonical(scaled))
        for places, at_least in _PLACES:
            if abs(scaled) >= at_least:
                out.add(_canonical(scaled.quantize(places, rounding=ROUND_HALF_UP)))
    return out


def allowed_numbers(sources: Iterable[str]) -> set[str]:
    """Every number a reply may state, from these texts (tool results, the user's messages)."""
    allowed: set[str] = set()
    for number in numbers_in("\n".join(sources)):
        allowed |= _variants(number)
    return allowed


def invented_numbers(text: str, allowed: set[str]) -> list[str]:
    """Numbers in `text` that no source gives (citation markers [n] and list ordinals are not figures)."""
    text = _ORDINAL.sub(" ", _CITATION.sub(" ", text))
    return sorted(numbers_in(text) - allowed)


def looks_like_tool_call(text: str) -> bool:
    """The text is (or holds) a tool call written out instead of made."""
    if _TOOL_CALL_TEXT.search(text):
        return True
    stripped = text.strip().strip("`").removeprefix("json").strip()
    if stripped.startswith(("{", "[")):
        try:
            value = json.loads(stripped)
        except ValueError:
            return False
        items = value if isinstance(value, list) else [value]
        return any(isinstance(v, dict) and (v.get("name") in TOOLS or "function" in v) for v in items)
    return False


def state_change_claims(text: str) -> list[str]:
    """Phrases that say a request or limit was approved, raised, submitted, changed…"""
    return [m.group(0) for pattern in _CLAIMS for m in pattern.finditer(text)]


# --- tool calls written as text: read them rather than waste a retry ------------------------------

_TAGGED = re.compile(r"<\s*tool_call\s*>(.*?)(?:<\s*/\s*tool_call\s*>|$)", re.S | re.I)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def _call_of(value: object) -> tuple[str, dict[str, object]] | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("function"), dict):  # {"type": "function", "function": {"name", "arguments"}}
        value = value["function"]
    name = value.get("name")
    args = next((value[k] for k in ("arguments", "parameters", "args") if k in value), {})
    if isinstance(args, str):
        try:
            args = json.loads(args or "{}")
        except ValueError:
            return None
    if not isinstance(name, str) or name not in TOOLS or not isinstance(args, dict):
        return None
    return name, args


def tool_calls_in_text(text: str) -> list[tuple[str, dict[str, object]]] | None:
    """The tool calls a model wrote as its text instead of making them (`{"name": …, "arguments": …}`,
    a list of those, in a ```json fence or `<tool_call>` tags), when the whole text is nothing but such
    calls to known tools with JSON arguments; otherwise None."""
    stripped = text.strip()
    bodies = [m.strip() for m in _TAGGED.findall(stripped)] or [_FENCE.sub("", stripped).strip()]
    calls: list[tuple[str, dict[str, object]]] = []
    for body in bodies:
        try:
            value = json.loads(body)
        except ValueError:
            return None
        for item in value if isinstance(value, list) else [value]:
            call = _call_of(item)
            if call is None:
                return None
            calls.append(call)
    if _TAGGED.search(stripped) and _TAGGED.sub("", stripped).strip():
        return None  # prose around the calls: not only calls
    return calls or None


# --- the answer must agree with the tool results and the question's language ---------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_DUE = re.compile(
    r"\bnot\s+(?:yet\s+|currently\s+)?(?:due|overdue)\b|\bno\s+(?:review\s+)?(?:is\s+)?(?:due|overdue)\b|"
    r"\bup\s+to\s+date\b|\bisn't\s+(?:due|overdue)\b|\bon\s+schedule\b|"
    r"未到期|尚未到期|未逾期|没有逾期|无需复审|不需要复审|不需复审|无须复审|未到复审",
    re.I,
)
_OVERDUE = re.compile(r"(?<!not )(?<!isn't )\boverdue\b|已逾期|逾期\s*\d|已过期|已超期|超期", re.I)


def answers_in_language(question_language: str, text: str) -> bool:
    """A Chinese question gets an answer with Chinese in it; an English one an answer mostly not Chinese."""
    cjk = len(_CJK.findall(text))
    if question_language == "zh":
        return cjk > 0
    latin = len(re.findall(r"[A-Za-z]", text))
    return cjk <= latin


def review_contradictions(text: str, reviews: Iterable[tuple[str, bool]]) -> list[str]:
    """Phrases of `text` that contradict a review_status result ((client name, overdue) pairs): "not due"
    for a review that is overdue, "overdue" for one that is not. With several clients only a phrase in
    the same sentence as the client's name counts."""
    reviews = list(reviews)
    found: list[str] = []
    sentences = re.split(r"(?<=[.!?。！？\n])\s*", text)
    for name, overdue in reviews:
        scope = [s for s in sentences if name.lower() in s.lower()] if len(reviews) > 1 else sentences
        pattern = _NOT_DUE if overdue else _OVERDUE
        found += [m.group(0) for s in scope for m in pattern.finditer(s)]
    return found
