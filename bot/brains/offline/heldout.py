"""Scoring the offline brain on its labelled splits: `phrasings/{blind,heldout,dev}_{en,zh}.yaml`.

"blind" is written by someone who sees neither the code nor the training bank and is scored once at the end
of a round (the honest measurement; the lead puts each round's new one under that name, and the scored one
becomes training data: `phrasings/train_blind1_*.yaml`); "heldout" is never trained on but was looked at in
an earlier round; "dev" is measured while developing.
None of them is trained or tuned on; their labels (intent, client id, amount, the
conversation before) are written by hand in the files. A question counts as right when the plan's first
intent is the labelled one (and every labelled intent is there), the client is the labelled one (none for
book-level questions, and none for a client outside the actor's scope: to them a name that does not exist)
and the amount is the labelled one. Used by `make bench` and by the accuracy test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.brains.offline.entities import NameIndex
from bot.brains.offline.intents import Intent
from bot.brains.offline.parser import plan
from bot.conversations import ConversationState

HELDOUT_DIR = Path(__file__).parent / "phrasings"
_AMOUNT_INTENTS = {Intent.WHAT_IF.value, Intent.RAISE.value, Intent.LIMIT.value}


@dataclass(frozen=True)
class Case:
    lang: str
    question: str
    intents: tuple[str, ...]
    client: int | None
    amount: Decimal | None
    prior: int | None = None
    prior_tools: tuple[str, ...] = ()
    prior_amount: Decimal | None = None

    @property
    def state(self) -> ConversationState:
        return ConversationState(last_client_id=self.prior, last_intents=list(self.prior_tools),
                                 last_amount=self.prior_amount)  # fmt: skip


def has_split(lang: str, split: str) -> bool:
    """Whether the split's file is there (the blind one is absent until the lead puts the next one in)."""
    return (HELDOUT_DIR / f"{split}_{lang}.yaml").exists()


def load_cases(lang: str, split: str = "heldout") -> list[Case]:
    """The labelled questions of one split: "blind", "heldout" or "dev" (see the module's docstring)."""
    rows: list[dict[str, Any]] = yaml.safe_load(
        (HELDOUT_DIR / f"{split}_{lang}.yaml").read_text(encoding="utf-8")
    )
    out = []
    for r in rows:
        intents = r["intent"] if isinstance(r["intent"], list) else [r["intent"]]
        out.append(Case(lang=lang, question=str(r["q"]), intents=tuple(intents), client=r.get("client"),
                        amount=Decimal(str(r["amount"])) if r.get("amount") is not None else None,
                        prior=r.get("prior"), prior_tools=tuple(r.get("prior_tools") or ()),
                        prior_amount=Decimal(str(r["prior_amount"])) if r.get("prior_amount") else None))  # fmt: skip
    return out


@dataclass
class Score:
    right: int = 0
    total: int = 0
    per_intent: dict[str, list[int]] = field(default_factory=dict)  # intent -> [right, total]
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # question, expected, got

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def judge(case: Case, index: NameIndex, *, as_of: dt.date,
          facility_client: Callable[[str], int | None] | None = None) -> tuple[bool, str]:  # fmt: skip
    """Whether the plan for one case is right, and what it read (for the confusion table)."""
    p = plan(case.question, index, case.state, as_of=as_of, facility_client=facility_client)
    got = [i.value for i in p.intents]
    if case.intents == (Intent.UNSUPPORTED.value,):
        reading = "unsupported" if not got and not p.clarify else ("clarify" if p.clarify else got[0])
        return reading == "unsupported", reading
    if not got:
        return False, "clarify" if p.clarify else "unsupported"
    intent_ok = got[0] == case.intents[0] and set(case.intents) <= set(got)
    if case.intents[0] == Intent.LIMIT.value and Intent.RAISE.value in got:
        intent_ok = False  # advice must never prepare a request
    # a client outside the actor's scope is, to them, a name that does not exist: right is naming no client
    labelled = index.by_id(case.client) if case.client is not None else None
    client_ok = p.client_id == (case.client if labelled is None or labelled.in_scope else None)
    # the amount counts where the question is about one (a policy question may name "10 million")
    amount_ok = p.amount == case.amount or case.intents[0] not in _AMOUNT_INTENTS
    reading = got[0]
    if intent_ok and not client_ok:
        reading = f"{got[0]} (client {p.client_id})"
    elif intent_ok and not amount_ok:
        reading = f"{got[0]} (amount {p.amount})"
    return intent_ok and client_ok and amount_ok, reading


def score(lang: str, index: NameIndex, *, as_of: dt.date,
          facility_client: Callable[[str], int | None] | None = None, split: str = "heldout") -> Score:  # fmt: skip
    s = Score()
    for case in load_cases(lang, split):
        ok, reading = judge(case, index, as_of=as_of, facility_client=facility_client)
        cell = s.per_intent.setdefault(case.intents[0], [0, 0])
        cell[1] += 1
        s.total += 1
        if ok:
            cell[0] += 1
            s.right += 1
        else:
            s.confusions[(case.intents[0], reading)] += 1
            s.misses.append((case.question, case.intents[0], reading))
    return s
