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

# More words officers use that are never client names (abbreviations, repayment, history, policy terms).
STOPWORDS = STOPWORDS | frozenset(
    ["util", "utils", "utilisaton", "utilzation", "usage", "dpd", "arrears", "payment", "payments", "paid", "pay", "paying", "missed", "miss", "late", "partial", "cure", "cures", "cured", "instalment", "instalments", "repayment", "repayments", "rec", "conc", "sector", "sectors", "industry", "industries", "region", "regions", "regional", "segment", "size", "single", "name", "names", "group", "groups", "downgraded", "downgrade", "downgrades", "upgraded", "upgrade", "history", "historical", "trend", "trending", "over", "past", "lately", "recently", "exception", "exceptions", "authority", "committee", "approves", "approving", "approver", "sign", "signs", "waiting", "inbox", "queue", "expiring", "expire", "expires", "expiry", "lapse", "lapsing", "renewals", "weeks", "days", "quarters", "years", "percent", "pct", "concentrated", "diversified", "share", "mix", "breach", "breaches", "breaching", "caps", "cap", "pls", "plz", "pl", "thx", "hey", "should", "bump", "worth", "ok", "sure", "maybe", "went", "goes", "go", "had", "got", "get", "why", "grade", "graded", "drawing", "maxed", "fully", "team", "mine", "ews", "lol", "lgd", "ead", "el", "f", "ltv", "weather",
     "dscr", "icr", "ebit", "capex", "opex", "kyc", "npl", "yoy", "qoq", "mom", "ccy", "fx", "fin", "fins", "stmt", "stmts", "gearing", "interest", "coverage", "turnover", "receivables", "payables", "inventory", "covenant", "covenants", "mt940", "camt", "req", "ews", "rm", "bu", "cco", "ok", "thanks", "cheers", "instead"]
)  # fmt: skip

# Concentration dimensions and their buckets (industry and region names as the demo book and policy spell them).
INDUSTRY_WORDS: dict[str, str] = {
    "manufacturing": "manufacturing", "wholesale": "wholesale", "retail": "retail", "construction": "construction",
    "transport": "transport", "transportation": "transport", "logistics": "transport", "technology": "technology",
    "tech": "technology", "agriculture": "agriculture", "healthcare": "healthcare", "health": "healthcare",
    "hospitality": "hospitality", "energy": "energy",
    "制造": "manufacturing", "批发": "wholesale", "零售": "retail", "建筑": "construction", "交通运输": "transport",
    "运输": "transport", "物流": "transport", "科技": "technology", "农业": "agriculture", "医疗": "healthcare",
    "酒店": "hospitality", "餐饮": "hospitality", "能源": "energy",
}  # fmt: skip
REGION_WORDS: dict[str, str] = {
    "north": "North", "south": "South", "east": "East", "west": "West", "international": "International",
    "北区": "North", "南区": "South", "东区": "East", "西区": "West", "国际": "International",
}  # fmt: skip
_DIMENSION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("single_name", re.compile(r"single[- ]?name|单一客户|单户", re.I)),
    ("group", re.compile(r"\bgroup (exposure|concentration|conc|limit)s?\b|集团", re.I)),
    ("size_segment", re.compile(r"\bsize\b|\bsegment\b|规模", re.I)),
    ("region", re.compile(r"\bregion(al|s)?\b|区域|地区", re.I)),
    ("industry", re.compile(r"\b(sector|industry|industries|conc)\b|行业|板块", re.I)),
)

