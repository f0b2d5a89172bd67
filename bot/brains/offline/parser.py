"""From a message (and the conversation so far) to a plan: which intents, for which client, with what.

The intent comes from the classifier (`intents.detect`), the slots from rules (`entities`); this module
combines them: book-level vs client-level readings, advice vs action, follow-ups that carry the last
client, amount and dimension, and the readings to offer when the classifier is unsure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bot.brains.offline.classifier import CLIENT_TOKEN, rank_intents
from bot.brains.offline.entities import (
    DIMENSION_NAME_WORDS,
    ClientMention,
    NameIndex,
    find_amount,
    find_client,
    find_dimension,
    find_facility,
    find_months,
    find_period_any,
    find_request_id,
    find_scope,
    find_threshold,
    find_window_days,
    follow_up_rest,
    refers_back_any,
    without_name,
)
from bot.brains.offline.intents import CLIENT_INTENTS, CONFIDENT, LABELS, UNSURE, Intent, detect
from bot.conversations import ConversationState
from tools.assistant_tools.models import Period

_BOOK_WORDS = re.compile(
    r"\b(reviews|contacts|visits|calls|which|list|upcoming|all|any|my|our|portfolio|book|who should i|clients)\b"
    r"|哪些|清单|名单|我的|我名下|组合|全部|谁",
    re.I,
)
_REASON = re.compile(r"(?:,|;|，|；|\bbecause\b|\bfor\b|\bas\b|\bdue to\b|因为|由于)\s*(.+)$", re.I)
# A question about a change is advice (recommendation + what-if), never a prepared request.
_ADVICE = re.compile(
    r"^\s*(?:should|shall|would|could|can|do|does|is|are|worth)\b|^\s*(?:ok|okay)\s+(?:to|if)\b|\b(?:should we|would you|do you (?:think|recommend)"
    r"|is it (?:ok|wise|sensible)|worth)\b|要不要|是否|该不该|应不应该|应该.*吗|你觉得|可以吗|合适吗|行吗|怎么看|能不能",
    re.I,
)

# "ok go ahead, raise it to 5m", "就按这个提交": the officer acts now, whatever the sentence starts with
_ACT_NOW = re.compile(
    r"(?i)\b(?:go ahead|proceed|do it|let'?s do it|submit it|send it|file it|please (?:raise|submit|prepare))\b"
    r"|就这么办|提交吧|就按这个|走流程|发起吧|报上去"
)
# "改成120万看看", "try 2M": a figure tried out, not a request
_TRY = re.compile(
    r"(?i)\b(?:try|trying|test|run (?:it|the numbers)|model|simulate)\b|看看|试试|算算|测算|试算|模拟"
)

# The conversation remembers the tools the last turn used (by either brain); a follow-up that names only a
# new client ("what about Globex?") or a new window ("and last quarter?") asks the same questions again.
TOOL_INTENTS: dict[str, Intent] = {
    "exposure": Intent.EXPOSURE, "review_status": Intent.REVIEW, "rating": Intent.RATING,
    "financial_analysis": Intent.FINANCIALS, "limit_recommendation": Intent.LIMIT, "what_if_limit": Intent.WHAT_IF,
    "early_warnings": Intent.WARNINGS, "bank_statements": Intent.BANK_STATEMENTS, "insurance_cover": Intent.INSURANCE, "prepare_approval_request": Intent.RAISE,
    "utilisation_trend": Intent.UTIL_TREND, "rating_history": Intent.RATING_HISTORY,
    "repayment_history": Intent.REPAYMENT, "concentration_report": Intent.CONCENTRATION,
    "reviews_due": Intent.REVIEWS_DUE, "contacts_due": Intent.CONTACTS_DUE, "watchlist": Intent.WATCHLIST,
    "insurance_expiring": Intent.INSURANCE_EXPIRING, "clients_by_utilisation": Intent.HIGH_UTIL,
}  # fmt: skip
_BARE_FACILITY = re.compile(
    r"\s*(?:the\s+)?(?:facility\s+)?F-\d+-\d+(?:\s+(?:one|please|pls))?\s*[.!?？。]*\s*", re.I
)
_BOOK_OF = {
    Intent.REVIEW: Intent.REVIEWS_DUE,
    Intent.CONTACT: Intent.CONTACTS_DUE,
    Intent.WARNINGS: Intent.WATCHLIST,
}
_CLIENT_OF = {v: k for k, v in _BOOK_OF.items()}


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
    facility_id: str | None = None
    dimension: str | None = None
    bucket: str | None = None
    window_days: int | None = None
    months: int | None = None
    threshold: float | None = None
    scope: str | None = None
    confidence: float = 1.0
    clarify: list[Intent] = field(default_factory=list)  # the likely readings when unsure
    unsupported: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def needs_client(self) -> bool:
        return any(i in CLIENT_INTENTS for i in self.intents)


def _looks_like_name(text: str, unknown: str) -> bool:
    """An unmatched word the user capitalised is a name we do not know, not filler."""
    return any(
        w[:1].isupper() for w in re.findall(r"[A-Za-z][\w&-]*", text) if w.lower() in unknown.lower().split()
    )


def _approval_kind(text: str) -> str | None:
    t = text.lower()
    if re.search(r"\bunfreeze\b|解冻|解除.*冻结", t):
        return "unfreeze"
    if re.search(r"\bfreeze\b|\bblock\b|冻结", t):
        return "freeze"
    if re.search(r"\brenew(al)?\b|续授信|续期|续作", t):
        return "renewal"
    if re.search(r"\b(cut|reduce|lower|decrease|trim)\b|降|压降|减|下调|调低", t):
        return "decrease"
    if re.search(
        r"\b(raise|increase|bump|lift|extend|increse|rasie)\b|提额|提高|提到|增加|上调|调高|提升|加到", t
    ):
        return "increase"
    return None  # "set/move/take X to 3M": decided against the current limit


def _last_intents(state: ConversationState) -> list[Intent]:
    return [TOOL_INTENTS[name] for name in state.last_intents if name in TOOL_INTENTS]


def _bare(rest: str, mention: ClientMention | None, *, strict: bool = False) -> bool:
    """Whether a follow-up's words ask nothing new by themselves (a name, a window, an amount)."""
    left = rest
    said = (mention.said or mention.unknown or "") if mention is not None else ""
    for word in [*said.split(), *DIMENSION_NAME_WORDS]:  # a client's or a bucket's name asks nothing new
        left = re.sub(rf"(?i)\b{re.escape(word)}\w*", " ", left)
    left = re.sub(
        r"(?i)\b(?:last|this|next|previous) (?:quarter|year|month|week)\b|上个?季度|本季度|去年|今年|"
        r"[\d.,]+\s*(?:[kmb]|mn|million|万|亿)?|\b(?:the|a|an|for|of|one|please|pls|by|per|in|on|our|to|instead|then|again|too)\b"
        r"|\b(?:region(?:al|s)?|sector|industry|size|segment|single[- ]?name|group|concentration|conc)\b"
        r"|行业|区域|地区|规模|单一客户|集团|集中度|按",
        " ",
        left,
    )
    if not re.search(r"[A-Za-z\u4e00-\u9fff]{2,}", left):
        return True
    if strict:  # words are left: they ask something, even if the classifier cannot tell what
        return False
    label, p = rank_intents(rest)[0]
    return p < CONFIDENT or LABELS[label] in (
        Intent.PROFILE,
        Intent.FIND_CLIENT,
        Intent.UNSUPPORTED,
        Intent.HELP,
    )


