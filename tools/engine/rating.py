"""Score → grade → PD on the master scale; expected loss = PD × LGD × EAD.

With the expert scorecard the grade comes from the score bands and the PD from the grade. With a
promoted model (`Scorer`) its PD is kept and mapped to the grade whose PD band holds it (band edges at
the geometric mid-points between adjacent grade PDs). A payment past the policy's default DPD makes
the client grade 10 whatever the score says. Without financial statements the rating rests on account
behaviour only and the policy caps the grade (`rating.no_statements_best_grade`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.engine.scorecard import EXPERT_MODEL_ID, score_expert
from tools.engine.scorer import Scorer
from tools.policy.schema import Policy


def grade_from_score(score: np.ndarray, policy: Policy) -> np.ndarray:
    mins = np.array([g.min_score for g in policy.rating.grades])  # falling
    # number of bands whose min_score exceeds the score = grade − 1
    return (score[:, None] < mins[None, :]).sum(axis=1) + 1


def grade_from_pd(pd_: np.ndarray, policy: Policy) -> np.ndarray:
    pds = np.array([g.pd for g in policy.rating.grades])
    edges = np.sqrt(pds[:-1] * pds[1:])
    return np.searchsorted(edges, pd_, side="left") + 1


def rate(
    features: pd.DataFrame, exposure: pd.DataFrame, policy: Policy, scorer: Scorer | None
) -> pd.DataFrame:
    """Columns: score, grade, pd, lgd, ead, el, model_id, reason_1..3, pts_*/lost_* (expert only)."""
    expert = score_expert(features, policy)
    if scorer is None:
        out = expert
        grade = grade_from_score(out["score"].to_numpy(), policy)
        pds = np.array([g.pd for g in policy.rating.grades])
        pd_ = pds[grade - 1]
        model_id = EXPERT_MODEL_ID
    else:
        scored = scorer.score(features).reindex(features.index)
        out = expert.drop(columns=["score", "reason_1", "reason_2", "reason_3"]).join(
            scored[["score", "pd", "reason_1", "reason_2", "reason_3"]]
        )
        pd_ = np.clip(out.pop("pd").to_numpy(dtype="float64"), 1e-6, 1 - 1e-6)
        grade = grade_from_pd(pd_, policy)
        model_id = scorer.model_id
    no_stmt = np.isnan(features["statement_age_months"].to_numpy(dtype="float64"))
    cap = policy.rating.no_statements_best_grade
    capped = no_stmt & (grade < cap) if cap is not None else np.zeros(len(grade), dtype=bool)
    if cap is not None:
        grade = np.where(capped, cap, grade)
        pd_ = np.where(capped, np.maximum(pd_, policy.rating.grades[cap - 1].pd), pd_)
    out["no_statements"] = no_stmt
    out["grade_capped"] = capped
    in_default = np.nan_to_num(features["current_dpd"].to_numpy(dtype="float64")) >= policy.rating.default_dpd
    worst = len(policy.rating.grades)
    grade = np.where(in_default, worst, grade)
    pd_ = np.where(in_default, np.maximum(pd_, policy.rating.grades[-1].pd), pd_)
    out["grade"] = grade.astype(int)
    out["pd"] = pd_
    out["in_default"] = in_default
    ex = exposure.reindex(features.index)
    out["lgd"] = np.clip(ex["lgd"].to_numpy(dtype="float64"), 0.0, 1.0)
    out["ead"] = ex["ead"].to_numpy(dtype="float64")
    out["el"] = out["pd"] * out["lgd"] * out["ead"]
    out["model_id"] = model_id
    return out
