"""Entities in an officer's message: clients (ids, names with typos, partial names), amounts, periods, ids.

Pure functions over the text and a `NameIndex` of the clients; no database access here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz import fuzz, process

from kernel.money import find_amounts
from tools.assistant_tools.models import Period

# Words of a company name that do not tell clients apart ("ACME Holdings" vs "ACME Logistics" do,
# but only together with "acme").
GENERIC_NAME_WORDS = frozenset(
    ["holdings", "holding", "group", "trading", "systems", "foods", "logistics", "industries", "industrial", "international", "global", "services", "solutions", "company", "co", "corp", "corporation", "inc", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa", "srl", "bv", "nv", "the", "and", "of", "partners", "enterprises", "manufacturing", "technologies", "technology", "tech"]
)  # fmt: skip

# Words officers use that are never client names (questions, credit vocabulary).
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from", "about", "what", "whats", "what's", "which", "who", "whom", "is", "are", "was", "were", "be", "been", "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "me", "my", "mine", "our", "we", "us", "you", "your", "i", "it", "its", "it's", "they", "them", "their", "this", "that", "these", "those", "there", "here", "how", "when", "why", "where", "much", "many", "any", "some", "all", "please", "thanks", "thank", "show", "tell", "give", "list", "get", "let", "see", "check", "find", "look", "lookup", "search", "draft", "write", "prepare", "raise", "increase", "decrease", "reduce", "cut", "lower", "bump", "lift", "set", "move", "take", "freeze", "unfreeze", "renew", "renewal", "up", "down", "client", "clients", "customer", "customers", "account", "accounts", "book", "portfolio", "line", "lines", "limit", "limits", "facility", "facilities", "utilisation", "utilization", "utilised", "utilized", "exposure", "outstanding", "drawn", "usage", "headroom", "balance", "financial", "financials", "ratio", "ratios", "leverage", "debt", "ebitda", "revenue", "sales", "margin", "margins", "profit", "profitability", "liquidity", "statements", "statement", "cash", "flow", "flows", "rating", "rated", "score", "scores", "scorecard", "grade", "pd", "default", "probability", "expected", "loss", "lgd", "reason", "reasons", "code", "codes", "recommend", "recommended", "recommendation", "proposal", "adjust", "adjustment", "what", "if", "impact", "effect", "simulate", "scenario", "warning", "warnings", "ews", "red", "amber", "green", "flags", "flag", "alert", "alerts", "signals", "watch", "watchlist", "attention", "risk", "risky", "review", "reviews", "reviewed", "due", "overdue", "memo", "report", "contact", "contacts", "contacted", "visit", "visits", "call", "calls", "insurance", "insured", "uninsured", "cover", "coverage", "insurer", "concentration", "concentrations", "hhi", "policy", "policies", "rule", "rules", "procedure", "guideline", "allowed", "say", "says", "approval", "approvals", "approve", "request", "requests", "pending", "status", "awaiting", "decision", "new", "old", "current", "last", "next", "this", "year", "quarter", "month", "months", "week", "today", "now", "ytd", "annual", "quarterly", "q1", "q2", "q3", "q4", "h1", "h2", "fy", "million", "m", "k", "bn", "usd", "eur", "gbp", "yes", "no", "ok", "okay", "hi", "hello", "doing", "profile", "overview", "summary", "glance", "snapshot", "about", "need", "needs", "help", "also", "too", "again", "same", "one", "more", "other", "else", "than", "then", "so", "just", "want", "like", "know", "because", "since", "new", "contract", "deal", "trend", "trends", "right", "whole", "bank", "our", "above", "below", "over", "under", "less"]
)  # fmt: skip

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*")
_CLIENT_ID = re.compile(
    r"\b(?:client|customer|id|account)\s*(?:no\.?|number|#)?\s*#?(\d{3,9})\b|#(\d{3,9})\b", re.I
)
_REQUEST_ID = re.compile(
    r"\b(?:request|req|approval)\s*(?:#|no\.?\s*|number\s*|id\s*)?([A-Za-z]*-?\d[\w-]*)", re.I
)
_PRONOUN = re.compile(
    r"\b(it|its|it's|they|their|them|this client|that client|the client|same client)\b", re.I
)


@dataclass(frozen=True)
class IndexedClient:
    client_id: int
    name: str
    in_scope: bool


@dataclass
class NameIndex:
    """The clients a message can name, split into distinctive and generic name words."""

    clients: list[IndexedClient]
    _distinct: dict[str, set[int]] = field(default_factory=dict)
    _generic: dict[int, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.clients:
            words = {w.lower().strip(".") for w in _WORD.findall(c.name)}
            for w in words - GENERIC_NAME_WORDS:
                self._distinct.setdefault(w, set()).add(c.client_id)
            self._generic[c.client_id] = words & GENERIC_NAME_WORDS

    def by_id(self, client_id: int) -> IndexedClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def match_word(self, word: str) -> list[tuple[str, float]]:
        """Distinctive name words this message word may mean (exact, a typo, or a prefix of 4+ letters)."""
        if word in self._distinct:
            return [(word, 100.0)]
        hits: list[tuple[str, float]] = []
        if len(word) >= 4:
            hits = [(w, float(s)) for w, s, _ in process.extract(word, list(self._distinct), scorer=fuzz.ratio,
                                                                  score_cutoff=80, limit=5)]  # fmt: skip
            hits += [(w, 90.0) for w in self._distinct if w.startswith(word) and w not in dict(hits)]
        return hits


@dataclass(frozen=True)
class ClientMention:
    """What the message says about a client: resolved, ambiguous, or a name nothing matched."""

    client_id: int | None = None
    candidates: tuple[IndexedClient, ...] = ()
    unknown: str | None = None
    said: str | None = None  # the user's words for the client ("acme", "glbex")

    @property
    def ambiguous(self) -> bool:
        return self.client_id is None and len(self.candidates) > 1


def words_of(text: str) -> list[str]:
    return [w.lower().strip(".-") for w in _WORD.findall(re.sub(r"'s\b|’s\b", "", text))]


def find_client(text: str, index: NameIndex) -> ClientMention | None:
    """The client the message names, preferring the actor's own scope when names tie."""
    if m := _CLIENT_ID.search(text):
        return ClientMention(client_id=int(m.group(1) or m.group(2)), said=m.group(1) or m.group(2))
    words = [w for w in words_of(text) if w not in STOPWORDS and len(w) >= 3]
    scores: dict[int, float] = {}
    matched_words: set[str] = set()
    for word in words:
        for name_word, score in index.match_word(word):
            matched_words.add(word)
            for cid in index._distinct[name_word]:
                scores[cid] = max(scores.get(cid, 0.0), 0.0) + score
    if not scores:
        leftover = [w for w in words if w not in GENERIC_NAME_WORDS]
        return ClientMention(unknown=" ".join(leftover)) if leftover else None
    said = set(words_of(text))
    for cid in scores:  # "ACME Logistics": the generic word now tells the two ACMEs apart
        scores[cid] += 10.0 * len(index._generic[cid] & said)
    best = max(scores.values())
    top = [c for c in index.clients if scores.get(c.client_id) == best]
    own = [c for c in top if c.in_scope]
    said_words = " ".join(w for w in words if w in matched_words or w in GENERIC_NAME_WORDS)
    if len(own or top) == 1:  # one name outside the scope: the tool answers "outside your portfolio"
        return ClientMention(client_id=(own or top)[0].client_id, said=said_words)
    if not own:  # several names the actor may not see are never listed (that would enumerate the book)
        return ClientMention(unknown=said_words or " ".join(words))
    return ClientMention(candidates=tuple(sorted(own, key=lambda c: c.name)), said=said_words)


