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
