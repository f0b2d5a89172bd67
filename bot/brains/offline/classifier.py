"""The offline brain's intent classifier: which question a message asks, with a calibrated probability.

Trained at first use (well under a second on two cores) from the phrasing bank kept in the repository,
`phrasings/en.yaml` and `phrasings/zh.yaml` (at least 40 phrasings per intent and language, written the way
officers type in Slack and the way a 客户经理 writes). The held-out split (`phrasings/heldout_*.yaml`) is
never read here: it is only for the benchmark and the accuracy test.

Model: TF-IDF over character n-grams (`char_wb`, 1–4: works for Chinese without a segmenter) plus word
uni/bi-grams (Chinese words cut by jieba, MIT licence), into a logistic-loss linear model (SGD); its
probabilities are the confidence. Model and regularisation were chosen by 4-fold cross-validation on the
training bank only (alpha 1e-5 of 1e-5…3e-4; logistic regression by lbfgs scored the same but took ~15 s
to train on the shared CPU, the SGD fit ~2 s). Slots (client, amount, window, facility, "my" vs team, dimension) are
not learnt: `entities.py` extracts them by rule and `parser.py` combines both.

Public API for the other brain (tool selection for a turn):

- `rank_intents(text) -> list[tuple[str, float]]`: every intent name with its probability, best first.
- `INTENT_TOOLS`: intent name -> the tool names (`tools.assistant_tools.registry.TOOLS`) that answer it.
- `tools_for(text, k=3, min_p=0.05) -> list[str]`: the tools of the top intents, deduplicated.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import threading
import time
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.brains.offline import compiled as fast

if TYPE_CHECKING:  # scikit-learn is imported only to train (or load a pipeline): see compiled.py
    from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

BANK_DIR = Path(__file__).parent / "phrasings"
TRAIN_FILES = ("en.yaml", "zh.yaml")

# The labels the classifier learns; `parser.py` resolves some of them further with the slots
# (approvals → pending_approvals or approval_status by a request id; review/contact/warnings → the book
# versions when no client is meant).
INTENT_TOOLS: dict[str, tuple[str, ...]] = {
    "help": (),
    "my_clients": ("my_clients",),
    "find_client": ("find_clients",),
    "profile": ("client_profile",),
    "exposure": ("exposure",),
    "utilisation_trend": ("utilisation_trend",),
    "financials": ("financial_analysis",),
    "rating": ("rating",),
    "rating_history": ("rating_history", "rating"),
    "limit_recommendation": ("limit_recommendation", "what_if_limit"),
    "what_if": ("what_if_limit",),
    "early_warnings": ("early_warnings",),
    "watchlist": ("watchlist",),
    "review_status": ("review_status",),
    "reviews_due": ("reviews_due",),
    "contact": ("client_profile",),
    "contacts_due": ("contacts_due",),
    "insurance": ("insurance_cover",),
    "insurance_expiring": ("insurance_expiring",),
    "high_utilisation": ("clients_by_utilisation",),
    "concentration": ("concentration_report",),
    "policy": ("search_policy",),
    "memo": ("draft_review_memo",),
    "raise_request": ("prepare_approval_request", "what_if_limit"),
    "approvals": ("my_pending_approvals", "approval_status"),
    "repayment": ("repayment_history",),
    "unsupported": (),
}

# Names and amounts the templates' {c} and {n} are filled with: made-up companies (not the demo book's, so
# the held-out questions name clients the classifier never saw) and every way officers write an amount.
_NAMES = (
    "ACME", "ACME Holdings", "Globex", "Initech", "Umbrella Foods", "Nimbus Textiles", "Kestrel Marine",
    "Borealis Mining", "Tangent Optics", "Silverline", "Cobalt Freight", "Marigold Bakeries", "Ostrich Paper",
    "Pinnacle Tiles", "Quarry Stone Ltd", "Saffron Spice Co", "Tundra Cold Chain", "Vireo Pharma",
    "Wombat Tools", "Yarrow Farms", "client 2041", "#3310", "Hartwell & Sons", "Lumen Glass GmbH",
    "Brightwater Utilities", "Copperfield Mills", "Dunmore Cement", "Emberline", "Foxglove Textiles",
)  # fmt: skip
_AMOUNTS_EN = (
    "5M",
    "3m",
    "1.5m",
    "750k",
    "USD 1,200,000",
    "2 million",
    "12M",
    "400k",
    "10 mn",
    "$2.5M",
    "8m",
)
_AMOUNTS_ZH = (
    "500万",
    "300万",
    "150万",
    "1.2亿",
    "三千万",
    "80万",
    "1200万",
    "2亿",
    "五百万",
    "5M",
    "1000万",
)
_FILLS = 3  # copies of each template with a <c> / <n>, each with other names and amounts
_CJK = re.compile(r"[\u3400-\u9fff]")


def load_bank(filename: str) -> dict[str, list[str]]:
    """One language's phrasing bank: intent -> templates."""
    data = yaml.safe_load((BANK_DIR / filename).read_text(encoding="utf-8"))
    return {str(k): [str(p) for p in v] for k, v in data.items()}


def training_examples(seed: int = 13) -> tuple[list[str], list[str]]:
    """The phrasing bank expanded: templates with <c>/<n> are filled several times (seeded)."""
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for filename in TRAIN_FILES:
        amounts = _AMOUNTS_ZH if filename.startswith("zh") else _AMOUNTS_EN
        for intent, templates in load_bank(filename).items():
            if intent not in INTENT_TOOLS:
                raise ValueError(f"{filename}: unknown intent {intent!r}")
            for template in templates:
                n = _FILLS if ("<c>" in template or "<n>" in template) else 1
                for _ in range(n):
                    texts.append(
                        template.replace("<c>", rng.choice(_NAMES)).replace("<n>", rng.choice(amounts))
                    )
                    labels.append(intent)
    return texts, labels


