"""Hand-computed expectations for each capability on small hand-made books."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.tools.engine.book import AS_OF, client, facility, snapshot, statement
from tools.engine.assemble import client_assessment
from tools.engine.concentration import BookExposure
from tools.engine.financials import ratio_table
from tools.engine.portfolio import assess_book
from tools.policy.loader import load_policy

POLICY = load_policy()
INDUSTRIES = POLICY.concentration.known_industries
REGIONS = ["North", "South", "East", "West", "International"]
SEGMENTS = ["micro", "small", "medium", "large", "corporate"]


def _book() -> BookExposure:
    """A diversified 200-client book with 1M limits each (so concentration does not bind)."""
    fillers = [client(100 + k, industry=INDUSTRIES[k % 10], region=REGIONS[k % 5], size_segment=SEGMENTS[(k // 5) % 5])
               for k in range(200)]  # fmt: skip
    snap = snapshot(clients=fillers, facilities=[facility(f"B{k}", 100 + k, 1e6, 5e5) for k in range(200)])
    return assess_book(snap, POLICY).book


def _flows(cid: int, recent: float, older: float) -> list[dict]:
    rows = []
    for back in range(1, 13):
        month = (pd.Timestamp(AS_OF).to_period("M") - back).to_timestamp()
        inflow = recent if back <= 3 else older
        rows.append({"client_id": cid, "month": month, "currency": "USD", "inflows": inflow, "outflows": inflow * 0.9,
                     "avg_balance": 1000.0, "bounced_payments": 0})  # fmt: skip
    return rows


def test_ratios_hand_computed() -> None:
    st = pd.DataFrame([statement(1, 2025), statement(1, 2024, revenue=8_000_000.0, ebitda=800_000.0)])
    st["period_end"] = pd.to_datetime(st["period_end"])
    r = ratio_table(st, POLICY).iloc[0]  # newest first
    assert r["debt_to_ebitda"] == pytest.approx(2.0)
    assert r["liabilities_to_assets"] == pytest.approx(0.5)
    assert r["current_ratio"] == pytest.approx(1.5)
    assert r["quick_ratio"] == pytest.approx(1.0)
    assert r["interest_coverage"] == pytest.approx(10.0)
    assert r["dscr"] == pytest.approx(1_000_000 / (100_000 + 2_000_000 / 5))
    assert r["dso"] == pytest.approx(1_500_000 * 365 / 10_000_000)
    assert r["dio"] == pytest.approx(1_000_000 * 365 / 7_000_000)
    assert r["dpo"] == pytest.approx(700_000 * 365 / 7_000_000)
    assert r["revenue_growth"] == pytest.approx(0.25)
    assert r["ebitda_growth"] == pytest.approx(0.25)


def test_zero_ebitda_and_negative_equity_are_na() -> None:
    st = pd.DataFrame([statement(1, 2025, ebitda=0.0, equity=-500_000.0, interest_expense=0.0)])
    st["period_end"] = pd.to_datetime(st["period_end"])
    r = ratio_table(st, POLICY).iloc[0]
    assert (
        math.isnan(r["debt_to_ebitda"])
        and math.isnan(r["debt_to_equity"])
        and math.isnan(r["interest_coverage"])
    )


def test_healthy_client_full_assessment() -> None:
    snap = snapshot(
        clients=[client(1)],
        facilities=[facility("F1", 1, 1_000_000, 700_000)],
        statements=[statement(1, 2025), statement(1, 2024, revenue=9_500_000.0)],
        flows=_flows(1, 900_000.0, 850_000.0),
    )
    pa = assess_book(snap, POLICY, book=_book())
    a = client_assessment(pa, 1)
    # scorecard: debt/EBITDA 2.0 → 9; L/A 0.5 → 6; current 1.5 → 7; cover 10 → 10; margin 10% → 5;
    # growth 5.3% → 5; OCF/debt 40% → 5; no repayments → 12 (missing); late30 missing → 4;
    # inflow trend +5.9% → 6; bounced 0 → 4; reputation 0 → 8  = 81 of 100 → grade 3 (74–82)
    assert a.rating.score == pytest.approx(81.0)
    assert a.rating.grade == 3
    # EAD = 700k + 50% × 300k undrawn = 850k; EL = 0.0003 × 0.45 × 850k
    assert float(a.rating.ead) == pytest.approx(850_000)
    assert float(a.rating.el) == pytest.approx(0.0015 * 0.45 * 850_000, abs=0.01)
    # need = 10M × CCC/365 × 1.2; CCC = 54.75 + 52.14 − 36.5 = 70.39 days
    ccc = 1_500_000 * 365 / 10e6 + 1_000_000 * 365 / 7e6 - 700_000 * 365 / 7e6
    need = 10e6 * ccc / 365 * 1.2
    cons = {c.name: c for c in a.limit.constraints}
    assert float(cons["need"].value) == pytest.approx(need, abs=0.01)
    assert float(cons["cap_ebitda"].value) == pytest.approx(3.5 * 1e6)
    assert float(cons["cap_revenue"].value) == pytest.approx(0.25 * 10e6)
    assert a.limit.binding == "need" and cons["need"].binds
    assert float(a.limit.recommended) == math.floor(need / 10_000) * 10_000
    assert a.proposal.action == "increase"  # 2.31M vs 1M, grade 3, green, 70% used
    assert a.ews_level == "green" and a.warnings == []
    a.model_dump(mode="json")


def test_no_statements_only_flows() -> None:
    snap = snapshot(
        clients=[client(2)],
        facilities=[facility("F2", 2, 500_000, 100_000)],
        flows=_flows(2, 100_000.0, 100_000.0),
    )
    a = client_assessment(assess_book(snap, POLICY), 2)
    assert a.financials.periods == [] and "no financial statements on file" in a.data_quality
    cons = {c.name: c for c in a.limit.constraints}
    assert float(cons["need"].value) == pytest.approx(100_000 * 1.5 * 1.2)
    assert cons["cap_flows"].value is not None
    assert any(w.indicator == "statements_overdue" and w.level == "red" for w in a.warnings)
    assert a.proposal.action in {"decrease", "maintain"}


def test_no_data_at_all_gives_no_recommendation() -> None:
    snap = snapshot(clients=[client(3)], facilities=[facility("F3", 3, 200_000, 0)])
    a = client_assessment(assess_book(snap, POLICY), 3)
    assert a.limit.recommended is None and a.limit.binding is None
    assert a.proposal.action == "maintain" and "no basis" in a.proposal.reasons[0]


def test_frozen_facility_and_past_due_freeze() -> None:
    rep = [{"facility_id": "F4", "due_date": pd.Timestamp("2026-09-15"), "client_id": 4, "amount_due": 1000.0,
            "paid_date": pd.NaT, "amount_paid": 0.0}]  # fmt: skip
    snap = snapshot(clients=[client(4)], facilities=[facility("F4", 4, 300_000, 300_000, status="frozen")],
                    statements=[statement(4, 2025)], repayments=rep)  # fmt: skip
    a = client_assessment(assess_book(snap, POLICY), 4)
    assert a.repayment.current_dpd == 74
    assert a.proposal.action == "freeze"
    assert a.exposure.frozen_facilities == 1
    assert float(a.rating.ead) == 300_000  # frozen: no CCF on undrawn


def test_unknown_industry_is_unclassified() -> None:
    snap = snapshot(clients=[client(5, industry="space mining")], facilities=[facility("F5", 5, 100_000, 50_000)],
                    statements=[statement(5, 2025)])  # fmt: skip
    a = client_assessment(assess_book(snap, POLICY), 5)
    assert any("space mining" in n for n in a.data_quality)
    assert any(c.dimension == "industry" and c.bucket == "unclassified" for c in a.concentration)


def test_insurance_expiring_and_gap() -> None:
    covers = [{"cover_id": "C6", "client_id": 6, "insurer": "X", "insured_limit": 100_000.0, "coverage_pct": 90.0,
               "currency": "USD", "start_date": pd.Timestamp("2026-01-01"), "expiry_date": pd.Timestamp("2026-12-20"),
               "status": "active"}]  # fmt: skip
    snap = snapshot(clients=[client(6)], facilities=[facility("F6", 6, 400_000, 200_000, product="trade_credit")],
                    statements=[statement(6, 2025)], covers=covers)  # fmt: skip
    a = client_assessment(assess_book(snap, POLICY), 6)
    assert float(a.insurance.insured) == 90_000
    assert a.insurance.required and float(a.insurance.gap) == pytest.approx(0.6 * 400_000 - 90_000)
    assert a.insurance.expiring == ["C6"]
    assert any(w.indicator == "insurance_expiring" for w in a.warnings)
