"""Dynamic adjustment (S2): increase / maintain / decrease / freeze, with the triggers that decided it.

Order of precedence: freeze (current DPD at the policy's freeze DPD, in default, or a red warning on a
freeze indicator) > decrease (limit above the recommendation by the decrease gap, or a downgrade of
the policy's notches) > increase (recommendation above the limit by the increase gap, grade no worse
than increase_max_grade, no open warning, utilisation at least increase_min_utilisation) > maintain.
A proposal is data, not an action: applying it goes through approvals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.policy.schema import Policy


def propose(*, idx: pd.Index, features: pd.DataFrame, rating: pd.DataFrame, limits: pd.DataFrame,
            warnings: pd.DataFrame, ews_level: pd.Series, previous: pd.DataFrame, policy: Policy) -> pd.DataFrame:  # fmt: skip
    ap = policy.adjustment
    cur = limits["current_limit"].to_numpy(dtype="float64")
    rec = limits["recommended"].to_numpy(dtype="float64")
    dpd = np.nan_to_num(features["current_dpd"].to_numpy(dtype="float64"))
    red_freeze = warnings[(warnings["level"] == "red") & warnings["indicator"].isin(ap.freeze_on_red)]
    red_ids = idx.isin(red_freeze["client_id"].unique())
    prev = (
        previous["grade"].reindex(idx).to_numpy(dtype="float64")
        if len(previous)
        else np.full(len(idx), np.nan)
    )
    notches = rating["grade"].to_numpy(dtype="float64") - prev
    util = np.nan_to_num(features["utilisation"].to_numpy(dtype="float64"))
    level = ews_level.reindex(idx).to_numpy()
    t_freeze_dpd = dpd >= ap.freeze_dpd
    t_default = rating["in_default"].to_numpy(dtype=bool)
    t_red = red_ids
    has_rec = ~np.isnan(rec)
    t_over = has_rec & (cur > rec * (1 + ap.decrease_gap)) & (cur > 0)
    t_downgrade = np.nan_to_num(notches) >= ap.downgrade_notches
    t_under = has_rec & (rec > cur * (1 + ap.increase_gap)) & (rec > 0)
    t_grade_ok = rating["grade"].to_numpy() <= ap.increase_max_grade
    t_green = level == "green"
    t_used = util >= ap.increase_min_utilisation
    freeze = t_freeze_dpd | t_default | t_red
    decrease = ~freeze & (t_over | t_downgrade)
    increase = ~freeze & ~decrease & t_under & t_grade_ok & t_green & t_used
    action = np.select([freeze, decrease, increase], ["freeze", "decrease", "increase"], "maintain")
    target = np.select(
        [freeze, decrease & has_rec, decrease, increase],
        [cur, np.minimum(rec, cur), cur, rec],
        np.where(np.isnan(cur), np.nan, cur),
    )
    return pd.DataFrame(
        {
            "action": action,
            "target": target,
            "t_freeze_dpd": t_freeze_dpd,
            "t_default": t_default,
            "t_red": t_red,
            "t_over": t_over,
            "t_downgrade": t_downgrade,
            "t_under": t_under,
            "t_grade_ok": t_grade_ok,
            "t_green": t_green,
            "t_used": t_used,
            "notches": notches,
        },
        index=idx,
    )