DIMENSION_NAME_WORDS = frozenset(w for w in [*INDUSTRY_WORDS, *REGION_WORDS] if w.isascii())

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*")
_CLIENT_ID = re.compile(
    r"(?<![A-Za-z])(?:client|customer|id|account)\s*(?:no\.?|number|#)?\s*#?(\d{3,9})(?![0-9])|#(\d{3,9})(?![0-9])",
    re.I,
)
_REQUEST_ID = re.compile(
    r"(?<![A-Za-z])(?:request|req|approval)\s*(?:#|no\.?\s*|number\s*|id\s*|-)?([A-Za-z]*-?\d[A-Za-z0-9_-]*)",
    re.I,
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
    _dimension: dict[int, set[str]] = field(default_factory=dict)
    _by_id: dict[int, IndexedClient] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {c.client_id: c for c in self.clients}
        for c in self.clients:
            words = {w.lower().strip(".") for w in _WORD.findall(c.name)}
            for w in words - GENERIC_NAME_WORDS:
                self._distinct.setdefault(w, set()).add(c.client_id)
            self._generic[c.client_id] = words & GENERIC_NAME_WORDS
            self._dimension[c.client_id] = words & DIMENSION_NAME_WORDS

    def by_id(self, client_id: int) -> IndexedClient | None:
        return self._by_id.get(client_id)

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


# a request or facility id ("REQ-9", "AR-12", "F-1001-1") is a slot of its own, never a client's name.
# Ids are bounded by ASCII letters and digits, not by \b: a Chinese character is a word character to `re`,
# so "的F-1001-1额度" or "AR-12批了吗" has no \b around the id.
_ID_WORD = re.compile(r"(?:req|a?r|f)-?\d[\d-]*", re.I)


def words_of(text: str) -> list[str]:
    return [w.lower().strip(".-") for w in _WORD.findall(re.sub(r"'s\b|’s\b", "", text))]


def find_client(text: str, index: NameIndex) -> ClientMention | None:
    """The client the message names, preferring the actor's own scope when names tie."""
    if m := _CLIENT_ID.search(text):
        return ClientMention(client_id=int(m.group(1) or m.group(2)), said=m.group(1) or m.group(2))
    # a dimension word ("construction", "north") names a client only together with a distinctive word
    words = [
        w
        for w in words_of(text)
        if w not in STOPWORDS and len(w) >= 3 and w not in DIMENSION_NAME_WORDS and not _ID_WORD.fullmatch(w)
    ]
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
        scores[cid] += 10.0 * len(index._dimension[cid] & said)
    best = max(scores.values())
    top = [c for c in index.clients if scores.get(c.client_id) == best]
    own = [c for c in top if c.in_scope]
    said_words = " ".join(w for w in words if w in matched_words or w in GENERIC_NAME_WORDS)
    if not own:  # the best match is a name the actor may not see: to them it is a name that does not exist
        # (never listed, never resolved to its id, and never to a weaker match in the scope: "Jade
        # Contractors" is not the actor's "Quantum Contractors")
        dims = index._dimension[top[0].client_id]
        said_as = [
            w.strip(".-") for w in _WORD.findall(re.sub(r"'s\b|’s\b", "", text))
        ]  # as the user wrote them
        named = [o for o in said_as if (w := o.lower()) in matched_words
                 or (w not in STOPWORDS and (w in GENERIC_NAME_WORDS or w in dims))]  # fmt: skip
        return ClientMention(unknown=" ".join(dict.fromkeys(named)) or " ".join(words))
    if len(own) == 1:
        return ClientMention(client_id=own[0].client_id, said=said_words)
    return ClientMention(candidates=tuple(sorted(own, key=lambda c: c.name)), said=said_words)


# "any of my clients overdue for their review": a plural pronoun after the plural it stands for
_PLURAL_BEFORE = re.compile(r"(?i)\b(?:clients|accounts|borrowers|customers|names|companies|firms|ones)\b")


def refers_back(text: str) -> bool:
    """Whether the message points at the client already under discussion ("its utilisation?")."""
    for m in _PRONOUN.finditer(text):
        if m.group(1).lower() in ("they", "their", "them") and _PLURAL_BEFORE.search(text, 0, m.start()):
            continue
        return True
    return False


_ZH_DIGIT_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*([百千])\s*(万|亿)")  # "5百万", "3千万": digits, then units


def _zh_digit_unit(m: re.Match[str]) -> str:
    return f"{Decimal(m.group(1)) * (100 if m.group(2) == '百' else 1000)}{m.group(3)}"


def find_amount(text: str) -> tuple[Decimal, str | None] | None:
    """The first amount written with a multiplier, currency or separators ("3M", "USD 1,200,000"), and the
    shorthand officers use: "2 mil", "half a million", "500w" (w = 万), "5百万", "3千万"."""
    text = re.sub(r"(?i)(\d)\s*(?:mils?|mill|mils)\b", r"\1 million", text)  # "2 mil", "1.5mill"
    text = re.sub(r"(?i)\bhalf (?:a )?(?:million|mil|mn|m)\b", "0.5 million", text)
    # "500w", "1200w": 万 as Chinese officers type it (a number of 10+ or in a Chinese message: "2w" is weeks)
    text = re.sub(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)\s*[wW](?![A-Za-z])",
                  lambda m: f"{m.group(1)}万" if _CJK_ANY.search(text) or Decimal(m.group(1)) >= 10 else m.group(0),
                  text)  # fmt: skip
    text = _ZH_DIGIT_UNIT.sub(_zh_digit_unit, text)
    amounts = find_amounts(_CLIENT_ID.sub(" ", text))
    return amounts[0] if amounts else None


