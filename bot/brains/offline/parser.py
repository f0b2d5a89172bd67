"""From a message (and the conversation so far) to a plan: which intents, for which client, with what."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from bot.brains.offline.entities import (
    ClientMention,
    NameIndex,
    find_amount,
    find_client,
    find_period,
    find_request_id,
    refers_back,
)
from bot.brains.offline.intents import CLIENT_INTENTS, Intent, detect
from bot.conversations import ConversationState
from tools.assistant_tools.models import Period

_BOOK_WORDS = re.compile(
    r"\b(reviews|contacts|visits|calls|which|list|upcoming|all|any|my|our|portfolio|book|who should i)\b",
    re.I,
)
_REASON = re.compile(r"(?:,|;|\bbecause\b|\bfor\b|\bas\b|\bdue to\b)\s*(.+)$", re.I)


# The conversation remembers the tools the last turn used (by either brain); a follow-up that names only a
# new client ("what about Globex?") asks the same questions again.
TOOL_INTENTS: dict[str, Intent] = {
    "exposure": Intent.EXPOSURE, "review_status": Intent.REVIEW, "rating": Intent.RATING,
    "financial_analysis": Intent.FINANCIALS, "limit_recommendation": Intent.LIMIT, "what_if_limit": Intent.WHAT_IF,
    "early_warnings": Intent.WARNINGS, "insurance_cover": Intent.INSURANCE, "prepare_approval_request": Intent.RAISE,
}  # fmt: skip


@dataclass
class Plan:
    intents: list[Intent]
    client_id: int | None = None
    mention: ClientMention | None = None
    follow_up: bool = False
    amount: Decimal | None = None
    period: Period | None = None
    request_id: str | None = None
    reason: str = ""
    approval_kind: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def needs_client(self) -> bool:
        return any(i in CLIENT_INTENTS for i in self.intents)


def _looks_like_name(text: str, unknown: str) -> bool:
    """An unmatched word the user capitalised is a name we do not know, not filler."""
    return any(w[:1].isupper() for w in re.findall(r"[A-Za-z][\w&-]*", text) if w.lower() in unknown.split())


def _approval_kind(text: str) -> str | None:
    t = text.lower()
    if re.search(r"\bunfreeze\b", t):
        return "unfreeze"
    if re.search(r"\bfreeze\b", t):
        return "freeze"
    if re.search(r"\brenew(al)?\b", t):
        return "renewal"
    if re.search(r"\b(cut|reduce|lower|decrease|trim)\b", t):
        return "decrease"
    if re.search(r"\b(raise|increase|bump|lift|extend)\b", t):
        return "increase"
    return None  # "set/move/take X to 3M": decided against the current limit


def plan(text: str, index: NameIndex, state: ConversationState, *, as_of: dt.date) -> Plan:
    intents = detect(text)
    mention = find_client(text, index)
    amount = find_amount(text)
    p = Plan(intents=intents, mention=mention, amount=amount[0] if amount else None,
             period=find_period(text, as_of=as_of), request_id=find_request_id(text))  # fmt: skip
    back = refers_back(text)
    named = mention is not None and (mention.client_id is not None or mention.ambiguous)
    unknown_name = (
        mention is not None and mention.unknown is not None and _looks_like_name(text, mention.unknown)
    )
    has_client = named or unknown_name or back or state.last_client_id is not None
    book_level = not named and not back and bool(_BOOK_WORDS.search(text))

    resolved: list[Intent] = []
    for intent in intents:
        if intent is Intent.REVIEW and (book_level or not has_client):
            intent = Intent.REVIEWS_DUE
        elif intent is Intent.CONTACT and (book_level or not has_client):
            intent = Intent.CONTACTS_DUE
        elif intent is Intent.WARNINGS and (book_level or not has_client):
            intent = Intent.WATCHLIST
        elif intent is Intent.FIND_CLIENT and not (named or unknown_name):
            continue
        if intent not in resolved:
            resolved.append(intent)
    if not resolved:
        last = [TOOL_INTENTS[name] for name in state.last_intents if name in TOOL_INTENTS]
        if p.amount is not None and (Intent.WHAT_IF in last or Intent.RAISE in last):
            resolved = [i for i in last if i in (Intent.WHAT_IF, Intent.RAISE)][:1]
        elif named or unknown_name:
            resolved = [i for i in last if i in CLIENT_INTENTS and i not in (Intent.RAISE, Intent.MEMO)]
            resolved = resolved or [Intent.PROFILE]
    p.intents = resolved

    if Intent.RAISE in resolved:
        p.approval_kind = _approval_kind(text)
        if m := _REASON.search(text):
            p.reason = m.group(1).strip()[:500]
    if mention is not None and mention.client_id is not None:
        p.client_id = mention.client_id
    elif p.needs_client and not (mention is not None and mention.ambiguous) and not unknown_name:
        p.client_id = state.last_client_id
        p.follow_up = p.client_id is not None
    return p