_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_PROFILE = re.compile(r"概况|概览|情况|介绍|画像|简介|怎么样|如何|近况|基本|资料|信息|一页纸")
# book-level labels and the client-level reading they become when a client is named, and back
_TO_CLIENT = {"high_utilisation": "exposure", "insurance_expiring": "insurance", "reviews_due": "review_status",
              "contacts_due": "contact", "watchlist": "early_warnings"}  # fmt: skip
_TO_BOOK = {"review_status": "reviews_due", "contact": "contacts_due", "early_warnings": "watchlist"}


# The asker's own requests ("where is my increase for Titan", "requests I submitted", "我提交的申请"), as against
# the ones waiting for the asker's decision ("what's waiting for my approval", "待我审批").
_MY_REQUESTS = re.compile(
    r"(?i)\bmy\s+(?:\w+\s+){0,3}(?:requests?|increases?|applications?|submissions?)\b"
    r"|\bI\s+(?:have\s+|had\s+)?(?:submitted|raised|filed|sent|put\s+in)\b"
    r"|我(?:的|提交的?|报的?|发起的?|申请的?|给)[^，。？?]{0,12}申请|我(?:提交|报|发起)的"
)


# Words that ask for a search, not for one client's card ("find clients called quantum", "查一下叫 Blue 的客户").
_SEARCH = re.compile(
    r"(?i)\b(?:search|find|look ?up|lookup|any (?:client|borrower|customer|account)s?|called|named|containing"
    r"|matching|starts? with|begins? with|in (?:the|their) names?|is there)\b|查找|搜索|搜一下|找一下|叫|名字|包含|开头"
)
# The asker's queue ("what's waiting for me", "待我审批"), as against the fate of a request they raised.
_FOR_ME = re.compile(
    r"(?i)\b(?:waiting (?:for|on) me|for me to|(?:my|the) (?:approval )?(?:queue|inbox)|need(?:s)? my|awaiting my"
    r"|i (?:need|have) to (?:approve|sign|decide)|to approve|on my desk|my sign[- ]?off)\b"
    r"|待我|等我|需要我|我要批|我的审批|我审批|我这里|我手上|我这边.{0,4}审批"
)
# Words about how a request fared ("did the orion request go through", "批了吗", "通过了没").
_OUTCOME = re.compile(
    r"(?i)\b(?:go(?:ne)? through|approved|rejected|declined|returned|signed off|status|where is|stuck|progress)\b"
    r"|批了|批下来|通过了|通过没|批没批|进度|状态|到哪|卡在|在途|驳回|退回"
)


