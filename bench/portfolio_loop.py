"""The baseline the vectorised engine is measured against: a straightforward per-client Python loop.

It computes the same core outputs as the engine — key ratios of the latest statement, the expert
score, grade and PD, EL, and the limit recommendation — client by client over the same in-memory
snapshot: one pass groups every frame's rows by client, then each client is computed with scalar
Python. Concentration needs whole-book totals, which it takes as given (`BookTotals`), exactly as the
engine's per-client path takes the cached whole-book exposure.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from crm_adapter.snapshot import BookSnapshot
from tools.engine.concentration import DIMENSIONS, SECTOR_DIMENSIONS, UNCLASSIFIED, BookExposure
from tools.policy.schema import Policy

NAN = math.nan
OUTPUTS = (
    "debt_to_ebitda",
    "current_ratio",
    "interest_coverage",
    "score",
    "grade",
    "pd",
    "el",
    "recommended",
)


@dataclass(frozen=True)
class BookTotals:
    total: float
    sums: dict[str, dict[str, float]]  # dimension → bucket → total limits

    @classmethod
    def of(cls, book: BookExposure) -> BookTotals:
        return cls(book.total, {d: book.bucket_sums(d).to_dict() for d in DIMENSIONS})


def _div(n: float, d: float) -> float:
    return n / d if d > 0 and not math.isnan(n) and not math.isnan(d) else NAN


def _num(x: Any) -> float:
    return NAN if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _plus_year(t: pd.Timestamp) -> tuple[int, int, int]:
    day = min(t.day, calendar.monthrange(t.year + 1, t.month)[1])
    return (t.year + 1, t.month, day)


def _calendar_months(earlier: pd.Timestamp, later: pd.Timestamp) -> int:
    """Whole calendar months: n months when earlier + n months (day clipped to the month's end) ≤ later."""
    months = (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month)
    last_day = calendar.monthrange(later.year, later.month)[1]
    return months - 1 if later.day < min(earlier.day, last_day) else months


def _rows_by_client(df: pd.DataFrame) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in df.itertuples(index=False):
        out[row.client_id].append(row)
    return out


def assess_loop(snapshot: BookSnapshot, policy: Policy, book: BookTotals) -> dict[int, dict[str, float]]:
    """Per client id: the OUTPUTS, computed one client at a time."""
    grouped = {
        name: _rows_by_client(getattr(snapshot, name))
        for name in ("facilities", "statements", "flows", "repayments", "signals", "covers")
    }
    rates = snapshot.fx_rates()
    as_of = pd.Timestamp(snapshot.as_of)
    ctx = _Context(policy, rates, as_of, book)
    out = {}
    for client in snapshot.clients.itertuples(index=False):
        cid = client.client_id
        out[cid] = ctx.client(client, **{name: rows.get(cid, []) for name, rows in grouped.items()})
    return out


class _Context:
    def __init__(
        self, policy: Policy, rates: dict[str, float], as_of: pd.Timestamp, book: BookTotals
    ) -> None:
        self.p, self.rates, self.as_of, self.book = policy, rates, as_of, book
        self.year_ago = as_of - pd.DateOffset(months=12)
        self.as_of_month = as_of.year * 12 + as_of.month - 1
        self.known = set(policy.concentration.known_industries)
        self.ccf = {p.value: v for p, v in policy.lgd.ccf.items()}
        self.lgd = {p.value: (v.secured, v.unsecured) for p, v in policy.lgd.by_product.items()}
        self.max_unsecured = max(v[1] for v in self.lgd.values())
        self.severity = {k.value: v for k, v in policy.reputation.severity_weights.items()}

    def client(self, c: Any, *, facilities: list, statements: list, flows: list, repayments: list,
               signals: list, covers: list) -> dict[str, float]:  # fmt: skip
        p = self.p
        st = self.latest_statement(statements)
        ex = self.exposure(facilities, covers)
        dpd_now, dpd_max, late30 = self.repayment(repayments)
        inflow, trend, bounced = self.flows(flows)
        feats = {**st["features"], "max_dpd_12m": dpd_max, "late_30_count_12m": late30, "inflow_trend": trend,
                 "bounced_payments_12m": bounced, "reputation_score": self.reputation(signals)}  # fmt: skip
        total = p.scorecard.base_points
        for f in p.scorecard.factors:
            v = feats[f.name]
            if math.isnan(v):
                total += f.missing_points
                continue
            pts = f.bins[-1].points
            for b in f.bins[:-1]:
                if v <= b.max:
                    pts = b.points
                    break
            total += pts
        score = min(max(total / p.scorecard.max_score * 100.0, 0.0), 100.0)
        grade = 1 + sum(score < g.min_score for g in p.rating.grades)
        pd_ = p.rating.grades[grade - 1].pd
        cap_grade = p.rating.no_statements_best_grade
        if st.get("none") and cap_grade is not None and grade < cap_grade:
            grade, pd_ = cap_grade, max(pd_, p.rating.grades[cap_grade - 1].pd)
        if not math.isnan(dpd_now) and dpd_now >= p.rating.default_dpd:
            grade, pd_ = len(p.rating.grades), max(pd_, p.rating.grades[-1].pd)
        lgd = min(max(ex["lgd"], 0.0), 1.0)
        return {
            "debt_to_ebitda": st.get("shown_lev", NAN), "current_ratio": feats["current_ratio"],
            "interest_coverage": feats["interest_coverage"], "score": score, "grade": grade, "pd": pd_,
            "el": pd_ * lgd * ex["ead"], "recommended": self.limit(c, st, ex, grade, inflow),
        }  # fmt: skip

    def latest_statement(self, rows: list) -> dict[str, Any]:
        names = ("debt_to_ebitda", "liabilities_to_assets", "current_ratio", "interest_coverage", "dscr",
                 "ebitda_margin", "revenue_growth", "ocf_to_debt")  # fmt: skip
        if not rows:
            return {"features": dict.fromkeys(names, NAN), "row": None, "none": True}
        s = max(rows, key=lambda r: (r.period_end, r.period_type == "annual"))
        f = 4.0 if s.period_type == "quarterly" else 1.0
        rev, ebitda = _num(s.revenue) * f, _num(s.ebitda) * f
        debt = _num(s.total_debt)
        prev = [r for r in rows if r.period_type == s.period_type and _plus_year(r.period_end) ==
                (s.period_end.year, s.period_end.month, s.period_end.day)]  # fmt: skip
        lev = _div(debt, ebitda)
        if not math.isnan(ebitda) and ebitda <= 0:
            lev = 99.0 if (0.0 if math.isnan(debt) else debt) > 0 else 0.0
        feats = {
            "debt_to_ebitda": lev,
            "liabilities_to_assets": _div(_num(s.total_liabilities), _num(s.total_assets)),
            "current_ratio": _div(_num(s.current_assets), _num(s.current_liabilities)),
            "interest_coverage": _div(ebitda, _num(s.interest_expense) * f),
            "dscr": _div(ebitda, _num(s.interest_expense) * f + debt / self.p.data.dscr_amortisation_years),
            "ebitda_margin": _div(ebitda, rev),
            "revenue_growth": _div(rev, _num(prev[0].revenue) * f) - 1.0 if prev else NAN,
            "ocf_to_debt": _div(_num(s.operating_cash_flow) * f, debt),
        }
        cogs = _num(s.cogs) * f
        ccc = (_div(_num(s.receivables) * 365.0, rev) + _div(_num(s.inventory) * 365.0, cogs)
               - _div(_num(s.payables) * 365.0, cogs))  # fmt: skip
        age = _calendar_months(s.period_end, self.as_of)
        rate = self.rates.get(s.currency, NAN)
        return {"features": feats, "row": s, "ccc": ccc, "shown_lev": _div(debt, ebitda), "stale": age > self.p.data.statements_stale_months,
                "revenue": rev * rate, "ebitda": ebitda * rate, "equity": _num(s.equity) * rate}  # fmt: skip

    def exposure(self, facilities: list, covers: list) -> dict[str, float]:
        cover = 0.0
        for cv in covers:
            if cv.status == "active" and cv.start_date <= self.as_of <= cv.expiry_date:
                cover += cv.insured_limit * cv.coverage_pct / 100.0 * self.rates.get(cv.currency, NAN)
        rows = []
        for fa in facilities:
            rate = self.rates.get(fa.currency, NAN)
            open_ = fa.status != "closed"
            limit = fa.limit_amount * rate if open_ else 0.0
            out = fa.outstanding * rate if open_ else 0.0
            ccf = self.ccf.get(fa.product, 1.0) if fa.status == "active" else 0.0
            secured, unsecured = self.lgd.get(fa.product, (NAN, NAN))
            lgd = secured if fa.secured else unsecured
            lgd = self.max_unsecured if math.isnan(lgd) else lgd
            rows.append((limit, out, out + ccf * max(limit - out, 0.0), lgd, fa.product))
        ead = sum(r[2] for r in rows)
        insured_total = min(cover, ead)
        total_limit = sum(r[0] for r in rows)
        insured = lgd_ead = lgd_lim = 0.0
        for limit, _, e, lgd, _ in rows:
            ins = (e / ead if ead > 0 else 0.0) * insured_total
            insured += ins
            lgd_ead += lgd * (e - ins)
            lgd_lim += lgd * limit
        fallback = self.p.lgd.by_product[next(iter(self.p.lgd.by_product))].unsecured
        base = _div(lgd_ead, ead - insured)
        if math.isnan(base):
            base = _div(lgd_lim, total_limit)
            base = fallback if math.isnan(base) else base
        lgd = (insured * self.p.lgd.insured_lgd + (ead - insured) * base) / ead if ead > 0 else base
        term = sum(r[1] for r in rows if r[4] == "term_loan")
        return {"ead": ead, "lgd": lgd, "total_limit": total_limit, "term": term, "cover": cover}

    def repayment(self, rows: list) -> tuple[float, float, float]:
        due = [r for r in rows if self.year_ago < r.due_date <= self.as_of]
        if not due:
            return NAN, NAN, NAN
        current = worst = late30 = 0.0
        tol = self.p.data.paid_tolerance
        for r in due:
            amount = _num(r.amount_paid)
            paid = not pd.isna(r.paid_date) and (
                math.isnan(amount) or amount <= 0 or amount >= r.amount_due * (1.0 - tol)
            )
            dpd = max(float(((r.paid_date if paid else self.as_of) - r.due_date).days), 0.0)
            worst = max(worst, dpd)
            current = max(current, 0.0 if paid else dpd)
            late30 += dpd >= 30
        return current, worst, late30

    def flows(self, rows: list) -> tuple[float, float, float]:
        recent, older, inflows, bounced = [], [], [], 0.0
        for r in rows:
            back = self.as_of_month - (r.month.year * 12 + r.month.month - 1)
            if 1 <= back <= 12:
                v = r.inflows * self.rates.get(r.currency, NAN)
                inflows.append(v)
                (recent if back <= 3 else older).append(v)
                bounced += r.bounced_payments
        if not inflows:
            return NAN, NAN, NAN
        trend = NAN
        if len(recent) >= 3 and len(older) >= 3:
            trend = _div(sum(recent) / len(recent), sum(older) / len(older)) - 1.0
        return sum(inflows) / len(inflows), trend, bounced

    def reputation(self, rows: list) -> float:
        rp = self.p.reputation
        score = 0.0
        for r in rows:
            age = (self.as_of - r.signal_date).days
            if 0 <= age <= rp.lookback_days:
                base = rp.positive_weight if r.category == "positive" else self.severity.get(r.severity, 0.0)
                score += base * 0.5 ** (age / rp.half_life_days)
        return max(score, 0.0)

    def limit(self, c: Any, st: dict[str, Any], ex: dict[str, float], grade: int, inflow: float) -> float:
        lp, ins = self.p.limits, self.p.insurance
        buffer = 1.0 + lp.need.buffer
        term, cover = ex["term"], ex["cover"]
        revenue = st.get("revenue", NAN)
        ccc = st.get("ccc", NAN)
        need = NAN
        if revenue > 0 and not math.isnan(ccc):
            need = revenue * max(ccc, lp.need.min_ccc_days) / 365.0 * buffer + term
        if math.isnan(need):
            need = inflow * lp.need.flow_months * buffer + term
        if math.isnan(need):
            return NAN
        cap = lp.caps_by_grade[grade - 1]

        def lifted(mult: float | None, base: float) -> float:
            if mult is None or math.isnan(base):
                return NAN
            value = mult * max(base, 0.0)
            return value + min(cover * ins.cap_uplift, max(value, 0.0) * ins.max_uplift_share)

        caps = [need, lifted(cap.ebitda_multiple, st.get("ebitda", NAN)),
                lifted(cap.revenue_share, revenue), lifted(cap.equity_multiple, st.get("equity", NAN))]  # fmt: skip
        if st.get("stale", True) and not math.isnan(inflow):
            caps.append(lifted(cap.flow_share, inflow * 12.0))
        if grade >= lp.no_increase_from_grade:
            caps.append(ex["total_limit"])
        caps += self.headroom(c, ex["total_limit"])
        raw = min((x for x in caps if not math.isnan(x)), default=NAN)
        unit = float(lp.rounding)
        rounded = math.floor(max(raw, 0.0) / unit) * unit
        return 0.0 if rounded < float(lp.minimum) else rounded

    def headroom(self, c: Any, own: float) -> list[float]:
        conc, capital = self.p.concentration, float(self.p.capital_base)
        industry = str(c.industry)
        buckets = {
            "industry": industry if not self.known or industry in self.known else UNCLASSIFIED,
            "region": str(c.region), "size_segment": str(c.size_segment),
            "group": str(c.group_id) if isinstance(c.group_id, str) else f"client:{c.client_id}",
            "single_name": str(c.client_id),
        }  # fmt: skip
        out = []
        for dim in DIMENSIONS:
            rule = getattr(conc, dim)
            s = rule.max_share
            if dim == "industry":
                s = conc.industry_overrides.get(buckets[dim], s)
            s_o = self.book.sums[dim].get(buckets[dim], 0.0) - own
            cap = (s * (self.book.total - own) - s_o) / (1.0 - s)
            if rule.max_share_of_capital is not None:
                cap = min(cap, rule.max_share_of_capital * capital - s_o)
            if dim in SECTOR_DIMENSIONS:  # a sector over its cap stops increases; it never cuts the line
                cap = max(cap, own)
            out.append(max(cap, 0.0))
        return out
