"""The whole-book pipeline: analysis → rating → limits → warnings → proposals → calendar, vectorised.

`assess_book` runs every capability over a BookSnapshot (the whole book, an officer's slice or a single
client) and returns a `PortfolioAssessment`: per-client frames plus helpers. Concentration always uses
the whole book's exposure (`book`), so one client computed alone gets exactly what it gets inside the
portfolio run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot
from tools.engine import adjustment, calendar, ews, limits
from tools.engine.concentration import BookExposure, client_headroom, concentration_lines, hhi
from tools.engine.features import AnalysisFrames, analyse
from tools.engine.frames import client_index
from tools.engine.rating import rate
from tools.engine.scorer import Scorer
from tools.policy.schema import Policy

EMPTY_PREVIOUS = pd.DataFrame(
    {"grade": pd.Series(dtype="float64"), "run_date": pd.Series(dtype="datetime64[ns]")}
)


@dataclass
class PortfolioAssessment:
    snapshot: BookSnapshot
    policy: Policy
    model_id: str
    frames: AnalysisFrames
    rating: pd.DataFrame
    headroom: pd.DataFrame
    limits: pd.DataFrame
    warnings: pd.DataFrame
    ews_level: pd.Series
    proposals: pd.DataFrame
    review: pd.DataFrame
    contact: pd.DataFrame
    insurance_required: pd.Series
    book: BookExposure
    previous: pd.DataFrame = field(default_factory=lambda: EMPTY_PREVIOUS)

    @property
    def as_of(self):
        return self.snapshot.as_of

    @property
    def policy_version(self) -> str:
        return self.policy.version

    def table(self) -> pd.DataFrame:
        """One row per client: the headline figures (what review runs store and lists sort on)."""
        c = self.snapshot.clients.set_index("client_id")
        ex = self.frames.exposure
        t = pd.DataFrame(index=self.rating.index)
        t["name"] = c["name"]
        t["officer_id"] = c["officer_id"]
        t["industry"] = c["industry"]
        for col in ("score", "grade", "pd", "lgd", "ead", "el"):
            t[col] = self.rating[col]
        t["total_limit"] = ex["total_limit"]
        t["outstanding"] = ex["outstanding"]
        t["utilisation"] = ex["utilisation"]
        t["recommended"] = self.limits["recommended"]
        t["binding"] = self.limits["binding"]
        t["action"] = self.proposals["action"]
        t["target"] = self.proposals["target"]
        t["ews_level"] = self.ews_level
        t["warnings"] = self.warnings.groupby("client_id").size().reindex(t.index).fillna(0).astype(int)
        for col in ("current_ratio", "interest_coverage", "max_dpd_12m", "current_dpd"):
            t[col] = self.frames.features[col]
        # the ratio as shown (n/a when EBITDA is not positive), not the scorecard's worst-bin stand-in
        t["debt_to_ebitda"] = self.frames.latest["debt_to_ebitda"].reindex(t.index)
        t["next_review"] = self.review["next_review"]
        t["review_overdue"] = self.review["review_overdue"]
        t["next_contact"] = self.contact["next_contact"]
        t["contact_overdue"] = self.contact["contact_overdue"]
        return t

    def concentration(self) -> pd.DataFrame:
        return concentration_lines(self.book, self.policy)

    def hhi(self) -> dict[str, float]:
        return hhi(self.book)


def assess_book(
    snapshot: BookSnapshot,
    policy: Policy,
    *,
    scorer: Scorer | None = None,
    book: BookExposure | None = None,
    previous: pd.DataFrame | None = None,
    recorded_reviews: pd.Series | None = None,
    extra_warnings: pd.DataFrame | None = None,
) -> PortfolioAssessment:
    """Every capability over the snapshot. `book` defaults to the snapshot itself (whole-book runs)."""
    idx = client_index(snapshot)
    frames = analyse(snapshot, policy)
    book = book if book is not None else BookExposure.build(snapshot.clients, frames.exposure, policy)
    previous = previous if previous is not None and len(previous) else EMPTY_PREVIOUS
    rating = rate(frames.features, frames.exposure, policy, scorer)
    headroom = client_headroom(book, idx, policy)
    stmt_fx = limits.statement_fx(snapshot.fx_rates(), frames.latest)
    lim = limits.recommend(
        snapshot_fx=stmt_fx, latest=frames.latest, flows=frames.flows, exposure=frames.exposure,
        rating=rating, headroom=headroom, policy=policy,
    )  # fmt: skip
    required = _insurance_required(snapshot, rating, policy, idx)
    review = calendar.review_schedule(
        idx=idx, as_of=snapshot.as_of, clients=snapshot.clients, grade=rating["grade"].to_numpy(),
        total_limit=frames.exposure["total_limit"].reindex(idx).to_numpy(),
        recorded=recorded_reviews if recorded_reviews is not None else pd.Series(dtype="datetime64[ns]"),
        policy=policy,
    )  # fmt: skip
    warnings = ews.evaluate(
        idx=idx, as_of=snapshot.as_of, features=frames.features, repayment=frames.repayment, flows=frames.flows,
        exposure=frames.exposure, latest=frames.latest, rating=rating, previous=previous, signals=frames.signals,
        headroom=headroom, required_cover=required.to_numpy(), policy=policy, review=review,
    )  # fmt: skip
    warnings = ews.merged(warnings, extra_warnings)  # e.g. bank-statement findings (tools/statements)
    level = ews.overall_level(idx, warnings)
    proposals = adjustment.propose(
        idx=idx, features=frames.features, rating=rating, limits=lim, warnings=warnings, ews_level=level,
        previous=previous, policy=policy,
    )  # fmt: skip
    grade = rating["grade"].to_numpy()
    contact = calendar.contact_schedule(
        idx=idx, as_of=snapshot.as_of, clients=snapshot.clients, contacts=snapshot.contacts, grade=grade,
        ews_level=level, policy=policy,
    )  # fmt: skip
    return PortfolioAssessment(
        snapshot=snapshot, policy=policy, model_id=str(rating["model_id"].iat[0]) if len(rating) else (
            scorer.model_id if scorer else "expert"),
        frames=frames, rating=rating, headroom=headroom, limits=lim, warnings=warnings, ews_level=level,
        proposals=proposals, review=review, contact=contact, insurance_required=required, book=book,
        previous=previous,
    )  # fmt: skip


def _insurance_required(
    snapshot: BookSnapshot, rating: pd.DataFrame, policy: Policy, idx: pd.Index
) -> pd.Series:
    ins = policy.insurance
    products = {p.value for p in ins.required_products}
    fa = snapshot.facilities
    by_product = fa[(fa["status"] != "closed") & fa["product"].isin(products)]["client_id"].unique()
    by_grade = rating["grade"].to_numpy() >= ins.required_from_grade
    return pd.Series(idx.isin(by_product) | by_grade, index=idx)


__all__ = ["PortfolioAssessment", "assess_book", "np"]