def _own_requests(part: str, request_id: str | None, client_named: bool) -> bool:
    """Whether an approvals question asks about requests (one by id, the asker's own, or one client's) rather
    than the approvals waiting for the asker's decision."""
    if request_id is not None or _MY_REQUESTS.search(part):
        return True
    return not _FOR_ME.search(part) and (client_named or bool(_OUTCOME.search(part)))


# "PD history", "有没有升过级": a clause about the grade over time; "under our policy": the policy, not a client
_HISTORY = re.compile(
    r"(?i)\b(?:history|historic(?:al)?|over time|trend|track record|migrat\w*|upgrad\w*|downgrad\w*|changed?)\b"
    r"|历史|走势|变化|变动|升过|降过|升级|降级|调整过|以来"
)
_POLICY_WORD = re.compile(
    r"(?i)\b(?:polic(?:y|ies)|guidelines?|rulebook|manual|handbook)\b|政策|制度|规定|办法|细则|手册"
)
_TO_POLICY = ("insurance", "limit_recommendation", "review_status", "raise_request", "memo", "early_warnings",
              "repayment", "financials", "rating", "exposure")  # fmt: skip


# a move of the grade itself ("was it downgraded", "升过级吗"): the rating over time, whatever else the clause
# reads as (a profile, its exposure); 升级 alone is not one ("升级审批" is an escalation)
_GRADE_MOVE = re.compile(
    r"(?i)\b(?:upgrad\w*|downgrad\w*|re-?rated)\b|升过级|降过级|评级.{0,4}(?:上调|下调|调升|调降)|(?:上调|下调)过?评级"
)


