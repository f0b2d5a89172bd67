"""What the user asks for: the trained classifier's reading of the message, clause by clause.

A message may ask several things ("what is ACME's utilisation and is it due for review?"): it is cut at
clause boundaries and each clause that the classifier reads confidently adds its intent, in the order
written. Otherwise the whole message is classified once. The reading comes with its confidence: below
`CONFIDENT` the brain asks which of the likely readings was meant; an "unsupported" reading (or a very
unsure one) gets an honest "I can't answer that".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.brains.offline.classifier import CLIENT_TOKEN, rank_intents


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
    r"\s+(?:and\s+also|and\s+then|and|also|plus|then|&)\s+|\s\+\s|[;；]|[?？]\s*(?=\S)|[.!。！]\s+(?=\S)"
    r"|[,，]\s*(?=also|then|and|plus|还|另外|以及|并且|它|那|是否|有没有|什么时候|顺便|再|然后|同时|也|对)"
    r"|以及|并且|另外|同时|顺便|还有(?![多几])|(?<=[\u4e00-\u9fffA-Za-z\s])[和及](?=[\u4e00-\u9fff\s])",
    re.I,
)
# A greeting or thanks says nothing a tool answers: "hi, what's ACME's exposure" asks one thing.
_GREETING = re.compile(
    r"(?i)^\s*(?:hi|hello|hey|hiya|yo|morning|good (?:morning|afternoon|evening)|thanks|thank you|cheers|ok(?:ay)?"
    r"|你好|您好|嗨|哈喽|早上好|下午好|谢谢|好的)(?:\s+(?:there|team|credit ?desk|all|again))?[\s,，!！.。~]*"
)


@dataclass
class Reading:
    intents: list[Intent]
    ranking: list[tuple[str, float]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # the clause each intent was read from (several-question)

    @property
    def confidence(self) -> float:
        return self.ranking[0][1] if self.ranking else 0.0

    @property
    def top(self) -> str | None:
        return self.ranking[0][0] if self.ranking else None


def clauses(text: str) -> list[str]:
    """The message cut where a new question may start ("…, and when is its review due?", "…？为什么…",
    "…和还款记录"); each part is read alone and counts only when read confidently (see `detect`)."""
    parts = [q for p in _CLAUSE_BREAK.split(text) if p for q in _asked_commas(p)]
    parts = [p.strip(" ,，?？.。!！") for p in parts]
    return [p for p in parts if len(p) >= 3 or (_CJK_TEXT.search(p) and len(p) >= 2)]


_CJK_TEXT = re.compile(r"[\u3400-\u9fff]")
_ZH_QUESTION = re.compile(r"多少|吗|呢|怎么样|如何|几[级个天]|什么|哪|是否|有没有|有无")


def _asked_commas(text: str) -> list[str]:
    """A Chinese comma ends a question when the words before it ask one ("titan 敞口多少，年审什么时候到期");
    otherwise it joins the context to the question ("按 X 的财务情况，给多少额度合适")."""
    out, start = [], 0
    for m in re.finditer("，", text):
        if _ZH_QUESTION.search(text, start, m.start()):
            out.append(text[start : m.start()])
            start = m.end()
    return [*out, text[start:]]


def without_greeting(text: str) -> str:
    """The message without a leading greeting, thanks or "ok" ("hi, …", "ok and the DSCR?"); unchanged when
    the greeting is all there is."""
    rest = _GREETING.sub("", text, count=1)
    return rest if re.search(r"[A-Za-z\u3400-\u9fff]{2,}", rest) else text


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


# "what can you do? also list my clients": a clause asking what the assistant does is a question too
_CAPABILITIES = re.compile(
    r"(?i)what (?:can|do) you (?:do|help)|how (?:do|does) (?:i|this|it) (?:use|work)|what are you (?:for|able)"
    r"|能做什么|能干什么|会什么|怎么用|有什么功能|能帮我?做什么"
)
_LEADING_AND = re.compile(
    r"(?i)^\s*(?:and|also|so|plus|then|还有|那么?|另外)\b\s*|^\s*(?:还有|那么?|另外)\s*"
)


def _asks(part: str) -> bool:
    """Whether a clause has words of its own beyond a client's name ("Redwood Dining" alone asks nothing)."""
    left = part.replace(CLIENT_TOKEN, " ")
    return bool(re.search(r"[\u3400-\u9fff]{2,}|\b[a-z][a-z'-]+\b|\b[A-Z]{2,5}\b", left))


def detect(text: str, into: dict[str, str] | None = None,
           extra: Callable[[str], dict[str, str]] | None = None) -> Reading:  # fmt: skip
    """The intents in `text` (in the order written) and the classifier's ranking of the whole message;
    `into` folds labels the slots rule out into the ones they allow (see `fold`), and `extra(part)` adds the
    folds a clause's own words call for ("PD history": the rating's weight goes to the rating history)."""
    into = into or {}

    def folds(part: str) -> dict[str, str]:
        return into | extra(part) if extra is not None else into

    asked = _LEADING_AND.sub("", without_greeting(text), count=1) or text
    ranking = fold(rank_intents(asked), folds(asked))
    parts = clauses(asked)
    if len(parts) > 1:
        found: list[tuple[Intent, str]] = []
        for part in parts:
            label, p = fold(rank_intents(part), folds(part))[0]
            intent = LABELS[label]
            if p < CLAUSE_CONFIDENT or intent is Intent.UNSUPPORTED or not _asks(part):
                continue
            if intent is Intent.HELP and not _CAPABILITIES.search(part):
                continue
            if intent not in [i for i, _ in found] or intent is Intent.PENDING:  # "approvals": split by slots
                found.append((intent, part))
        if len(found) > 1:
            return Reading([i for i, _ in found], ranking, [c for _, c in found])
    label, p = ranking[0]
    return Reading([LABELS[label]] if p >= CONFIDENT else [], ranking, [asked])