_CJK_ANY = re.compile(r"[\u3400-\u9fff]")


_ZH_REQUEST_ID = re.compile(r"([A-Za-z]*\d+)\s*号?\s*申请|申请\s*(?:编号|号)?\s*#?([A-Za-z]*\d+)")
# a request id written alone, as the approvals service prints it ("AR-12") or short ("R5")
_BARE_REQUEST_ID = re.compile(r"(?<![A-Za-z0-9_-])(A?R-?\d{1,9})(?![A-Za-z0-9_-])", re.I)


def find_request_id(text: str) -> str | None:
    """ "request 42", "approval #R7", "申请42", "12号申请", "was AR-12 approved", "R5 批了吗"."""
    if m := _REQUEST_ID.search(text):
        return m.group(1)
    if m := _ZH_REQUEST_ID.search(text):
        return m.group(1) or m.group(2)
    if m := _BARE_REQUEST_ID.search(text):
        return m.group(1).upper()
    return None


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


# --- slots of the newer intents ----------------------------------------------------------------------------

_FACILITY = re.compile(r"(?<![A-Za-z0-9_-])(F-\d+-\d+)(?![0-9-])", re.I)
_ZH_PRONOUN = re.compile(r"它|其(?!他)|该客户|这家|这个客户|这户|他们")
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十二": 12, "半": 0}  # fmt: skip
_EN_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9, "twelve": 12, "a": 1}


def find_facility(text: str) -> str | None:
    """A facility reference as the CRM writes it ("F-1001-1")."""
    m = _FACILITY.search(text)
    return m.group(1).upper() if m else None


def refers_back_any(text: str) -> bool:
    """An English or Chinese pronoun for the client under discussion (it/its/它/该客户)."""
    return refers_back(text) or bool(_ZH_PRONOUN.search(text))


def without_name(text: str, name: str | None) -> str:
    """`text` without the words of a client's name: "Orion Wholesale" names a client, not the wholesale sector."""
    if not name:
        return text
    for word in {w.lower().strip(".") for w in _WORD.findall(name)}:
        text = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", text, count=1)
    return text