# what is left to draw ("还能用多少额度", "额度空间", "undrawn"): the exposure (its available amount), not the
# recommendation of a new limit
_UNDRAWN = re.compile(
    r"(?i)\b(?:undrawn|left to draw|still draw|available to draw|unused (?:limit|line)s?)\b"
    r"|还能用|还可以用|可用额度|剩余额度|未用额度|额度空间|还剩多少额度|还有多少额度(?!.{0,4}(?:提|加|增))"
)


# how far the limit itself could go ("还能再提多少", "最多能给多少", "how much more could we lend"): the
# recommendation, not what is left to draw
_ROOM_TO_RAISE = re.compile(
    r"(?i)\bhow much (?:more|higher)\b.{0,30}\b(?:lend|give|extend|raise|increase|go)\b|\bmaximum (?:limit|line)\b"
    r"|还能再?(?:提|加|增)|(?:最多|最高)(?:能|可以)?(?:给|批|提)|能(?:提|加)到多少|可以(?:提|加)多少"
)


def _clause_folds(part: str, *, named: bool) -> dict[str, str]:
    into: dict[str, str] = {}
    if _UNDRAWN.search(part) and named:
        into["limit_recommendation"] = "exposure"
    elif _ROOM_TO_RAISE.search(part) and named:
        into["exposure"] = "limit_recommendation"
    if _GRADE_MOVE.search(part) and named:
        into |= dict.fromkeys(("rating", "profile", "exposure", "early_warnings"), "rating_history")
    if _HISTORY.search(part):
        into["rating"] = "rating_history"
    if not named and _POLICY_WORD.search(part):
        into |= dict.fromkeys(_TO_POLICY, "policy")
    return into


def _folds(client_named: bool, has_client: bool, book_level: bool, dimension: str | None,
           amount: Decimal | None) -> dict[str, str]:  # fmt: skip
    """Which readings the slots rule out, and the reading each one's weight goes to."""
    if client_named and not book_level:
        into = dict(_TO_CLIENT)
        if dimension is None and amount is None:  # concentration "to Orion Wholesale" is its exposure
            into["concentration"] = "exposure"
        return into
    into: dict[str, str] = {}
    if not client_named and dimension is not None:  # "what's our retail exposure": the book's, by sector
        into["exposure"] = "concentration"
    if not has_client:
        into |= _TO_BOOK
    return into


def _off_topic(ranking: list[tuple[str, float]]) -> bool:
    """Whether "no tool answers this" is a likely reading: second best, or at least `UNSURE`."""
    return (
        "unsupported" in [label for label, _ in ranking[:2]]
        or dict(ranking).get("unsupported", 0.0) >= UNSURE
    )


def _masked(text: str, mention: ClientMention | None, name: str = "") -> str:
    """The message with the words the user wrote for a resolved client (and the words of its name, such as
    the "wholesale" of "Orion Wholesale") replaced by `CLIENT_TOKEN`."""
    said = (mention.said or "").split() if mention is not None else []
    said += [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9&-]*", name) if len(w) >= 3]
    if not said or all(w.isdigit() for w in said):
        return text
    out = re.sub(
        r"(?i)(?<![\w-])(?:" + "|".join(re.escape(w) for w in said) + r")(?![\w-])", CLIENT_TOKEN, text
    )
    return re.sub(rf"{CLIENT_TOKEN}(?:\s+{CLIENT_TOKEN})+", CLIENT_TOKEN, out)


def _readings(ranking: list[tuple[str, float]]) -> list[Intent]:
    """The two or three likely readings to offer when unsure: those with some weight (>= 0.1), at least two
    while a second one is at all plausible (>= 0.05); never "help" or "unsupported"."""
    offered = [(LABELS[label], prob) for label, prob in ranking if label not in ("unsupported", "help")]
    out: list[Intent] = []
    for intent, prob in offered:
        if intent not in out and (prob >= 0.1 or (len(out) < 2 and prob >= 0.05)):
            out.append(intent)
        if len(out) == 3:
            break
    return out