def _words(text: str) -> list[str]:
    """Lower-case words; Chinese runs are cut by jieba (loaded lazily, only for Chinese text)."""
    text = text.lower()
    if not _CJK.search(text):
        return re.findall(r"[a-z0-9%>]+", text)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(text) if w.strip() and not re.fullmatch(r"\W+", w)]


def _word_ngrams(text: str) -> list[str]:
    words = _words(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def build_pipeline(*, alpha: float = 1e-5, jieba_words: bool = True) -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    if jieba_words:
        words = TfidfVectorizer(analyzer=_word_ngrams, sublinear_tf=True)
    else:
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, lowercase=True)
    features = FeatureUnion([("chars", chars), ("words", words)])
    model = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=30, tol=None, random_state=0)
    return Pipeline([("features", features), ("model", model)])


class IntentClassifier:
    def __init__(
        self, pipeline: Pipeline | None = None, *, compiled: fast.CompiledClassifier | None = None
    ) -> None:
        # `compiled` alone (loaded from the cache): predicts without scikit-learn; `pipeline` is then built
        # only if someone asks for it
        self._pipeline = pipeline if pipeline is not None or compiled is not None else build_pipeline()
        self.compiled = compiled
        self.train_seconds = 0.0

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = build_pipeline()
        return self._pipeline

    def fit(self, texts: list[str], labels: list[str]) -> IntentClassifier:
        t0 = time.perf_counter()
        self.pipeline.fit(texts, labels)
        self.train_seconds = time.perf_counter() - t0
        return self

    def rank(self, text: str) -> list[tuple[str, float]]:
        if self.compiled is not None:
            return self.compiled.rank(text)
        probs = self.pipeline.predict_proba([text])[0]
        classes = self.pipeline.classes_
        return sorted(((str(c), float(p)) for c, p in zip(classes, probs, strict=True)), key=lambda x: -x[1])


_lock = threading.Lock()
_trained: dict[str, IntentClassifier] = {}
MODEL_VERSION = "1"  # bump when the features or the model change


def bank_fingerprint() -> str:
    """Changes whenever the phrasing bank, the model version or scikit-learn changes."""
    h = hashlib.sha256(f"{MODEL_VERSION}|{version('scikit-learn')}".encode())
    for name in TRAIN_FILES:
        h.update((BANK_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def classifier(cache_dir: Path | None = None) -> IntentClassifier:
    """The trained classifier: trained once per process at first use, or loaded from `cache_dir`
    (the shell passes a folder under the home folder, so a CLI call does not retrain every time)."""
    key = bank_fingerprint()
    with _lock:
        if key in _trained:
            return _trained[key]
        path = cache_dir / f"intent-classifier-{key}.joblib" if cache_dir is not None else None
        compiled_path = cache_dir / f"intent-classifier-{key}.compiled.pkl" if cache_dir is not None else None
        model: IntentClassifier | None = None
        if (
            compiled_path is not None
            and compiled_path.exists()
            and (c := fast.load(compiled_path)) is not None
        ):
            model = IntentClassifier(compiled=c)  # no scikit-learn import (cold CLI start)
            _trained[key] = model
            return model
        if path is not None and path.exists():
            try:
                import joblib

                model = IntentClassifier(joblib.load(path))
            except Exception:  # a stale or broken cache file is rebuilt, never fatal
                log.warning("intent classifier cache %s unreadable; retraining", path)
        if model is None:
            texts, labels = training_examples()
            model = IntentClassifier().fit(texts, labels)
            log.info("intent classifier trained on %d phrasings in %.2f s", len(texts), model.train_seconds)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".tmp")
                    import joblib

                    joblib.dump(model.pipeline, tmp)
                    tmp.replace(path)
                except OSError as exc:
                    log.warning("could not cache the intent classifier in %s: %s", path, exc)
        if compiled_path is not None:
            _compile_cache(model, compiled_path)
        _trained[key] = model
        return model


def _compile_cache(model: IntentClassifier, path: Path) -> None:
    """Keep the scikit-learn-free form beside the joblib cache when it predicts exactly as the pipeline."""
    compiled = fast.compile_pipeline(model.pipeline, training_examples()[0][::3])  # a third: ~1 s
    if compiled is None:
        log.info(
            "intent classifier not compiled (unsupported pipeline or a mismatch); scikit-learn stays in use"
        )
        return
    try:
        fast.save(compiled, path)
    except OSError as exc:
        log.warning("could not cache the compiled intent classifier in %s: %s", path, exc)


def rank_intents(text: str) -> list[tuple[str, float]]:
    """Every intent with its probability for `text`, best first (sums to 1).

    Intent names are the keys of `INTENT_TOOLS`; "unsupported" means a question no tool answers.
    """
    return classifier().rank(text)


def tools_for(text: str, k: int = 3, min_p: float = 0.05) -> list[str]:
    """The tools relevant to a turn: those of the `k` most likely intents with probability >= `min_p`."""
    out: list[str] = []
    for intent, p in rank_intents(text)[:k]:
        if p >= min_p:
            out += [t for t in INTENT_TOOLS[intent] if t not in out]
    return out
