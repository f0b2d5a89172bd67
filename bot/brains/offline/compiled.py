"""The trained intent classifier without scikit-learn at prediction time (a cold `creditdesk ask`).

Importing scikit-learn (and the SciPy it pulls in) costs about 0.9 s of CPU, more than half of a cold
`creditdesk ask`. Predicting one message needs none of it: the fitted TF-IDF vocabularies and IDF weights and
the linear model's coefficients, applied with plain Python and NumPy. `compile_pipeline` turns a fitted
pipeline of the shape `classifier.build_pipeline` makes (a `FeatureUnion` of `TfidfVectorizer`s into
`SGDClassifier(loss="log_loss")` or `LogisticRegression`) into a `CompiledClassifier`, and checks on the
given texts that its class scores equal the pipeline's `decision_function` (to 1e-9); a pipeline of any
other shape, or one that does not match, is not compiled and the caller keeps using scikit-learn. The
scores become probabilities in one place for both forms (`classifier.calibrated`).

The compiled form is pickled next to the joblib cache (same trust: a file in the officer's home folder).
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 2
TOLERANCE = 1e-9
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Features:
    """One fitted TfidfVectorizer: how a text becomes tokens, and each token's column and IDF weight."""

    analyzer: str | Callable[[str], list[str]]  # "char_wb", "char", "word", or the vectorizer's callable
    lowercase: bool
    ngram_range: tuple[int, int]
    token_pattern: str | None
    sublinear_tf: bool
    norm: str | None
    offset: int  # first column in the union
    vocabulary: dict[str, int]  # token -> column within this block
    idf: np.ndarray | None

    def tokens(self, text: str) -> list[str]:
        if callable(self.analyzer):
            return list(self.analyzer(text))
        if self.lowercase:
            text = text.lower()
        lo, hi = self.ngram_range
        if self.analyzer == "word":
            words = re.findall(self.token_pattern or r"(?u)\b\w\w+\b", text)
            if hi == 1:
                return words
            out = list(words) if lo == 1 else []
            for n in range(max(lo, 2), min(hi, len(words)) + 1):
                out += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
            return out
        text = _WHITE_SPACES.sub(" ", text)
        if self.analyzer == "char":
            out = []
            for n in range(lo, min(hi, len(text)) + 1):
                out += [text[i : i + n] for i in range(len(text) - n + 1)]
            return out
        out = []
        for w in text.split():  # char_wb, as scikit-learn's _char_wb_ngrams
            w = " " + w + " "
            for n in range(lo, hi + 1):
                offset = 0
                out.append(w[offset : offset + n])
                while offset + n < len(w):
                    offset += 1
                    out.append(w[offset : offset + n])
                if offset == 0:
                    break
        return out

    def vector(self, text: str) -> tuple[list[int], list[float]]:
        counts = Counter(j for tok in self.tokens(text) if (j := self.vocabulary.get(tok)) is not None)
        cols = sorted(counts)
        vals = [float(counts[j]) for j in cols]
        if self.sublinear_tf:
            vals = [1.0 + math.log(v) for v in vals]
        if self.idf is not None:
            vals = [v * float(self.idf[j]) for v, j in zip(vals, cols, strict=True)]
        if self.norm == "l2":
            s = math.sqrt(sum(v * v for v in vals))
            if s > 0:
                vals = [v / s for v in vals]
        elif self.norm == "l1":
            s = sum(abs(v) for v in vals)
            if s > 0:
                vals = [v / s for v in vals]
        return [self.offset + j for j in cols], vals


@dataclass(frozen=True)
class CompiledClassifier:
    classes: tuple[str, ...]
    features: tuple[Features, ...]
    coef: np.ndarray  # (classes, columns)
    intercept: np.ndarray  # (classes,)
    vocabulary: frozenset[str] = frozenset()  # the words the spelling fix never corrects (classifier.spell)

    def scores(self, text: str) -> np.ndarray:
        """The linear model's class scores for `text`, as `decision_function` gives them."""
        cols: list[int] = []
        vals: list[float] = []
        for f in self.features:
            c, v = f.vector(text)
            cols += c
            vals += v
        return self.coef[:, cols] @ np.asarray(vals, dtype="float64") + self.intercept


def _features(vec: Any, offset: int) -> Features | None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if type(vec) is not TfidfVectorizer:
        return None
    analyzer = vec.analyzer
    default = vec.preprocessor is None and vec.tokenizer is None and vec.stop_words is None
    if not callable(analyzer) and (analyzer not in ("char_wb", "char", "word") or not default):
        return None
    if (
        vec.binary
        or vec.input != "content"
        or vec.strip_accents is not None
        or vec.norm not in ("l2", "l1", None)
    ):
        return None
    idf = np.asarray(vec.idf_, dtype="float64") if vec.use_idf else None
    return Features(analyzer=analyzer, lowercase=bool(vec.lowercase), ngram_range=tuple(vec.ngram_range),
                    token_pattern=vec.token_pattern, sublinear_tf=bool(vec.sublinear_tf), norm=vec.norm,
                    offset=offset, vocabulary={str(k): int(v) for k, v in vec.vocabulary_.items()},
                    idf=idf)  # fmt: skip


def compile_pipeline(pipeline: Any, check_texts: list[str],
                     vocabulary: frozenset[str] = frozenset()) -> CompiledClassifier | None:  # fmt: skip
    """The pipeline's class scores without scikit-learn, or None when its shape is not supported or its
    scores differ from the pipeline's `decision_function` on `check_texts`."""
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return None
    union, model = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(union, FeatureUnion) or union.transformer_weights is not None:
        return None
    linear = isinstance(model, SGDClassifier) and model.loss == "log_loss"
    if not (linear or type(model) is LogisticRegression) or len(model.classes_) <= 2:
        return None
    blocks, offset = [], 0
    for _, vec in union.transformer_list:
        f = _features(vec, offset)
        if f is None:
            return None
        blocks.append(f)
        offset += len(f.vocabulary)
    coef = np.asarray(model.coef_, dtype="float64")
    if coef.shape != (len(model.classes_), offset):
        return None
    compiled = CompiledClassifier(classes=tuple(str(c) for c in model.classes_), features=tuple(blocks),
                                  coef=np.ascontiguousarray(coef),
                                  intercept=np.asarray(model.intercept_, dtype="float64"), vocabulary=vocabulary)  # fmt: skip
    if check_texts:
        expected = pipeline.decision_function(check_texts)
        got = np.vstack([compiled.scores(t) for t in check_texts])
        if got.shape != expected.shape or not np.allclose(got, expected, rtol=0, atol=TOLERANCE):
            return None
    return compiled


def save(compiled: CompiledClassifier, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps((FORMAT, compiled), protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)


def load(path: Path) -> CompiledClassifier | None:
    """The compiled classifier kept at `path`, or None (missing, stale format or unreadable)."""
    try:
        fmt, compiled = pickle.loads(path.read_bytes())
    except Exception:  # a broken cache is rebuilt, never fatal
        return None
    return compiled if fmt == FORMAT and isinstance(compiled, CompiledClassifier) else None