def plan(text: str, index: NameIndex, state: ConversationState, *, as_of: dt.date,
         facility_client: Callable[[str], int | None] | None = None) -> Plan:  # fmt: skip
    mention = find_client(text, index)
    amount = find_amount(text)
    named_client = index.by_id(mention.client_id) if mention is not None and mention.client_id else None
    # a word is one slot: the "wholesale" of "Orion Wholesale" names the client, not the sector, and the
    # "construction" of a name the actor may not see ("Nova Construction SA") names that name
    unseen = (
        mention.unknown
        if mention is not None and mention.unknown and _looks_like_name(text, mention.unknown)
        else None
    )
    dimension, bucket = find_dimension(without_name(text, named_client.name if named_client else unseen))
    p = Plan(intents=[], mention=mention, amount=amount[0] if amount else None,
             period=find_period_any(text, as_of=as_of), request_id=find_request_id(text),
             facility_id=find_facility(text), dimension=dimension, bucket=bucket,
             window_days=find_window_days(text, as_of=as_of), months=find_months(text),
             threshold=find_threshold(text), scope=find_scope(text))  # fmt: skip
    back = (
        refers_back_any(text) and state.last_client_id is not None
    )  # "it" with nothing before names nothing
    named = mention is not None and (mention.client_id is not None or mention.ambiguous)
    unknown_name = (
        mention is not None and mention.unknown is not None and _looks_like_name(text, mention.unknown)
    )
    facility_cid = facility_client(p.facility_id) if (p.facility_id and facility_client) else None
    has_client = named or unknown_name or back or facility_cid is not None or state.last_client_id is not None
    book_level = not named and not back and facility_cid is None and bool(_BOOK_WORDS.search(text))

    last = [i for i in _last_intents(state) if i not in (Intent.MEMO,)]
    rest = follow_up_rest(text)
    resolved: list[Intent] = []
    if (
        p.facility_id
        and _BARE_FACILITY.fullmatch(text)
        and state.last_amount is not None
        and (Intent.WHAT_IF in last or Intent.RAISE in last)
    ):
        # the answer to "which facility?" after "raise it to 3M"
        resolved, p.amount, p.follow_up = [Intent.RAISE], state.last_amount, True
    elif rest is not None and last and _bare(rest, mention):
        # "what about Globex?", "那 Globex 呢?", "and last quarter?", "what about 5M?"
        if p.amount is not None and Intent.LIMIT in last:  # "what about 6m instead": the advice, again
            resolved = [Intent.LIMIT, Intent.WHAT_IF]
        elif p.amount is not None and any(i in (Intent.WHAT_IF, Intent.RAISE) for i in last):
            resolved = [Intent.WHAT_IF]  # never a second request from a bare figure
        elif named or unknown_name:  # a new client: its answers to the same client questions
            resolved = [i for i in last if i in CLIENT_INTENTS and i is not Intent.RAISE] or [Intent.PROFILE]
        else:  # a new window or the same question again
            resolved = [i for i in last if i is not Intent.RAISE] or [Intent.PROFILE]
        p.follow_up = True
    else:
        nothing_asked = False
        into = _folds(named_client is not None, has_client, book_level, dimension, p.amount)
        if p.amount is None and _approval_kind(text) is None:  # no amount, no verb: "F-1003-2 额度多少" asks
            into["raise_request"] = "exposure"
        reading = detect(
            _masked(text, mention, named_client.name) if named_client is not None else text,
            into,
            lambda part: _clause_folds(part, named=named or unknown_name or back),
        )
        p.confidence = reading.confidence
        for intent, part in zip(reading.intents, reading.parts, strict=False):
            if intent is Intent.UNSUPPORTED:
                continue
            if intent in _BOOK_OF and (book_level or not has_client):
                intent = _BOOK_OF[intent]
            elif intent in _CLIENT_OF and (named or back) and not book_level:
                intent = _CLIENT_OF[intent]
            elif intent is Intent.FIND_CLIENT and not (named or unknown_name):
                continue
            elif (
                intent is Intent.PROFILE
                and not (named or unknown_name or back or facility_cid)
                and (
                    (mention is not None and mention.unknown)
                    or (_CJK.search(text) and not _ZH_PROFILE.search(text))
                )
            ):  # "tell me something funny", "讲讲八卦": the catch-all "tell me about X" where X is no client
                nothing_asked = True
                continue
            elif intent is Intent.FIND_CLIENT and mention is not None and (mention.said or "").isdigit():
                intent = Intent.PROFILE
            elif intent is Intent.FIND_CLIENT and (named_client or unknown_name) and not _SEARCH.search(text):
                intent = Intent.PROFILE  # "who is Granite Imports": one client named in full, no search asked
            elif intent is Intent.PENDING and _own_requests(
                part, find_request_id(part), named or unknown_name
            ):
                intent = Intent.APPROVAL_STATUS  # one request by id, or the requests the asker raised
            elif intent is Intent.RAISE and Intent.WHAT_IF in last and _TRY.search(text):
                intent = Intent.WHAT_IF  # "改成120万看看" after a what-if: the same question, another figure
            elif intent is Intent.RAISE and _ADVICE.search(text) and not _ACT_NOW.search(text):
                intent = Intent.LIMIT
            elif intent is Intent.CONCENTRATION and named_client is not None and dimension is None:
                intent = Intent.EXPOSURE  # "how exposed are we to Orion Wholesale": one client's exposure
            if intent not in resolved:
                resolved.append(intent)
            if intent is Intent.LIMIT and p.amount is not None and Intent.WHAT_IF not in resolved:
                resolved.append(
                    Intent.WHAT_IF
                )  # "should we bump X to 5M?": the recommendation and the what-if
        if Intent.WHAT_IF in resolved and Intent.RAISE in resolved:  # "X 提到90万，对集团敞口有什么影响":
            resolved.remove(Intent.RAISE)  # the figure is the what-if's, and a question prepares nothing
        if not resolved and p.request_id is not None and "approvals" in dict(reading.ranking[:3]):
            resolved = [Intent.APPROVAL_STATUS]  # "AR-3 的状态": a request id says which question it is
        if not resolved and reading.top != "unsupported" and not nothing_asked:
            if (named or unknown_name) and _bare(text, mention, strict=True):
                resolved = [i for i in last if i in CLIENT_INTENTS and i not in (Intent.RAISE, Intent.MEMO)]
                resolved = resolved or [Intent.PROFILE]  # "Globex?" alone
            elif (
                reading.confidence >= UNSURE
                and reading.top not in ("help", "unsupported")
                and (named or not _off_topic(reading.ranking))
            ):  # an unsure reading with much weight on "no tool answers this" is not a quiz either
                # an unsure "help" is small talk nobody can answer: the capabilities, not a quiz
                p.clarify = _readings(reading.ranking)
        if not resolved and not p.clarify:
            # nothing to answer and nothing to offer: "I can't answer that; here is what I can do"
            p.unsupported = True
            if reading.top == "help" and reading.confidence >= CONFIDENT:
                resolved, p.unsupported = [Intent.HELP], False
    p.intents = resolved

    if Intent.WHAT_IF in resolved and p.amount is None and p.follow_up is False:
        p.amount = state.last_amount
    if Intent.WHAT_IF in resolved and p.follow_up and p.amount is None:
        p.amount = state.last_amount
    if Intent.WHAT_IF in resolved and p.dimension is None:
        p.dimension = state.last_dimension
    if Intent.RAISE in resolved:
        p.approval_kind = _approval_kind(text)
        if m := _REASON.search(text):
            p.reason = m.group(1).strip()[:500]
    if mention is not None and mention.client_id is not None:
        p.client_id = mention.client_id
    elif facility_cid is not None:
        p.client_id = facility_cid
    elif p.needs_client and not (mention is not None and mention.ambiguous) and not unknown_name:
        p.client_id = state.last_client_id
        p.follow_up = p.follow_up or p.client_id is not None
    return p
