"""The intent classifier, its phrasing bank and the held-out accuracy the issue asks for.

Issue 14's thresholds: >= 95% English, >= 90% Chinese (right intent + client + amount). Three labelled splits,
none trained on:
- BLIND (`phrasings/blind_{en,zh}.yaml`): written by someone who sees neither the code nor the training
  phrasings, scored once at the end of a round and never tuned on. The issue's targets are asserted on it: it
  is the honest measurement. The lead puts each round's blind split under that name; while it is absent its
  tests are skipped. (Round 1's, written 2026-12-02 and scored English 91.3%, Chinese 90.0%, is training data
  now: `phrasings/train_blind1_*.yaml`.)
- held-out (`heldout_{en,zh}.yaml`): never trained on, but looked at while developing in an earlier round;
  kept as a regression floor.
- DEV (`dev_{en,zh}.yaml`): measured while developing.
"""

from __future__ import annotations

import re

import pytest
import yaml

from bot.brains.offline.brain import OfflineBrain
from bot.brains.offline.classifier import (
    BANK_DIR,
    INTENT_TOOLS,
    TRAIN_FILES,
    language_of,
    load_bank,
    rank_intents,
    tools_for,
    train_files,
)
from bot.brains.offline.heldout import has_split, load_cases, score
from tools.assistant_tools.registry import TOOLS

THRESHOLDS = {"en": 0.95, "zh": 0.90}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bank_has_forty_phrasings_per_intent(lang: str) -> None:
    bank = load_bank(f"{lang}.yaml")
    assert set(bank) == set(INTENT_TOOLS)
    short = {intent: len(set(p)) for intent, p in bank.items() if len(set(p)) < 40}
    assert not short, short


def test_every_training_file_is_labelled_with_the_classifiers_intents() -> None:
    assert {language_of(f) for f in TRAIN_FILES} == {"en", "zh"}
    for filename in TRAIN_FILES:
        bank = load_bank(filename)
        assert set(bank) <= set(INTENT_TOOLS), filename
        assert all(p.strip() for phrasings in bank.values() for p in phrasings), filename


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_whole_bank_has_forty_distinct_phrasings_per_intent(lang: str) -> None:
    counts: dict[str, set[str]] = {}
    for filename in train_files(lang):
        for intent, phrasings in load_bank(filename).items():
            counts.setdefault(intent, set()).update(_norm(p) for p in phrasings)
    assert set(counts) == set(INTENT_TOOLS)
    assert not {intent: len(p) for intent, p in counts.items() if len(p) < 40}


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _trained(lang: str) -> set[str]:
    """Every training phrasing of the language, normalised: all its files (`classifier.TRAIN_FILES`)."""
    return {_norm(p) for f in train_files(lang) for phrasings in load_bank(f).values() for p in phrasings}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heldout_questions_are_not_in_the_training_bank(lang: str) -> None:
    trained = _trained(lang)
    raw = yaml.safe_load((BANK_DIR / f"heldout_{lang}.yaml").read_text(encoding="utf-8"))
    assert len(raw) >= 100
    assert not [c.question for c in load_cases(lang) if _norm(c.question) in trained]


def test_issue_misses_are_in_the_bank() -> None:
    en = {p for ps in load_bank("en.yaml").values() for p in ps}
    zh = " ".join(p for ps in load_bank("zh.yaml").values() for p in ps)
    for phrase in ("<c> util", "<c> dpd", "rec limit <c>", "sector conc", "what approvals are waiting for me",
                   "did <c> miss any payments", "why did <c> get downgraded",
                   "how concentrated are we in construction", "should we bump <c> to <n>"):  # fmt: skip
        assert phrase in en, phrase
    for word in ("授信额度", "使用率", "到期复审", "预警信号", "逾期", "集中度", "信用保险", "审批", "年审报告",
                 "客户回访", "观察名单", "评级", "违约概率"):  # fmt: skip
        assert word in zh, word


def test_ranking_is_a_distribution_best_first() -> None:
    ranking = rank_intents("what is ACME's utilisation")
    assert ranking[0][0] == "exposure"
    probs = [p for _, p in ranking]
    assert probs == sorted(probs, reverse=True) and abs(sum(probs) - 1) < 1e-6
    assert {name for name, _ in ranking} == set(INTENT_TOOLS)


def test_tools_of_every_intent_exist_and_a_turn_gets_the_right_ones() -> None:
    assert {t for tools in INTENT_TOOLS.values() for t in tools} <= set(TOOLS)
    assert tools_for("Should we bump ACME to 5M?")[:2] == ["limit_recommendation", "what_if_limit"]
    assert "repayment_history" in tools_for("ACME 有没有逾期")


def test_unrelated_questions_rank_unsupported_first() -> None:
    assert rank_intents("what's the weather like?")[0][0] == "unsupported"
    assert rank_intents("帮我订机票")[0][0] == "unsupported"


def _heldout(book, toolbox, anna, lang: str):  # type: ignore[no-untyped-def]
    brain = OfflineBrain(toolbox)
    result = score(lang, brain._index(anna), as_of=book.today(), facility_client=brain._facility_client)
    assert result.total >= 100
    return result


