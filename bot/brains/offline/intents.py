"""What the user asks for: the trained classifier's reading of the message, clause by clause.

A message may ask several things ("what is ACME's utilisation and is it due for review?"): it is cut at
clause boundaries and each clause that the classifier reads confidently adds its intent, in the order
written. Otherwise the whole message is classified once. The reading comes with its confidence: below
`CONFIDENT` the brain asks which of the likely readings was meant; an "unsupported" reading (or a very
unsure one) gets an honest "I can't answer that".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.brains.offline.classifier import rank_intents


class Intent(StrEnum):
    HELP = "help"
    MY_CLIENTS = "my_clients"
    FIND_CLIENT = "find_client"
    PROFILE = "profile"
    EXPOSURE = "exposure"
    UTIL_TREND = "utilisation_trend"
    FINANCIALS = "financials"
    RATING = "rating"
    RATING_HISTORY = "rating_history"
    LIMIT = "limit_recommendation"
    WHAT_IF = "what_if"
    WARNINGS = "early_warnings"
    WATCHLIST = "watchlist"
    REVIEW = "review_status"
    REVIEWS_DUE = "reviews_due"
    CONTACT = "contact"
    CONTACTS_DUE = "contacts_due"
    INSURANCE = "insurance"
    INSURANCE_EXPIRING = "insurance_expiring"
    HIGH_UTIL = "high_utilisation"
    CONCENTRATION = "concentration"
    POLICY = "policy"
    MEMO = "memo"
    RAISE = "raise_request"
    APPROVAL_STATUS = "approval_status"
    PENDING = "pending_approvals"
    REPAYMENT = "repayment"
    UNSUPPORTED = "unsupported"
    BANK_STATEMENTS = "bank_statements"  # statements (#19)


# Intents that are about one client (the client comes from the text or the conversation).
CLIENT_INTENTS = frozenset({
    Intent.PROFILE, Intent.EXPOSURE, Intent.UTIL_TREND, Intent.FINANCIALS, Intent.RATING, Intent.RATING_HISTORY,
    Intent.LIMIT, Intent.WHAT_IF, Intent.WARNINGS, Intent.REVIEW, Intent.CONTACT, Intent.INSURANCE, Intent.MEMO,
    Intent.RAISE, Intent.REPAYMENT, Intent.BANK_STATEMENTS,
})  # fmt: skip

# The classifier's labels; "approvals" is split by the slots (a request id → its status).
LABELS: dict[str, Intent] = {i.value: i for i in Intent} | {"approvals": Intent.PENDING}

CONFIDENT = 0.45  # at or above: answer; below: offer the likely readings
CLAUSE_CONFIDENT = 0.45  # each clause of a several-question message adds its intent when read this surely
UNSURE = 0.2  # below (or "unsupported" on top): "I can't answer that; here is what I can do"

_CLAUSE_BREAK = re.compile(
    r"\s+(?:and\s+also|and|also|plus|&)\s+(?=(?:is|are|was|what|what's|whats|how|when|why|who|does|do|did|its|it's|their|"
    r"show|list|give|any|has|have|can|could|tell)\b)|\s\+\s|[;；]|[?？]\s+|，(?=还|另外|以及|并且|它|那|是否|有没有|什么时候)"
    r"|以及|并且|另外|同时",
    re.I,
)


@dataclass
class Reading:
    intents: list[Intent]
    ranking: list[tuple[str, float]] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return self.ranking[0][1] if self.ranking else 0.0

    @property
    def top(self) -> str | None:
        return self.ranking[0][0] if self.ranking else None


def clauses(text: str) -> list[str]:
    parts = [p.strip(" ,，?？.。!") for p in _CLAUSE_BREAK.split(text)]
    return [p for p in parts if len(p) >= 3]


def fold(ranking: list[tuple[str, float]], into: dict[str, str]) -> list[tuple[str, float]]:
    """The ranking with the probability of each label in `into` moved to the label it maps to.

    The slots know what the words alone cannot: with a client named, "how maxed out is X" cannot mean the
    book-level list (high utilisation), so its weight goes to the client reading (exposure)."""
    if not into:
        return ranking
    probs = dict(ranking)
    for src, dst in into.items():
        if src in probs and dst in probs:
            probs[dst] += probs[src]
            probs[src] = 0.0
    return sorted(probs.items(), key=lambda x: -x[1])


def detect(text: str, into: dict[str, str] | None = None) -> Reading:
    """The intents in `text` (in the order written) and the classifier's ranking of the whole message;
    `into` folds labels the slots rule out into the ones they allow (see `fold`)."""
    into = into or {}
    ranking = fold(rank_intents(text), into)
    parts = clauses(text)
    if len(parts) > 1:
        found: list[Intent] = []
        for part in parts:
            label, p = fold(rank_intents(part), into)[0]
            intent = LABELS[label]
            if (
                p >= CLAUSE_CONFIDENT
                and intent not in (Intent.HELP, Intent.UNSUPPORTED)
                and intent not in found
            ):
                found.append(intent)
        if len(found) > 1:
            return Reading(found, ranking)
    label, p = ranking[0]
    return Reading([LABELS[label]] if p >= CONFIDENT else [], ranking)