def refers_back(text: str) -> bool:
    """Whether the message points at the client already under discussion ("its utilisation?")."""
    return bool(_PRONOUN.search(text))


def find_amount(text: str) -> tuple[Decimal, str | None] | None:
    """The first amount written with a multiplier, currency or separators ("3M", "USD 1,200,000")."""
    amounts = find_amounts(_CLIENT_ID.sub(" ", text))
    return amounts[0] if amounts else None


def find_request_id(text: str) -> str | None:
    m = _REQUEST_ID.search(text)
    return m.group(1) if m else None


def _quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def find_period(text: str, *, as_of: dt.date) -> Period | None:
    """A reporting window: "last quarter", "this year", "Q3 2025", "H1 2025", "FY2024", "2025", "last 12 months"."""
    t = text.lower()
    q_now = (as_of.month - 1) // 3 + 1
    if re.search(r"\blast quarter\b|\bprevious quarter\b", t):
        y, q = (as_of.year, q_now - 1) if q_now > 1 else (as_of.year - 1, 4)
        s, e = _quarter(y, q)
        return Period(label=f"Q{q} {y}", start=s, end=e)
    if re.search(r"\bthis quarter\b|\bcurrent quarter\b", t):
        s, e = _quarter(as_of.year, q_now)
        return Period(label=f"Q{q_now} {as_of.year}", start=s, end=e)
    if m := re.search(r"\bq([1-4])\s*[-/ ]?\s*(20\d{2})\b", t):
        q, y = int(m.group(1)), int(m.group(2))
        s, e = _quarter(y, q)
        return Period(label=f"Q{q} {y}", start=s, end=e)
    if m := re.search(r"\bh([12])\s*[-/ ]?\s*(20\d{2})\b", t):
        h, y = int(m.group(1)), int(m.group(2))
        s, e = (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        return Period(label=f"H{h} {y}", start=s, end=e)
    if m := re.search(r"\blast (12|twelve) months\b|\bltm\b|\bpast year\b", t):
        return Period(label="last 12 months", start=as_of - dt.timedelta(days=365), end=as_of)
    if re.search(r"\blast year\b|\bprevious year\b", t):
        y = as_of.year - 1
        return Period(label=str(y), start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))
    if re.search(r"\bthis year\b|\bytd\b|\byear to date\b", t):
        return Period(label=f"{as_of.year} to date", start=dt.date(as_of.year, 1, 1), end=as_of)
    if m := re.search(r"\b(?:fy\s?)?(20\d{2})\b", t):
        y = int(m.group(1))
        return Period(label=str(y), start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))
    return None
