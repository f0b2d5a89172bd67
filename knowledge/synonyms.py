"""How officers ask versus how the policy is written: synonym groups (English and Chinese), question
language and amounts.

- `expand(terms)`: the question's index terms plus those of every synonym group it touches (both
  languages: "exception" also looks for 例外, "额度" for "limit"); used by the lexical retriever only.
- `wanted_languages(question)`: the documents a question should be answered from: its own language,
  unless it asks for the other one ("what does the Chinese summary say", "英文版").
- `amounts_in(question)`: money amounts written as 10 million, 10M, 1.5m, 750k, 10,000,000, 一千万, 1200万.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from knowledge.lexical import tokenize

GROUPS: tuple[tuple[str, ...], ...] = (
    ("exception", "exceptions", "departs", "deviation", "例外", "例外情况"),
    ("limit", "limits", "额度", "授信额度"),
    (
        "approve",
        "approval",
        "approver",
        "sign off",
        "signs off",
        "authority",
        "审批",
        "批准",
        "审批人",
        "谁批",
        "谁来批",
    ),
    ("often", "frequency", "cadence", "频率", "多久"),
    ("review", "re-assess", "reassess", "评估", "复审", "年审"),
    ("utilisation", "utilization", "usage", "drawn", "使用率"),
    ("warning", "alert", "ews", "预警"),
    ("insurance", "insurer", "cover", "保险", "信用保险"),
    ("concentration", "sector", "industry", "集中度", "行业"),
    ("freeze", "frozen", "stop drawings", "冻结"),
    ("unfreeze", "unfreezing", "解冻"),
    ("grade", "rating", "rated", "评级"),
    ("past due", "overdue", "dpd", "late", "arrears", "逾期"),
    ("contact", "visit", "call", "联系", "回访"),
    ("statements", "financials", "accounts", "财务报表"),
    ("default", "defaulted", "违约"),
    ("committee", "委员会"),
    ("increase", "raise", "bump", "增额", "提高"),
    ("decrease", "cut", "reduce", "减额", "减少"),
    ("audit", "审计"),
    ("bonus", "incentive", "incentives", "奖金", "激励"),
    ("scorecard", "model", "模型"),
    ("reputation", "press", "news", "lawsuit", "口碑", "负面", "新闻"),
)


_CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def _groups() -> tuple[tuple[tuple[frozenset[str], ...], tuple[str, ...], tuple[str, ...]], ...]:
    """Per group: the English phrases as term sets, the Chinese phrases, and every term the group adds."""
    out = []
    for group in GROUPS:
        english = tuple(frozenset(tokenize(p)) for p in group if not _CJK.search(p))
        chinese = tuple(p for p in group if _CJK.search(p))
        adds = [t for terms in english for t in sorted(terms)] + list(chinese)
        out.append((english, chinese, tuple(dict.fromkeys(adds))))
    return tuple(out)


def expand(text: str, terms: list[str]) -> list[str]:
    """The question's terms plus the terms of each synonym group it names: an English phrase whose
    terms all occur, or a Chinese phrase written in the question (whole words: 信用 alone does not name
    信用保险)."""
    have = set(terms)
    extra: list[str] = []
    for english, chinese, adds in _groups():
        if any(t and t <= have for t in english) or any(p in text for p in chinese):
            extra += [t for t in adds if t not in have and t not in extra]
    return terms + extra


_ASKS = {
    "zh": re.compile(r"\b(chinese|mandarin)\b|中文|汉语|中文版", re.I),
    "en": re.compile(r"\benglish\b|英文|英语|英文版", re.I),
}


def wanted_languages(question: str, detected: str) -> set[str]:
    """The question's language, or the language it asks for by name."""
    asked = {lang for lang, pattern in _ASKS.items() if pattern.search(question)}
    return asked or {detected}


_SCALE = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "million": 10**6, "b": 10**9, "bn": 10**9,
          "billion": 10**9, "万": 10**4, "亿": 10**8, "千万": 10**7, "百万": 10**6}  # fmt: skip
_LATIN_AMOUNT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)\s*(k|thousand|mn|m|million|bn|b|billion)?\b", re.I)
_CJK_AMOUNT = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(千万|百万|万|亿)")
_CJK_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cjk_number(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        else:
            total += (digit or 1) * _CJK_UNITS[ch]
            digit = 0
    return total + digit


def amounts_in(question: str) -> list[Decimal]:
    """Money amounts in a question (at least 1,000; plain small numbers such as grades are not amounts)."""
    found: list[Decimal] = []
    for number, unit in _CJK_AMOUNT.findall(question):
        base = Decimal(number) if number[0].isdigit() else Decimal(_cjk_number(number))
        found.append(base * _SCALE[unit])
    for number, unit in _LATIN_AMOUNT.findall(re.sub(_CJK_AMOUNT, " ", question)):
        try:
            value = (
                Decimal(number.replace(",", "")) * _SCALE.get(unit.lower(), 1)
                if unit
                else Decimal(number.replace(",", ""))
            )
        except InvalidOperation:
            continue
        found.append(value)
    return [a for a in found if a >= 1000]