# Reached so far (branch offline-brain; was 94.7% / 92.8% before): held-out English 129 of 132 (97.7%),
# Chinese 109 of 111 (98.2%); the DEV split (phrasings/dev_*.yaml, written for this round, measured while
# developing; 91.4% / 96.3% before): English 148 of 151 (98.0%), Chinese 134 of 134. The floors keep it.
FLOORS = {"en": 0.97, "zh": 0.98}
# With the independent writer's phrasings and round 1's blind split in the bank (2026-12-03): held-out 129/132,
# 109/111 (unchanged); dev English 147/151 (97.4%), Chinese 133/134 (99.3%).
DEV_FLOORS = {"en": 0.97, "zh": 0.99}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heldout_accuracy_floor(book, toolbox, anna, lang: str) -> None:  # type: ignore[no-untyped-def]
    result = _heldout(book, toolbox, anna, lang)
    assert result.accuracy >= FLOORS[lang], (result.accuracy, result.misses)


# The blind split (the lead puts each round's in; absent: skipped). Round 1's, scored once (English 209 of 229 =
# 91.3%, Chinese 208 of 231 = 90.0%), is training data now (phrasings/train_blind1_*.yaml).
# Round 2's (written 2026-12-03 by a new writer from the intent spec and rm.anna's client list only; 42 rows
# already word for word in the training bank removed before scoring) scored once: English 249 of 274 = 90.9%,
# Chinese 254 of 286 = 88.8%. Two fixes followed that its misses showed (so from here on it is a seen split,
# like heldout): another team's client is never answered by a weaker name match of one's own ("Jade
# Contractors" was read as Quantum Contractors), and "my requests" is the asker's own requests, not their
# queue. After them: English 257/274 = 93.8%, Chinese 262/286 = 91.6%; the floors keep that.
BLIND_FLOORS = {"en": 0.97, "zh": 0.95}  # round 3 scored once: 98.1% / 95.9%


def _require_blind(lang: str) -> None:
    if not has_split(lang, "blind"):
        pytest.skip(
            f"phrasings/blind_{lang}.yaml is absent: the lead puts the next blind split there and scores it once"
        )


def _blind(book, toolbox, anna, lang: str):  # type: ignore[no-untyped-def]
    _require_blind(lang)
    brain = OfflineBrain(toolbox)
    return score(lang, brain._index(anna), as_of=book.today(), facility_client=brain._facility_client,
                 split="blind")  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blind_split_is_broad_and_never_trained_on(lang: str) -> None:
    _require_blind(lang)
    cases = load_cases(lang, "blind")
    assert len(cases) >= 200
    labelled = {i for c in cases for i in c.intents}
    expected = (set(INTENT_TOOLS) - {"approvals", "bank_statements"}) | {
        "pending_approvals",
        "approval_status",
    }
    assert labelled >= expected
    trained = _trained(lang)
    assert not [c.question for c in cases if _norm(c.question) in trained]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blind_accuracy_floor(book, toolbox, anna, lang: str) -> None:  # type: ignore[no-untyped-def]
    result = _blind(book, toolbox, anna, lang)
    assert result.accuracy >= BLIND_FLOORS[lang], (result.accuracy, result.misses)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blind_accuracy_meets_the_issue_targets(book, toolbox, anna, lang: str) -> None:  # type: ignore[no-untyped-def]
    result = _blind(book, toolbox, anna, lang)
    assert result.accuracy >= THRESHOLDS[lang], (result.accuracy, result.misses)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dev_split_is_broad_and_never_trained_on(lang: str) -> None:
    cases = load_cases(lang, "dev")
    assert len(cases) >= 120
    labelled = {i for c in cases for i in c.intents}
    # every intent the brain resolves to (the classifier's "approvals" is split into these two); the
    # bank_statements intent came after the split was written (its questions are in tests/tools/statements)
    expected = (set(INTENT_TOOLS) - {"approvals", "bank_statements"}) | {
        "pending_approvals",
        "approval_status",
    }
    assert labelled >= expected
    assert any(len(c.intents) > 1 for c in cases) and any(c.prior is not None for c in cases)
    trained = _trained(lang)
    assert not [c.question for c in cases if _norm(c.question) in trained]
    heldout = {_norm(c.question) for c in load_cases(lang)}
    assert not [c.question for c in cases if _norm(c.question) in heldout and c.prior is None]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dev_accuracy_floor(book, toolbox, anna, lang: str) -> None:  # type: ignore[no-untyped-def]
    brain = OfflineBrain(toolbox)
    result = score(lang, brain._index(anna), as_of=book.today(), facility_client=brain._facility_client,
                   split="dev")  # fmt: skip
    assert result.accuracy >= DEV_FLOORS[lang], (result.accuracy, result.misses)


def test_confidence_is_a_softmax_of_the_class_scores() -> None:
    """The calibrated probabilities: exp(score) normalised, worked out here by hand for two rows."""
    import math

    import numpy as np

    from bot.brains.offline.classifier import calibrated

    probs = calibrated(np.array([[0.0, math.log(3.0)], [2.0, 2.0]]))
    assert probs.ravel().tolist() == pytest.approx([0.25, 0.75, 0.5, 0.5])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_reading_the_brain_may_offer_has_words_in_both_languages(lang: str) -> None:
    # a clarifying question lists the likely readings by name (brain.py: "reading.<intent>")
    from bot.brains.offline import templates
    from bot.brains.offline.intents import Intent

    for intent in Intent:
        assert templates.t(f"reading.{intent.value}", lang).strip(), intent  # raises MissingMessage if absent
