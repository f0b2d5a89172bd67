"""The edge cases a credit committee asks about (issue #15), each on a small hand-made book.

Every expected figure is worked out by hand in the test (comments show the arithmetic), never read back
from the engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kernel.errors import InvalidInput
from tests.tools.engine.book import AS_OF, client, facility, snapshot, statement
from tools.engine.assemble import client_assessment
from tools.engine.frames import months_between
from tools.engine.portfolio import assess_book
from tools.policy.loader import DEFAULT_POLICY_PATH, load_policy

POLICY = load_policy()
INDUSTRIES = POLICY.concentration.known_industries
REGIONS = ["North", "South", "East", "West", "International"]


def _fillers(n: int = 200, *, large: int = 0) -> tuple[list[dict], list[dict]]:
    """n clients with 1M limits, diversified by industry and region; the first `large` are 'large'."""
    clients = [client(100 + k, industry=INDUSTRIES[k % 10], region=REGIONS[k % 5],
                      size_segment="large" if k < large else ["micro", "small", "medium"][k % 3])
               for k in range(n)]  # fmt: skip
    return clients, [facility(f"B{k}", 100 + k, 1e6, 5e5) for k in range(n)]


def _flows(cid: int, inflow: float) -> list[dict]:
    rows = []
    for back in range(1, 13):
        month = (pd.Timestamp(AS_OF).to_period("M") - back).to_timestamp()
        rows.append({"client_id": cid, "month": month, "currency": "USD", "inflows": inflow, "outflows": inflow * 0.9,
                     "avg_balance": 1000.0, "bounced_payments": 0})  # fmt: skip
    return rows


def _monthly(cid: int, fid: str, paid: dict[str, tuple[str | None, float]]) -> list[dict]:
    """12 instalments of 1,000 due on the 13th, Dec 2025 … Nov 2026, paid in full on the day unless listed
    in `paid` as due-date → (paid date or None, amount paid)."""
    rows = []
    for m in pd.period_range("2025-12", "2026-11", freq="M"):
        due = pd.Timestamp(year=m.year, month=m.month, day=13)
        when, amount = paid.get(f"{due:%Y-%m-%d}", (f"{due:%Y-%m-%d}", 1000.0))
        rows.append({"facility_id": fid, "due_date": due, "client_id": cid, "amount_due": 1000.0,
                     "paid_date": pd.Timestamp(when) if when else pd.NaT, "amount_paid": amount})  # fmt: skip
    return rows


def _one(
    cid: int, *, policy=POLICY, clients=None, facilities=None, book_clients=(), book_facilities=(), **kw
):  # type: ignore[no-untyped-def]
    snap = snapshot(clients=[*(clients or [client(cid)]), *book_clients],
                    facilities=[*(facilities or [facility(f"F{cid}", cid, 1_000_000, 700_000)]), *book_facilities],
                    **kw)  # fmt: skip
    return client_assessment(assess_book(snap, policy), cid)


# --- 1. repayment ------------------------------------------------------------------------------------


def test_half_paid_instalment_is_past_due_red_and_freezes() -> None:
    # the 13 Oct 2026 instalment is 50 % paid on the day: still not paid. DPD from 13 Oct to 28 Nov 2026:
    # 18 days left in October + 28 in November = 46 days past due.
    rep = _monthly(1, "F1", {"2026-10-13": ("2026-10-13", 500.0)})
    a = _one(1, statements=[statement(1, 2025)], flows=_flows(1, 900_000.0), repayments=rep)
    assert a.repayment.current_dpd == 46 and a.repayment.max_dpd_12m == 46
    assert a.repayment.late_30_count_12m == 1  # 46 ≥ 30
    assert a.repayment.on_time_ratio == pytest.approx(11 / 12)  # 11 of the 12 due were paid in full on time
    past_due = next(w for w in a.warnings if w.indicator == "new_past_due")
    assert past_due.level == "red" and past_due.value == 46 and past_due.date == dt.date(2026, 10, 13)  # ≥ 30
    assert a.proposal.action == "freeze"  # red on new_past_due, a freeze indicator
    # worst DPD 46 → 4 points (not 20), one 30+ → 3 (not 6): the grade falls from the clean client's
    pts = {f.name: f.points for f in a.rating.factors}
    assert pts["max_dpd_12m"] == 4 and pts["late_30_count_12m"] == 3


def test_on_time_ratio_counts_every_instalment_due() -> None:
    # Sep, Oct and Nov 2026 unpaid: 9 of 12 on time = 0.75; DPD from the oldest unpaid, 13 Sep 2026:
    # 17 (rest of Sep) + 31 (Oct) + 28 (Nov) = 76 days
    unpaid = {d: (None, 0.0) for d in ("2026-09-13", "2026-10-13", "2026-11-13")}
    a = _one(1, statements=[statement(1, 2025)], repayments=_monthly(1, "F1", unpaid))
    assert a.repayment.on_time_ratio == pytest.approx(0.75)
    assert a.repayment.current_dpd == 76


def test_paid_tolerance_from_the_policy() -> None:
    # 999.50 paid of 1,000 due: 0.05 % short. With no tolerance it is past due (46 days, as above);
    # with a 0.1 % tolerance 999.50 ≥ 1,000 × (1 − 0.001) = 999.00, so it is paid.
    rep = _monthly(1, "F1", {"2026-10-13": ("2026-10-13", 999.5)})
    strict = _one(1, statements=[statement(1, 2025)], repayments=rep)
    assert strict.repayment.current_dpd == 46
    lenient = POLICY.model_copy(update={"data": POLICY.data.model_copy(update={"paid_tolerance": 0.001})})
    a = _one(1, policy=lenient, statements=[statement(1, 2025)], repayments=rep)
    assert a.repayment.current_dpd == 0 and a.repayment.on_time_ratio == 1.0


# --- 2. calendar months -------------------------------------------------------------------------------


def test_statement_age_in_calendar_months() -> None:
    # 31 Dec 2024 + 21 months = 30 Sep 2026 (day clipped to the month's end): 21 months old → red (≥ 21)
    a = _one(1, statements=[statement(1, 2024)], as_of=dt.date(2026, 9, 30))
    assert a.financials.statement_age_months == 21
    w = next(w for w in a.warnings if w.indicator == "statements_overdue")
    assert w.level == "red" and w.value == 21
    dates = pd.Series(pd.to_datetime(["2026-01-31", "2026-03-15", "2026-03-14"]))
    # 31 Jan → 28 Feb: 1 month; 15 Mar → 14 Apr: not yet a month; 14 Mar → 14 Apr: 1 month
    assert list(months_between(dates.iloc[:1], dt.date(2026, 2, 28))) == [1]
    assert list(months_between(dates.iloc[1:], dt.date(2026, 4, 14))) == [0, 1]


# --- 3. DSCR ------------------------------------------------------------------------------------------


def test_low_dscr_scores_and_warns() -> None:
    # interest 250k, debt 2M: debt service = 250k + 2M / 5 years = 650k; DSCR = 520k / 650k = 0.80
    st = statement(1, 2025, ebitda=520_000.0, interest_expense=250_000.0)
    a = _one(1, statements=[st], flows=_flows(1, 900_000.0))
    dscr = next(f for f in a.rating.factors if f.name == "dscr")
    assert dscr.value == pytest.approx(0.8) and dscr.points == 0  # ≤ 1.0 → 0 of 5
    w = next(w for w in a.warnings if w.indicator == "low_dscr")
    assert w.level == "red" and w.value == pytest.approx(0.8) and w.threshold == 1.0  # below red 1.0x
    assert a.proposal.action != "increase"


# --- 4. n/a, units -----------------------------------------------------------------------------------


def test_negative_ebitda_leverage_is_na_with_the_reason() -> None:
    snap = snapshot(clients=[client(1)], facilities=[facility("F1", 1, 1_000_000, 700_000)],
                    statements=[statement(1, 2025, ebitda=-200_000.0)])  # fmt: skip
    pa = assess_book(snap, POLICY)
    a = client_assessment(pa, 1)
    lev = next(f for f in a.rating.factors if f.name == "debt_to_ebitda")
    assert lev.value is None and lev.na_reason == "ebitda_not_positive"
    assert "n/a (EBITDA is not positive)" in lev.text and "99" not in lev.text
    assert lev.points == 0  # still scored as the worst bin
    assert a.financials.periods[0].debt_to_ebitda is None
    assert pd.isna(pa.table().loc[1, "debt_to_ebitda"])


def test_cover_as_fraction_expired_cover_and_percent_trends() -> None:
    covers = [
        {"cover_id": "C1", "client_id": 1, "insurer": "X", "insured_limit": 100_000.0, "coverage_pct": 90.0,
         "currency": "USD", "start_date": pd.Timestamp("2026-01-01"), "expiry_date": pd.Timestamp("2027-06-30"),
         "status": "active"},
        # expired 31 Oct 2026: 28 days before 28 Nov 2026
        {"cover_id": "C2", "client_id": 1, "insurer": "Y", "insured_limit": 50_000.0, "coverage_pct": 80.0,
         "currency": "USD", "start_date": pd.Timestamp("2025-11-01"), "expiry_date": pd.Timestamp("2026-10-31"),
         "status": "active"},
    ]  # fmt: skip
    # EBITDA margin 600k / 10M = 6.0 % (2024) → 400k / 10M = 4.0 % (2025)
    stmts = [statement(1, 2025, ebitda=400_000.0), statement(1, 2024, ebitda=600_000.0)]
    a = _one(1, statements=stmts, covers=covers)
    c1, c2 = sorted(a.insurance.covers, key=lambda c: c.cover_id)
    assert c1.coverage == pytest.approx(0.90) and c2.coverage == pytest.approx(0.80)
    assert c2.status == "expired" and c2.days_to_expiry is None and c2.expired_days_ago == 28
    margin = next(t for t in a.financials.trends if t.metric == "ebitda_margin")
    assert "6.0% → 4.0%" in margin.text and margin.direction == "deteriorating"


# --- 5. concentration ----------------------------------------------------------------------------------


def test_segment_over_cap_stops_increases_never_zeroes() -> None:
    # 120 of 200 fillers are 'large' (1M each) plus client 1 (large, 1M): 121M of 201M = 60.2 % > 50 % cap.
    # Old rule: x ≤ (0.5 × 200M − 120M) / 0.5 < 0 → 0: a strong client told to decrease to 0.
    # Now the segment constraint is the current limit (1,000,000): no increase, no cut.
    bc, bf = _fillers(200, large=120)
    a = _one(1, clients=[client(1, size_segment="large")], book_clients=bc, book_facilities=bf,
             statements=[statement(1, 2025), statement(1, 2024, revenue=9_500_000.0)], flows=_flows(1, 900_000.0))  # fmt: skip
    seg = next(c for c in a.limit.constraints if c.name == "conc_size_segment")
    assert seg.value == Decimal("1000000.00") and seg.finding == "sector_over_cap"
    assert "size segment 'large'" in seg.explanation and "stops increases" in seg.explanation
    # need = 10M × 70.39 / 365 × 1.2 = 2.31M, caps ≥ 2.5M: the segment (1M) is the lowest → 1,000,000
    assert a.limit.recommended == Decimal("1000000.00")
    assert a.proposal.action == "maintain" and "segment_over_cap" in a.proposal.findings


def test_single_name_limit_shows_the_binding_dimension_by_name() -> None:
    bc, bf = _fillers(200)
    kw = dict(clients=[client(1, name="ACME Holdings")], book_clients=bc, book_facilities=bf,
              statements=[statement(1, 2025)])  # fmt: skip
    # share of book: x ≤ 0.02 × 200M / 0.98 = 4,081,633; of capital: 10 % × 2,000M = 200M → the book binds
    a = _one(1, **kw)
    sn = next(c for c in a.limit.constraints if c.name == "conc_single_name")
    assert sn.binding_dimension == "book" and "ACME Holdings" in sn.explanation
    assert float(sn.value) == pytest.approx(0.02 * 200e6 / 0.98, abs=0.01)
    # capital 20M: 10 % × 20M = 2,000,000 < 4,081,633 → capital binds
    small = POLICY.model_copy(update={"capital_base": Decimal(20_000_000)})
    a = _one(1, policy=small, **kw)
    sn = next(c for c in a.limit.constraints if c.name == "conc_single_name")
    assert sn.binding_dimension == "capital" and float(sn.value) == pytest.approx(2_000_000)
    assert "share of capital binds" in sn.explanation


# --- 7. no statements ---------------------------------------------------------------------------------


def test_no_statements_rests_on_behaviour_and_caps_the_grade() -> None:
    # missing: D/EBITDA 3 + L/A 2 + current 2 + interest 2 + DSCR 1 + margin 2 + growth 2 + OCF 1 = 15;
    # clean repayments: worst DPD 0 → 20, no 30+ → 6; flat inflows → 6; no bounces → 4; reputation → 8:
    # 59 of 100 → grade 5 (58–66) on the score, capped at the policy's best grade without statements: 7
    a = _one(1, flows=_flows(1, 500_000.0), repayments=_monthly(1, "F1", {}))
    assert a.rating.score == pytest.approx(59.0)
    assert a.rating.grade == 7 and a.rating.grade_capped_at == 7 and a.rating.behaviour_only
    assert a.rating.pd == pytest.approx(0.025)
    assert "rests on account behaviour only" in a.rating.notes[0]
    assert a.proposal.action != "increase"


# --- 8. reduction plan -------------------------------------------------------------------------------


def test_recommendation_below_drawn_balance_has_a_reduction_plan() -> None:
    # grade 7 (as above), no statements: cap = 12 % of annual inflows 12 × 500k = 720,000; need
    # 500k × 1.5 × 1.2 = 900,000 → recommended 720,000. Drawn 1,370,000 → reduce by 650,000.
    bc, bf = _fillers(200)
    a = _one(1, facilities=[facility("F1", 1, 2_000_000, 1_370_000)], book_clients=bc, book_facilities=bf,
             flows=_flows(1, 500_000.0), repayments=_monthly(1, "F1", {}))  # fmt: skip
    assert a.limit.recommended == Decimal("720000.00")
    assert a.proposal.reduction_needed == Decimal("650000.00")
    assert "reduction_plan" in a.proposal.findings
    assert any("650,000" in r and "reduction plan" in r for r in a.proposal.reasons)


# --- 9. policy ----------------------------------------------------------------------------------------


def test_percent_where_a_fraction_belongs_is_refused_with_a_hint(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["ews"]["high_utilisation"]["amber"] = 85
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidInput) as err:
        load_policy(path)
    assert err.value.field == "ews.high_utilisation.amber" and "write 0.85" in str(err.value)


def test_policy_content_hash_is_recorded_and_changes_with_an_edit(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["ews"]["high_utilisation"]["amber"] = 0.80  # same version string, different content
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data))
    edited = load_policy(path)
    assert edited.version == POLICY.version
    canon = json.dumps(
        edited.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert edited.content_hash == hashlib.sha256(canon.encode()).hexdigest() != POLICY.content_hash
    assert edited.stamp == f"{POLICY.version}#{edited.content_hash[:12]}"
    a = _one(1, policy=edited, statements=[statement(1, 2025)])
    assert a.policy_version == POLICY.version and a.policy_hash == edited.content_hash


# --- issue 18: overdue review and missing mandatory insurance are indicators ---------------------------


def test_overdue_review_and_missing_mandatory_insurance_warn() -> None:
    # grade 3 (the healthy client) reviews every 12 months: last review 26 Jun 2025 → due 26 Jun 2026;
    # 26 Jun → 26 Nov 2026 = 30 + 31 + 31 + 30 + 31 = 153 days, + 2 = 155 days overdue → red (≥ 90)
    c = client(1)
    fac = [facility("F1", 1, 1_000_000, 700_000, product="trade_credit")]  # trade credit must be insured
    snap = snapshot(clients=[c], facilities=fac, flows=_flows(1, 900_000.0),
                    statements=[statement(1, 2025), statement(1, 2024, revenue=9_500_000.0)])  # fmt: skip
    snap.clients["last_review_date"] = pd.Timestamp("2025-06-26")  # the CRM's last completed review
    a = client_assessment(assess_book(snap, POLICY), 1)
    rv = next(w for w in a.warnings if w.indicator == "review_overdue")
    assert rv.level == "red" and rv.value == 155 and rv.date == dt.date(2026, 6, 26)
    ins = next(w for w in a.warnings if w.indicator == "insurance_missing")
    assert ins.level == "red"  # required, no active cover at all
    assert a.ews_level == "red"


def test_a_payment_date_without_an_amount_is_paid_in_full() -> None:
    # the CRM stores a missing amount paid as 0: with a payment date on the due date it is paid on time
    rep = _monthly(1, "F1", {"2026-10-13": ("2026-10-13", 0.0)})
    a = _one(1, statements=[statement(1, 2025)], repayments=rep)
    assert a.repayment.current_dpd == 0 and a.repayment.on_time_ratio == 1.0


def test_a_client_never_contacted_is_due_now_not_years_late() -> None:
    # onboarded 10 Mar 2020, no contact on record: one period after onboarding is long past, so the contact
    # is due today (28 Nov 2026), 0 days overdue — not the ~6 years "late" of onboarding + 180 days
    a = _one(1, statements=[statement(1, 2025)])
    assert a.contact.last_contact is None
    assert a.contact.next_due == AS_OF and a.contact.days_overdue == 0
