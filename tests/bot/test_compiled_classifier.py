"""The intent classifier's scikit-learn-free form predicts what the pipeline predicts, and a cached one
loads without importing scikit-learn (a cold `creditdesk ask`, issue 18)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from bot.brains.offline import classifier as k
from bot.brains.offline import compiled as fast


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("models")
    k._trained.clear()
    k.classifier(d)  # trains, caches the pipeline (joblib) and its compiled form
    k._trained.clear()
    return d


def test_compiled_scores_equal_the_pipeline(model_dir: Path) -> None:
    import joblib

    key = k.bank_fingerprint()
    pipeline, vocab = joblib.load(model_dir / f"intent-classifier-{key}.joblib")
    compiled = fast.load(model_dir / f"intent-classifier-{key}.compiled.pkl")
    assert compiled is not None
    # texts the compile check never saw: the held-out phrasings, an empty and an unknown-script message
    texts = [*k.training_examples()[0][1::3][:200], "", "¿qué tal?", "ACME 的利用率是多少？", "  a  b  "]
    expected = pipeline.decision_function(texts)
    got = np.vstack([compiled.scores(t) for t in texts])
    assert np.abs(got - expected).max() < 1e-9
    assert list(compiled.classes) == [str(c) for c in pipeline.classes_]
    assert compiled.vocabulary == vocab  # the spelling fix reads the same words either way
    # and both forms rank a misspelt question alike (spelling fix + the one calibration)
    q = "wats the utlisation of globex"
    a, b = k.IntentClassifier(pipeline, vocab).rank(q), k.IntentClassifier(compiled=compiled).rank(q)
    assert [c for c, _ in a] == [c for c, _ in b] and a[0][0] == "exposure"
    assert [p for _, p in a] == pytest.approx([p for _, p in b], abs=1e-9)


def test_a_cached_classifier_loads_without_scikit_learn(model_dir: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from bot.brains.offline import classifier as k
        m = k.classifier(Path({str(model_dir)!r}))
        assert m.compiled is not None
        print(m.rank("what is the utilisation of ACME Holdings?")[0][0], "sklearn" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    intent, imported = out.stdout.split()
    assert intent == "exposure" and imported == "False"


def test_an_unsupported_pipeline_is_not_compiled() -> None:
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import Pipeline

    texts, labels = ["alpha beta", "gamma delta", "epsilon zeta"], ["x", "y", "z"]
    from sklearn.feature_extraction.text import CountVectorizer

    p = Pipeline([("v", CountVectorizer()), ("m", SGDClassifier(loss="hinge"))]).fit(texts, labels)
    assert fast.compile_pipeline(p, texts) is None


def test_a_broken_compiled_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x.compiled.pkl"
    path.write_bytes(b"not a pickle")
    assert fast.load(path) is None
