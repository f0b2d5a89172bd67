"""Labelled questions into training templates: how a scored split (or phrasings written elsewhere) joins the
phrasing bank the classifier trains on.

A question of a split names real clients and amounts ("raise Titan to 5M"); the bank holds templates
("raise <c> to <n>") that `classifier.training_examples` fills with made-up names and amounts, so the
classifier learns the words around a name, not the name. `template_of` puts `<c>` for the span that names the
labelled client (as the name index resolves it: typos, partial names, the generic words of the name, "client
1004", "#1001") and `<n>` for a written amount (5M, 1.5m, USD 1,200,000, 150万, 三千万, 500w) where the
question is about one. `bank_rows` turns a split's rows into (label, template) pairs: the classifier's label
("approvals" for both approval intents), a two-question row split into its clauses when they match its
labels one to one (else left out), and a bare follow-up ("what about Globex", "and last quarter?", whose
label comes from the conversation, not from its words) left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from rapidfuzz import fuzz

from bot.brains.offline.entities import (
    _CLIENT_ID,
    DIMENSION_NAME_WORDS,
    GENERIC_NAME_WORDS,
    NameIndex,
    find_client,
    follow_up_rest,
)
from bot.brains.offline.intents import clauses
from kernel.money import AMOUNT_PATTERN, CN_AMOUNT_PATTERN

# the classifier's label for each label a split may carry
CLASSIFIER_LABEL = {"pending_approvals": "approvals", "approval_status": "approvals"}
# intents whose amount is a slot (the others keep their figures as words: "limits above 10 million")
AMOUNT_INTENTS = frozenset({"limit_recommendation", "what_if", "raise_request", "policy", "concentration"})
MIN_AMOUNT = 10_000  # "6m" in "util last 6m" is a window, not an amount

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*(?:'s|’s)?")
# officers' shorthand kernel.money does not read: "2 mil", "500w" (万)
_SHORTHAND = re.compile(
    r"(?i)(?<![A-Za-z0-9.])\d+(?:\.\d+)?\s*(?:mils?|mill)(?![A-Za-z])|(?<![A-Za-z0-9.])\d+(?:\.\d+)?\s*w(?![A-Za-z])"
)


def _name_words(name: str) -> set[str]:
    return {w.lower().strip(".") for w in re.findall(r"[A-Za-z][A-Za-z0-9&.\-]*", name)}


def _is_name_token(word: str, distinct: set[str]) -> bool:
    """A message word that writes one of the client's distinctive name words (exact, a typo, a prefix)."""
    if word in distinct:
        return True
    if len(word) < 3:
        return False
    return any(
        (len(word) >= 4 and (w.startswith(word) or fuzz.ratio(word, w) >= 75))
        or (len(w) >= 3 and word == w[:3])
        for w in distinct
        if len(w) >= 3
    )


def _mask_client(text: str, index: NameIndex, client: int | None, *, any_client: bool) -> str:
    """`text` with the span naming the client replaced by <c> (unchanged when no span does)."""
    if (m := _CLIENT_ID.search(text)) is not None:
        return text[: m.start()] + "<c>" + text[m.end() :]
    if client is not None and (known := index.by_id(client)) is not None:
        words = _name_words(known.name)
        # a generic ("Holdings") or sector word ("Wholesale") is part of the name only beside a distinctive one:
        # the "wholesale" of "Orion Wholesale limit 2.5m -> wholesale conc?" is the sector the second time
        loose = GENERIC_NAME_WORDS | DIMENSION_NAME_WORDS
        distinct, generic = words - loose, words & loose
    elif any_client:  # a name fragment searched for ("any client with 'Blue' in the name")
        mention = find_client(text, index)
        named = mention is not None and (mention.client_id is not None or bool(mention.candidates))
        said = set((mention.said or "").split()) if named and mention is not None else set()
        distinct, generic = said - GENERIC_NAME_WORDS, set()
    else:
        return text
    if not distinct:
        return text
    tokens = list(_TOKEN.finditer(text))
    marked = []
    for t in tokens:
        word = re.sub(r"(?:'s|’s)$", "", t.group(0)).lower().strip(".-")
        marked.append(_is_name_token(word, distinct))
    # a generic word of the name ("Holdings", "GmbH", "LLC") next to a name word belongs to the span
    for i, t in enumerate(tokens):
        word = re.sub(r"(?:'s|’s)$", "", t.group(0)).lower().strip(".-")
        if (
            not marked[i]
            and _is_name_token(word, generic)
            and ((i and marked[i - 1]) or (i + 1 < len(tokens) and marked[i + 1]))
        ):
            marked[i] = True
    out, pos, i = [], 0, 0
    while i < len(tokens):
        if not marked[i]:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and marked[j + 1]
            and text[tokens[j].end() : tokens[j + 1].start()].strip() == ""
        ):
            j += 1
        span_end = tokens[j].end()
        possessive = re.search(r"(?:'s|’s)$", tokens[j].group(0))
        if possessive:
            span_end -= len(possessive.group(0))
        out.append(text[pos : tokens[i].start()] + "<c>")
        pos = span_end
        i = j + 1
    out.append(text[pos:])
    return "".join(out)