def find_dimension(text: str) -> tuple[str | None, str | None]:
    """The concentration dimension asked about and its bucket: ("industry", "construction"), ("region", None)."""
    low = text.lower()
    bucket_dim: tuple[str | None, str | None] = (None, None)
    for word, bucket in INDUSTRY_WORDS.items():
        if (word in low) if not word.isascii() else re.search(rf"\b{word}\b", low):
            bucket_dim = ("industry", bucket)
            break
    else:
        for word, bucket in REGION_WORDS.items():
            if (word in low) if not word.isascii() else re.search(rf"\b(the )?{word}( region)?\b", low):
                if word.isascii() and not re.search(
                    rf"\b(in|the|to|for|of) (the )?{word}\b|\b{word} region", low
                ):
                    continue
                bucket_dim = ("region", bucket)
                break
    for dim, pattern in _DIMENSION_PATTERNS:
        if pattern.search(text):
            if bucket_dim[0] == dim:
                return bucket_dim
            return dim, None
    return bucket_dim


def _small_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _CN_SMALL.get(token, _EN_SMALL.get(token.lower()))


def find_window_days(text: str, *, as_of: dt.date) -> int | None:
    """A forward window in days: "next 2 weeks" 14, "in 60 days" 60, "this week", "next month", 近三个月 90."""
    t = text.lower()
    if m := re.search(r"(\d+|[一二两三四五六七八九十]+)\s*(?:天|日)", t):
        return _small_number(m.group(1)) if m.group(1).isdigit() else _zh_int(m.group(1))
    if m := re.search(r"\b(\d+)\s*(?:days?|d)\b", t):
        return int(m.group(1))
    if m := re.search(r"\b(\d+|one|two|three|four|six|a)\s*(?:weeks?|wks?)\b", t):
        return 7 * (_small_number(m.group(1)) or 1)
    if re.search(r"\bfortnight\b", t):
        return 14
    if m := re.search(r"(\d+|[一二两三四五六]+)\s*周", t):
        return 7 * (_small_number(m.group(1)) or _zh_int(m.group(1)) or 1)
    if m := re.search(r"\b(\d+|one|two|three|six|nine|twelve|a)\s*(?:months?|mo)\b", t):
        return 30 * (_small_number(m.group(1)) or 1)
    if m := re.search(r"(\d+|[一二两三四五六九十]+|半)\s*个?月", t):
        n = 6 if m.group(1) == "半" else (_small_number(m.group(1)) or _zh_int(m.group(1)) or 1)
        return 30 * n
    if re.search(r"\b(?:this|coming) week\b|本周|这周", t):
        return 6 - as_of.weekday() if as_of.weekday() < 6 else 0
    if re.search(r"\bnext week\b|下周", t):
        return 13 - as_of.weekday()
    if re.search(r"\bthis month\b|\bend of (?:the )?month\b|\bmonth[- ]end\b|本月|这个月|月底", t):
        nxt = dt.date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
        return (nxt - as_of).days - 1
    if re.search(r"\bnext month\b|下个?月", t):
        return 30
    if re.search(r"\b(this|next) quarter\b|本季度|下季度|下个季度", t):
        return 90
    if re.search(r"\byear[- ]end\b|\bthis year\b|年底|今年", t):
        return (dt.date(as_of.year, 12, 31) - as_of).days
    if re.search(r"\btoday\b|今天", t):
        return 0
    return None


def _zh_int(token: str) -> int | None:
    if token in _CN_SMALL:
        return _CN_SMALL[token]
    if token.startswith("十"):
        return 10 + (_CN_SMALL.get(token[1:], 0) if len(token) > 1 else 0)
    if len(token) >= 2 and token[1] == "十":
        return (_CN_SMALL.get(token[0]) or 0) * 10 + (_CN_SMALL.get(token[2:], 0) if len(token) > 2 else 0)
    return None


