"""What the user asks for: intent vocabularies, matched in the order they appear in the message."""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    HELP = "help"
    MY_CLIENTS = "my_clients"
    FIND_CLIENT = "find_client"
    PROFILE = "profile"
    EXPOSURE = "exposure"
    FINANCIALS = "financials"
    RATING = "rating"
    LIMIT = "limit_recommendation"
    WHAT_IF = "what_if"
    WARNINGS = "early_warnings"
    WATCHLIST = "watchlist"
    REVIEW = "review_status"
    REVIEWS_DUE = "reviews_due"
    CONTACT = "contact"
    CONTACTS_DUE = "contacts_due"
    INSURANCE = "insurance"
    CONCENTRATION = "concentration"
    POLICY = "policy"
    MEMO = "memo"
    RAISE = "raise_request"
    APPROVAL_STATUS = "approval_status"
    PENDING = "pending_approvals"


# Intents that are about one client (the client comes from the text or the conversation).
CLIENT_INTENTS = frozenset({
    Intent.PROFILE, Intent.EXPOSURE, Intent.FINANCIALS, Intent.RATING, Intent.LIMIT, Intent.WHAT_IF,
    Intent.WARNINGS, Intent.REVIEW, Intent.CONTACT, Intent.INSURANCE, Intent.MEMO, Intent.RAISE,
})  # fmt: skip

_P = {
    Intent.HELP: r"\bhelp\b|what can you (do|answer)|how do i use",
    Intent.MY_CLIENTS: r"\bmy (clients|book|portfolio|customers|accounts)\b|\blist (all |the )?clients\b",
    Intent.FIND_CLIENT: r"\b(find|look ?up|search for|search)\b|\bwho is\b|\bwhich client is\b",
    Intent.PROFILE: r"\b(profile|overview|tell me about|summary|summari[sz]e|at a glance|snapshot of)\b"
    r"|\bhow is .+ doing\b",
    Intent.EXPOSURE: r"\b(utili[sz]ation|utili[sz]ed|exposure|outstanding|drawn|drawdown|usage|headroom|"
    r"undrawn|balance|facilit(y|ies)|current limits?|credit lines?|limits?)\b",
    Intent.FINANCIALS: r"\b(financials?|ratios?|leverage|debt[- ]to[- ]ebitda|ebitda|revenues?|sales|margins?|"
    r"profit(ability|s)?|liquidity|current ratio|dscr|interest coverage|balance sheet|cash ?flows?|"
    r"statements?|results|earnings)\b",
    Intent.RATING: r"\b(rating|rated|scor(e|ed|ing)|grade[ds]?|pd|probability of default|expected loss|lgd|"
    r"reason codes?|creditworth(y|iness))\b",
    Intent.LIMIT: r"\b(recommend(ed|ation)?|what limit|right limit|proposal|propose[ds]?|adjust(ment)?|"
    r"sizing|how much (can|could|should) we (lend|give|offer))\b|\bshould we (raise|increase|cut|reduce|lower)\b",
    Intent.WHAT_IF: r"\b(what if|what happens if|impact of|effect of|simulate|scenario)\b",
    Intent.WARNINGS: r"\b(warnings?|ews|red flags?|alerts?|amber|red|risk signals?|triggers?)\b",
    Intent.WATCHLIST: r"\bwatch[- ]?list\b|\bneeds? (my )?attention\b|\bat risk\b|\b(troubled|problem|worst|"
    r"riskiest) (clients|accounts|names)\b|\b(red|amber) (clients|names|accounts)\b",
    Intent.REVIEW: r"\breview(s|ed)?\b",
    Intent.CONTACT: r"\b(contact(ed|s)?|visit(s|ed)?|calls? due|call plan|last (spoke|met|call))\b"
    r"|\bwho should i (call|visit|see)\b",
    Intent.INSURANCE: r"\b(insur(ance|ed|er|ers)|uninsured|(?<!interest )cover(age|ed)?|policy cover)\b",
    Intent.CONCENTRATION: r"\b(concentrations?|hhi|herfindahl|diversification|industry mix|sector mix|"
    r"single[- ]name|by (industry|region|sector))\b",
    Intent.POLICY: r"\b(policy|policies|procedures?|guidelines?|rules?|allowed|permitted|manual|covenants?|"
    r"who (can )?approves?|authority matrix|what does .+ say)\b",
    Intent.MEMO: r"\b(draft|write|prepare|generate)\b.{0,30}\b(memo|report|review)\b|\bmemo\b",
    Intent.RAISE: r"\b(raise|increase|bump|lift|extend|set|move|take|cut|reduce|lower|decrease|trim)\b.{0,40}"
    r"\bto\b|\b(un)?freeze\b|\brenew(al)?\b|\braise (an? )?(approval )?request\b",
    Intent.APPROVAL_STATUS: r"\bstatus of (my |the )?(request|approval)\b|\bapproval status\b"
    r"|\brequest (#|no\.? ?|number )?[a-z]*\d[\w-]*\b|\bwhere is (my|the) request\b",
    Intent.PENDING: r"\bpending approvals?\b|\bawaiting (my )?(decision|approval)\b|\bmy (pending )?approvals\b"
    r"|\bto approve\b|\bapprovals? (queue|inbox)\b|\brequests? (waiting|pending)\b|\bmy (open )?requests\b",
}
PATTERNS: dict[Intent, re.Pattern[str]] = {k: re.compile(v, re.IGNORECASE) for k, v in _P.items()}

# When the stronger intent is present, the weaker one is the same words read too eagerly.
_SUPPRESSES: dict[Intent, frozenset[Intent]] = {
    Intent.WATCHLIST: frozenset({Intent.MY_CLIENTS, Intent.WARNINGS}),
    Intent.MEMO: frozenset({Intent.REVIEW, Intent.PROFILE}),
    Intent.RAISE: frozenset({Intent.EXPOSURE, Intent.LIMIT, Intent.APPROVAL_STATUS}),
    Intent.WHAT_IF: frozenset({Intent.EXPOSURE, Intent.LIMIT, Intent.RAISE, Intent.CONCENTRATION}),
    Intent.LIMIT: frozenset({Intent.EXPOSURE}),
    Intent.POLICY: frozenset({Intent.EXPOSURE, Intent.CONCENTRATION, Intent.RAISE}),
    Intent.CONCENTRATION: frozenset({Intent.EXPOSURE}),
    Intent.PENDING: frozenset({Intent.APPROVAL_STATUS, Intent.RAISE}),
    Intent.APPROVAL_STATUS: frozenset({Intent.RAISE}),
    Intent.FINANCIALS: frozenset({Intent.EXPOSURE, Intent.INSURANCE}),
    Intent.CONTACTS_DUE: frozenset({Intent.MY_CLIENTS}),
    Intent.REVIEWS_DUE: frozenset({Intent.MY_CLIENTS}),
    Intent.HELP: frozenset({Intent.POLICY}),
}


def detect(text: str) -> list[Intent]:
    """The intents in `text`, in the order the user wrote them, minus eager readings of stronger ones."""
    found = sorted((m.start(), intent) for intent, p in PATTERNS.items() if (m := p.search(text)))
    intents = list(dict.fromkeys(intent for _, intent in found))
    suppressed = set().union(*(_SUPPRESSES.get(i, frozenset()) for i in intents))
    return [i for i in intents if i not in suppressed]