def _amount_spans(text: str) -> Iterator[tuple[int, int]]:
    for m in CN_AMOUNT_PATTERN.finditer(text):
        yield m.start(), m.end()
    for m in _SHORTHAND.finditer(text):
        yield m.start(), m.end()
    for m in AMOUNT_PATTERN.finditer(text):
        num = m.group("num")
        if not (m.group("mult") or m.group("cur1") or m.group("cur2") or "," in num):
            continue
        digits = num.replace(",", "")
        mult = (m.group("mult") or "").lower()
        scale = {"k": 1e3, "thousand": 1e3, "万": 1e4, "亿": 1e8, "b": 1e9, "bn": 1e9, "billion": 1e9}.get(
            mult, 1e6 if mult else 1.0
        )
        try:
            value = float(digits) * scale
        except ValueError:
            continue
        if value >= MIN_AMOUNT:
            start = m.start("cur1") if m.group("cur1") else m.start("num")
            end = m.end("cur2") if m.group("cur2") else (m.end("mult") if m.group("mult") else m.end("num"))
            yield start, end


def _mask_amounts(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for s, e in sorted(_amount_spans(text)):
        if spans and s < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    for s, e in reversed(spans):
        text = text[:s] + "<n>" + text[e:]
    return text


def template_of(question: str, index: NameIndex, *, client: int | None = None, intent: str = "",
                any_client: bool = False) -> str:  # fmt: skip
    """The question as a training template: the labelled client's name as <c>, amounts as <n> (for the
    intents where an amount is a slot)."""
    text = _mask_client(question, index, client, any_client=any_client or intent == "find_client")
    if intent in AMOUNT_INTENTS:
        text = _mask_amounts(text)
    return text


def label_of(intent: str) -> str:
    return CLASSIFIER_LABEL.get(intent, intent)


def _is_bare_follow_up(question: str, index: NameIndex) -> bool:
    """A follow-up that asks nothing by its own words ("what about Globex", "and last quarter?"): its label
    comes from the conversation."""
    from bot.brains.offline.parser import _bare  # (the parser's own test of the same thing)

    rest = follow_up_rest(question)
    return rest is not None and _bare(rest, find_client(question, index), strict=True)


def bank_rows(rows: Iterable[dict[str, Any]], index: NameIndex) -> list[tuple[str, str]]:
    """(classifier label, template) for each usable row of a labelled split (see the module docstring)."""
    out: list[tuple[str, str]] = []
    for r in rows:
        question = str(r["q"])
        intents = r["intent"] if isinstance(r["intent"], list) else [r["intent"]]
        client = r.get("client")
        if r.get("prior") is not None and _is_bare_follow_up(question, index):
            continue
        if len(intents) == 1:
            out.append((label_of(intents[0]), template_of(question, index, client=client, intent=intents[0])))
            continue
        parts = clauses(question)
        if len(parts) == len(intents):
            out += [
                (label_of(i), template_of(p, index, client=client, intent=i))
                for p, i in zip(parts, intents, strict=True)
            ]
    return out


def norm(text: str) -> str:
    """The form duplicates are compared in (case, punctuation and spacing ignored)."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()