def find_months(text: str) -> int | None:
    """A look-back in months for trends: "last 6 months" 6, "past year" 12, 近三个月 3, 半年 6."""
    t = text.lower()
    if m := re.search(r"\b(\d+|one|two|three|six|nine|twelve)\s*(?:months?|mths?|mo|m)\b", t):
        return _small_number(m.group(1))
    if m := re.search(r"\b(?:last|past|previous) (\d|one|two|three|four) quarters\b", t):
        return 3 * (_small_number(m.group(1)) or 1)
    if m := re.search(r"(\d+|[一二两三四五六九十]+|半)\s*个?月", t):
        return 6 if m.group(1) == "半" else (_small_number(m.group(1)) or _zh_int(m.group(1)))
    if re.search(r"半年", t):
        return 6
    if re.search(r"\b(past|last) year\b|\b12m\b|\bthis year\b|一年|今年|过去一年", t):
        return 12
    if re.search(r"\blast quarter\b|上个?季度", t):
        return 3
    return None


def find_threshold(text: str) -> float | None:
    """A utilisation threshold: ">95%" 0.95, "over 90 percent", "above 85", 九成 0.9, 95%以上; "over their
    limit", 超额 1.0."""
    t = text.lower()
    if m := re.search(r"(\d{2,3}(?:\.\d+)?)\s*(?:%|percent|pct)", t):
        return float(m.group(1)) / 100
    if m := re.search(r"(?:>|over|above|more than|at least|超过|大于|以上)\s*(\d{2,3})\b", t):
        value = float(m.group(1))
        return value / 100 if 50 <= value <= 100 else None
    if m := re.search(r"([五六七八九])成", t):
        return _CN_SMALL[m.group(1)] / 10
    if re.search(r"\b(fully|maxed|max|tapped|100)\b|用满|满额|用尽|用完|满用", t):
        return 0.99
    if re.search(r"\bover[- ]?(?:the |their |its )?limits?\b|\bover-?limit\b|\bexceed\w* (?:the |their |its )?limits?\b"
                 r"|超额|超出额度|超过额度|超出授信|超过授信", t):  # fmt: skip
        return 1.0  # drawn at or beyond the limit
    return None


def find_scope(text: str) -> str | None:
    """ "mine" (the actor's own clients), "team", or None (whatever the actor may see)."""
    if re.search(r"\b(team|team's|our team|desk)\b|团队|全组|本组", text, re.I):
        return "team"
    if re.search(r"\b(my|mine)\b|我名下|我的|我管|我负责", text, re.I):
        return "mine"
    return None


_ZH_PERIODS = (
    (re.compile(r"上个?季度"), "last quarter"),
    (re.compile(r"本季度|这个季度"), "this quarter"),
    (re.compile(r"去年|上一?年"), "last year"),
    (re.compile(r"今年|本年"), "this year"),
    (re.compile(r"近(12|十二)个月|过去一年"), "last 12 months"),
)


def find_period_any(text: str, *, as_of: dt.date) -> Period | None:
    """`find_period` for English and Chinese ("上季度", "去年", "2025年")."""
    for pattern, english in _ZH_PERIODS:
        if pattern.search(text):
            return find_period(english, as_of=as_of)
    return find_period(re.sub(r"(20\d{2})\s*年", r" \1 ", text), as_of=as_of)


_FOLLOW_FRAME = re.compile(
    r"^\s*(?:and|what about|how about|what of|same (?:question |thing |again )?for|(?:do|repeat) (?:the same|that|it)"
    r" for|now (?:do |for )?|ok and|also|then)\b\s*(?P<rest>.*?)\s*[?？!.。]*\s*$"
    r"|^\s*(?:那|那么|还有|换成|换|再看看?)?\s*(?P<zrest>.*?)\s*(?:呢|怎么样|如何|也一样|也看一下|也看看)\s*[?？!.。]*\s*$",
    re.I,
)


def follow_up_rest(text: str) -> str | None:
    """The words of a follow-up frame ("what about Globex?" -> "Globex", "那 Globex 呢?" -> "Globex")."""
    m = _FOLLOW_FRAME.match(text)
    if not m:
        return None
    rest = m.group("rest") if m.group("rest") is not None else m.group("zrest")
    return (rest or "").strip()
