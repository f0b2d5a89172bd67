"""Generate a realistic synthetic book, vectorised and chunked so 1M clients take minutes.

Every client has a latent credit quality `z` (standard normal, higher is better) that drives its
financial ratios, bank flows, repayment conduct, reputation signals, utilisation and the observed
default outcome, so the engine's warnings and a trained scoring model have something real to find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine, Table, func, select

from crm_adapter.demo.people import REGION_WEIGHTS, TEAMS, build_officers
from crm_adapter.models import (
    BankFlowRow,
    ClientGroupRow,
    ClientRow,
    ContactLogRow,
    FacilityRow,
    FinancialStatementRow,
    FxRateRow,
    InsuranceCoverRow,
    OfficerRow,
    RepaymentEventRow,
    ReputationSignalRow,
)
from crm_adapter.sql.bulk import bulk_insert
from crm_adapter.sql.changes import bump_in
from kernel.errors import Conflict, InvalidInput

FIRST_CLIENT_ID = 1001
INDUSTRIES = (
    ("manufacturing", 0.22), ("wholesale", 0.17), ("retail", 0.11), ("construction", 0.10),
    ("transport", 0.08), ("technology", 0.08), ("agriculture", 0.06), ("healthcare", 0.06),
    ("hospitality", 0.06), ("energy", 0.06),
)  # fmt: skip
PRODUCTS = (
    ("revolving", 0.35), ("term_loan", 0.25), ("trade_credit", 0.20), ("overdraft", 0.10),
    ("guarantee", 0.05), ("letter_of_credit", 0.05),
)  # fmt: skip
INTERNATIONAL = (("DE", "EUR"), ("GB", "GBP"), ("FR", "EUR"), ("CN", "CNY"), ("SG", "USD"))
INSURERS = ("Allianz Trade", "Coface", "Atradius", "Sinosure", "Zurich Credit")
FX = {"EUR": 1.08, "GBP": 1.27, "CNY": 0.138}
NAME_A = (
    "Apex", "Blue", "Cedar", "Delta", "Eagle", "Falcon", "Granite", "Harbor", "Iron", "Jade", "Keystone",
    "Lakeside", "Maple", "Northern", "Oak", "Pioneer", "Quantum", "River", "Summit", "Titan", "Union",
    "Vertex", "Willow", "Zenith", "Atlas", "Beacon", "Crown", "Dynamo", "Evergreen", "Frontier", "Golden",
    "Horizon", "Liberty", "Meridian", "Nova", "Orion", "Pacific", "Redwood", "Sterling", "Trident",
)  # fmt: skip
NAME_B = {
    "manufacturing": ("Components", "Industries", "Machining", "Plastics", "Metalworks"),
    "wholesale": ("Trading", "Distribution", "Supply", "Imports", "Wholesale"),
    "retail": ("Stores", "Retail", "Outlets", "Market", "Goods"),
    "construction": ("Builders", "Construction", "Contractors", "Developments", "Structures"),
    "transport": ("Logistics", "Freight", "Transport", "Shipping", "Carriers"),
    "technology": ("Systems", "Software", "Digital", "Networks", "Labs"),
    "agriculture": ("Farms", "Agritech", "Produce", "Harvest", "Seeds"),
    "healthcare": ("Health", "Medical", "Care", "Pharma", "Clinics"),
    "hospitality": ("Hotels", "Foods", "Catering", "Resorts", "Dining"),
    "energy": ("Energy", "Power", "Solar", "Fuels", "Utilities"),
}
NAME_C = ("Ltd", "Inc", "GmbH", "Co", "Holdings", "Group", "LLC", "SA")

# Named personas (id, name, team, rm index within the team, industry, z, group) for demos and docs.
PERSONAS = (
    (1001, "ACME Holdings", "North", 0, "manufacturing", -1.0, "G-ACME"),
    (1002, "ACME Logistics", "South", 0, "transport", 0.2, "G-ACME"),
    (1003, "Globex Trading", "North", 0, "wholesale", 1.3, None),
    (1004, "Initech Systems", "North", 0, "technology", -2.1, None),
    (1005, "Umbrella Foods", "North", 0, "hospitality", 0.0, None),
    (1006, "Stark Components", "North", 1, "manufacturing", 0.6, None),
    (1007, "Wayne Agritech", "East", 0, "agriculture", -0.4, None),
    (1008, "Hooli Software", "International", 0, "technology", 1.0, None),
)


class DemoSummary(BaseModel):
    clients: int
    officers: int
    rows: dict[str, int]
    seed: int
    as_of: dt.date


@dataclass
class _Ctx:
    rng: np.random.Generator
    as_of: dt.date
    rms_by_team: dict[str, list[str]]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _days(as_of: dt.date, offsets: np.ndarray) -> np.ndarray:
    """as_of minus `offsets` days, as datetime64[D]."""
    return np.datetime64(as_of, "D") - offsets.astype("timedelta64[D]")


def _month_starts(as_of: dt.date, n: int) -> list[dt.date]:
    """The first days of the n full months before as_of, oldest first."""
    out = []
    y, m = as_of.year, as_of.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(dt.date(y, m, 1))
    return out[::-1]


def _pick(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    names = np.array([t[0] for t in table])
    weights = np.array([t[1] for t in table])
    return names[rng.choice(len(names), size=n, p=weights / weights.sum())]


def _clients(ctx: _Ctx, ids: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    rng, n = ctx.rng, len(ids)
    z = rng.standard_normal(n)
    industry = _pick(rng, INDUSTRIES, n)
    team_idx = rng.choice(len(TEAMS), size=n, p=np.array(REGION_WEIGHTS))
    team = np.array(TEAMS)[team_idx]
    rm_pick = rng.integers(0, 1 << 30, size=n)
    group = np.full(n, None, dtype=object)
    in_group = rng.random(n) < 0.12
    n_groups = max(1, int(in_group.sum()) // 3)
    group[in_group] = [f"G-{ids[0]}-{k}" for k in rng.integers(0, n_groups, size=int(in_group.sum()))]
    name_a = np.array(NAME_A)[rng.integers(0, len(NAME_A), n)]
    name_c = np.array(NAME_C)[rng.integers(0, len(NAME_C), n)]
    b_idx = rng.integers(0, 5, n)
    names = [
        f"{a} {NAME_B[ind][b]} {c}" for a, ind, b, c in zip(name_a, industry, b_idx, name_c, strict=True)
    ]
    for pid, pname, pteam, prm, pind, pz, pgroup in PERSONAS:
        k = pid - int(ids[0])
        if 0 <= k < n:
            names[k], team[k], industry[k], z[k], group[k] = pname, pteam, pind, pz, pgroup
            rm_pick[k] = prm
    officer = np.array(
        [ctx.rms_by_team[t][p % len(ctx.rms_by_team[t])] for t, p in zip(team, rm_pick, strict=True)]
    )
    country = np.full(n, "US", dtype=object)
    currency = np.full(n, "USD", dtype=object)
    intl = team == "International"
    pick = rng.integers(0, len(INTERNATIONAL), n)
    country[intl] = [INTERNATIONAL[p][0] for p in pick[intl]]
    currency[intl] = [INTERNATIONAL[p][1] for p in pick[intl]]
    revenue_usd = np.clip(np.exp(rng.normal(np.log(18e6), 1.15, n) + 0.15 * z), 6e5, 3e9)
    segment = np.select(
        [revenue_usd < 2e6, revenue_usd < 1e7, revenue_usd < 5e7, revenue_usd < 2.5e8],
        ["micro", "small", "medium", "large"],
        "corporate",
    )
    review_rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])  # type: ignore[attr-defined]
    p_default = _sigmoid(-3.4 - 1.35 * z)
    defaulted = rng.random(n) < p_default
    default_date = np.where(defaulted, _days(ctx.as_of, rng.integers(0, 300, n)), np.datetime64("NaT"))
    frame = pd.DataFrame(
        {
            "client_id": ids,
            "external_id": [f"CRM-{i:07d}" for i in ids],
            "name": names,
            "industry": industry,
            "region": team,
            "country": country,
            "size_segment": segment,
            "officer_id": officer,
            "group_id": group,
            "status": "active",
            "onboarded": _days(ctx.as_of, rng.integers(400, 4000, n)),
            # most clients were reviewed within the last 13 months; some are late, a few never reviewed
            # (a child generator, so the rest of the book does not depend on this column)
            "last_review_date": np.where(
                review_rng.random(n) < 0.95,
                _days(ctx.as_of, review_rng.integers(20, 400, n)),
                np.datetime64("NaT"),
            ),
            "defaulted": defaulted,
            "default_date": pd.to_datetime(default_date),
        }
    )
    groups = pd.DataFrame({"group_id": pd.unique(pd.Series(group).dropna())})
    groups["name"] = [
        "ACME Group"
        if g == "G-ACME"
        else f"{NAME_A[int(g.rsplit('-', 1)[-1]) % len(NAME_A)]} Group {g.rsplit('-', 1)[-1]}"
        for g in groups["group_id"]
    ]
    fx = np.array([FX.get(c, 1.0) for c in currency])
    return frame, z, revenue_usd / fx, groups


def _statements(
    ctx: _Ctx, ids: np.ndarray, z: np.ndarray, revenue: np.ndarray, currency: np.ndarray
) -> pd.DataFrame:
    rng, n = ctx.rng, len(ids)
    latest_fy = ctx.as_of.year - 1 if ctx.as_of.month > 4 else ctx.as_of.year - 2
    growth = np.clip(0.04 + 0.06 * z + rng.normal(0, 0.05, n), -0.35, 0.5)
    has_any = rng.random(n) > 0.03
    stale = rng.random(n) < 0.07
    audited = rng.random(n) < 0.6
    frames = []
    for back in range(3):
        keep = has_any & ~(stale & (back == 0))
        rev = revenue / (1 + growth) ** back
        zt = z - 0.15 * back * np.sign(growth)  # improving clients were weaker before, and vice versa
        margin = np.clip(0.09 + 0.045 * zt + rng.normal(0, 0.025, n), -0.2, 0.35)
        ebitda = rev * margin
        assets = rev * rng.uniform(0.6, 1.4, n)
        lev = np.clip(0.55 - 0.13 * zt + rng.normal(0, 0.07, n), 0.12, 1.25)
        liabilities = assets * lev
        debt = liabilities * rng.uniform(0.45, 0.75, n)
        cur_assets = assets * rng.uniform(0.35, 0.55, n)
        cur_ratio = np.clip(1.4 + 0.3 * zt + rng.normal(0, 0.15, n), 0.45, 3.5)
        cogs = rev * np.clip(0.66 - 0.04 * zt, 0.4, 0.9)
        interest = debt * rng.uniform(0.045, 0.08, n)
        net = ebitda - interest - 0.03 * assets
        net = np.where(net > 0, net * 0.76, net)
        frames.append(
            pd.DataFrame(
                {
                    "client_id": ids[keep],
                    "period_end": np.datetime64(f"{latest_fy - back}-12-31"),
                    "period_type": "annual",
                    "currency": currency[keep],
                    "revenue": rev[keep].round(2),
                    "cogs": cogs[keep].round(2),
                    "ebitda": ebitda[keep].round(2),
                    "net_income": net[keep].round(2),
                    "interest_expense": interest[keep].round(2),
                    "total_assets": assets[keep].round(2),
                    "total_liabilities": liabilities[keep].round(2),
                    "current_assets": cur_assets[keep].round(2),
                    "current_liabilities": (cur_assets / cur_ratio)[keep].round(2),
                    "cash": (cur_assets * np.clip(0.15 + 0.04 * zt, 0.02, 0.4))[keep].round(2),
                    "inventory": (cogs * np.clip(60 - 10 * zt, 10, 160) / 365)[keep].round(2),
                    "receivables": (rev * np.clip(50 - 8 * zt, 15, 130) / 365)[keep].round(2),
                    "payables": (cogs * np.clip(45 + 5 * zt, 15, 120) / 365)[keep].round(2),
                    "total_debt": debt[keep].round(2),
                    "equity": (assets - liabilities)[keep].round(2),
                    "operating_cash_flow": (ebitda * rng.uniform(0.6, 0.95, n) - 0.02 * rev * (zt < -1))[
                        keep
                    ].round(2),
                    "audited": audited[keep],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _flows(
    ctx: _Ctx, ids: np.ndarray, z: np.ndarray, revenue: np.ndarray, currency: np.ndarray
) -> pd.DataFrame:
    rng, n = ctx.rng, len(ids)
    months = _month_starts(ctx.as_of, 12)
    has = rng.random(n) > 0.05
    base = revenue / 12 * rng.uniform(0.85, 1.1, n)
    drop = z < -1.1
    out = []
    for k, month in enumerate(months):
        season = 1 + 0.08 * np.sin(2 * np.pi * (month.month / 12) + rng.uniform(0, 0.3))
        factor = np.where(drop & (k >= 9), 0.62, 1.0)
        inflow = base * season * factor * rng.normal(1, 0.07, n)
        outflow = inflow * np.clip(0.98 - 0.02 * z + rng.normal(0, 0.03, n), 0.85, 1.2)
        out.append(
            pd.DataFrame(
                {
                    "client_id": ids[has],
                    "month": np.datetime64(month),
                    "currency": currency[has],
                    "inflows": np.maximum(inflow, 0)[has].round(2),
                    "outflows": np.maximum(outflow, 0)[has].round(2),
                    "avg_balance": (np.maximum(inflow, 0) * np.clip(0.3 + 0.1 * z, 0.02, 0.8))[has].round(2),
                    "bounced_payments": rng.poisson(np.clip(0.04 - 0.12 * z, 0, 3))[has],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _facilities(
    ctx: _Ctx, ids: np.ndarray, z: np.ndarray, revenue: np.ndarray, currency: np.ndarray
) -> pd.DataFrame:
    rng, n = ctx.rng, len(ids)
    count = 1 + (rng.random(n) < 0.45).astype(int) + (rng.random(n) < 0.15).astype(int)
    owner = np.repeat(np.arange(n), count)
    seq = np.concatenate([np.arange(c) for c in count]) + 1
    m = len(owner)
    product = _pick(rng, PRODUCTS, m)
    limit = np.maximum(50_000, np.round(revenue[owner] * rng.uniform(0.04, 0.16, m) / count[owner], -4))
    zf = z[owner]
    util = np.clip(rng.beta(2, 2, m) * 0.6 + 0.5 - 0.17 * zf, 0.0, 0.99)
    util = np.where(zf < -1.9, rng.uniform(0.97, 1.08, m), util)
    opened_days = rng.integers(365, 3000, m)
    opened = _days(ctx.as_of, opened_days)
    term_years = np.where(product == "term_loan", 5, 1)
    maturity = opened + (term_years * 365).astype("timedelta64[D]")
    revolving_like = product != "term_loan"
    # revolving lines renew each year: next anniversary after as_of
    years_since = np.ceil(opened_days / 365).astype(int)
    maturity = np.where(revolving_like, opened + (years_since * 365).astype("timedelta64[D]"), maturity)
    status = np.where(zf < -2.4, "frozen", "active")
    return pd.DataFrame(
        {
            "facility_id": [f"F-{ids[o]}-{s}" for o, s in zip(owner, seq, strict=True)],
            "client_id": ids[owner],
            "product": product,
            "currency": currency[owner],
            "limit_amount": limit,
            "outstanding": np.round(limit * util, 2),
            "opened": opened,
            "maturity": maturity,
            "secured": rng.random(m) < np.where(product == "term_loan", 0.7, 0.3),
            "status": status,
            "_z": zf,
        }
    )


def _repayments(ctx: _Ctx, fac: pd.DataFrame) -> pd.DataFrame:
    rng = ctx.rng
    paying = fac[fac["product"].isin(["term_loan", "revolving", "overdraft"])]
    months = _month_starts(ctx.as_of, 12)[1:] + [dt.date(ctx.as_of.year, ctx.as_of.month, 1)]
    k = len(paying)
    z = paying["_z"].to_numpy()
    out = []
    as_of = np.datetime64(ctx.as_of, "D")
    for i, month in enumerate(months):
        due = np.datetime64(month.replace(day=15), "D")
        if due > as_of:
            continue
        p_late = _sigmoid(-2.6 - 1.5 * z + 0.25 * (i >= 9) * (z < -1))
        late = rng.random(k) < p_late
        severity = rng.choice([5, 15, 35, 65, 95], size=k, p=[0.45, 0.25, 0.15, 0.1, 0.05])
        dpd = np.where(late, np.where(z < -1.5, severity * 1.5, severity), 0).astype(int)
        paid = due + dpd.astype("timedelta64[D]")
        unpaid = paid > as_of
        amount = np.where(
            paying["product"].to_numpy() == "term_loan",
            paying["outstanding"].to_numpy() / 36 + paying["outstanding"].to_numpy() * 0.005,
            paying["outstanding"].to_numpy() * 0.006,
        )
        out.append(
            pd.DataFrame(
                {
                    "facility_id": paying["facility_id"].to_numpy(),
                    "due_date": due,
                    "client_id": paying["client_id"].to_numpy(),
                    "amount_due": np.round(np.maximum(amount, 100.0), 2),
                    "paid_date": np.where(unpaid, np.datetime64("NaT"), paid),
                    "amount_paid": np.where(unpaid, 0.0, np.round(np.maximum(amount, 100.0), 2)),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _signals(ctx: _Ctx, ids: np.ndarray, z: np.ndarray) -> pd.DataFrame:
    rng, n = ctx.rng, len(ids)
    count = rng.poisson(np.clip(0.25 + 0.45 * (z < -1) + 0.3 * (z < -2), 0, 3))
    owner = np.repeat(np.arange(n), count)
    m = len(owner)
    zo = z[owner]
    negative = rng.random(m) < _sigmoid(0.8 - 1.2 * zo)
    neg_cat = np.array(
        ["litigation", "adverse_news", "tax", "rating_change", "management_change", "supplier_feedback"]
    )
    category = np.where(negative, neg_cat[rng.integers(0, len(neg_cat), m)], "positive")
    sev_idx = np.clip((rng.random(m) * 2.2 - 0.6 * zo).astype(int), 0, 3)
    severity = np.where(negative, np.array(["low", "medium", "high", "severe"])[sev_idx], "low")
    summaries = {
        "litigation": "Supplier filed a claim over unpaid invoices",
        "adverse_news": "Local press reports delayed salary payments",
        "tax": "Tax authority lien registered",
        "rating_change": "External rating agency downgrade",
        "management_change": "CFO resigned unexpectedly",
        "supplier_feedback": "Key supplier shortened payment terms",
        "positive": "Won a multi-year contract with a major customer",
    }
    seq = np.concatenate([np.arange(c) for c in count]) if m else np.array([], dtype=int)
    return pd.DataFrame(
        {
            "signal_id": [f"S-{ids[o]}-{s + 1}" for o, s in zip(owner, seq, strict=True)],
            "client_id": ids[owner],
            "signal_date": _days(ctx.as_of, rng.integers(1, 720, m)),
            "source": np.array(["news", "court registry", "rating agency", "supplier survey"])[
                rng.integers(0, 4, m)
            ],
            "category": category,
            "severity": severity,
            "amount": np.where(category == "litigation", np.round(rng.uniform(2e4, 2e6, m), -3), np.nan),
            "summary": [summaries[c] for c in category],
        }
    )


def _covers(ctx: _Ctx, fac: pd.DataFrame) -> pd.DataFrame:
    rng = ctx.rng
    p = np.where(fac["product"].to_numpy() == "trade_credit", 0.7, 0.08)
    take = fac[rng.random(len(fac)) < p]
    m = len(take)
    start_offset = rng.integers(20, 420, m)
    start = _days(ctx.as_of, start_offset)
    expiry = start + np.timedelta64(365, "D")
    as_of = np.datetime64(ctx.as_of, "D")
    return pd.DataFrame(
        {
            "cover_id": [f"IC-{f}" for f in take["facility_id"]],
            "client_id": take["client_id"].to_numpy(),
            "insurer": np.array(INSURERS)[rng.integers(0, len(INSURERS), m)],
            "insured_limit": np.round(take["limit_amount"].to_numpy() * rng.uniform(0.6, 1.0, m), -3),
            "coverage_pct": rng.choice([70.0, 75.0, 80.0, 85.0, 90.0], size=m),
            "currency": take["currency"].to_numpy(),
            "start_date": start,
            "expiry_date": expiry,
            "status": np.where(expiry < as_of, "expired", "active"),
        }
    )


# A few storylines, told contact by contact (oldest first): weak clients work through arrears, strong ones
# grow, the rest are routine relationship management.
STORIES: dict[str, tuple[str, ...]] = {
    "arrears": (
        "Instalment paid late; client cited a delayed receipt from its largest customer.",
        "Second late payment. Asked for aged debtors and a 13-week cash-flow forecast.",
        "Received the cash-flow forecast; agreed a catch-up plan for the arrears over three months.",
        "Catch-up plan partly met; escalated to the team lead and put the client on the watch-list.",
        "Met the owners on site: cost cuts under way, new customer contract signed; arrears still open.",
    ),
    "growth": (
        "Annual review meeting: order book up on last year, margins stable.",
        "Client plans a second production line next year; may request a higher working-capital line.",
        "Site visit: new warehouse operational, inventory turning faster.",
        "Received management accounts for the half-year: revenue ahead of budget.",
        "Discussed a limit increase; asked for the capex plan and updated projections.",
    ),
    "routine": (
        "Discussed trading outlook and seasonal working capital needs.",
        "Reviewed latest management accounts; no concerns raised.",
        "Call on renewal of the credit insurance policy; broker quote expected next month.",
        "Site visit: operations running normally.",
        "Quarterly call: no change in ownership or management; covenants met.",
    ),
}


def _contacts(ctx: _Ctx, clients: pd.DataFrame, z: np.ndarray) -> pd.DataFrame:
    """A contact history per client at a cadence that follows its strength (weaker clients are seen more
    often, as the policy asks), most of them on time, and a storyline told through the notes."""
    rng = ctx.rng
    n = len(clients)
    cadence = np.select(
        [z > 0.5, z > -0.5, z > -1.5], [150, 100, 50], 25
    )  # days; policy: 180 / 120 / 60 / 30
    # the last contact: mostly within the cadence, one in ten late by up to one more cadence; a few never seen
    late = rng.random(n) < 0.1
    last_back = np.where(
        late, cadence + rng.integers(1, 60, n), (rng.random(n) * 0.9 * cadence).astype(int) + 3
    )
    seen = rng.random(n) < 0.97
    story = np.where(z < -1.0, "arrears", np.where(z > 1.0, "growth", "routine"))
    kinds = np.array(["visit", "call", "meeting", "email"])
    rows: list[dict[str, object]] = []
    as_of = pd.Timestamp(ctx.as_of)
    for i in range(n):
        if not seen[i]:
            continue
        cid = int(clients["client_id"].iat[i])
        backs = [int(last_back[i])]
        while backs[-1] + cadence[i] <= 400 and len(backs) < 8:  # about 13 months of history
            backs.append(backs[-1] + int(cadence[i]) + int(rng.integers(-7, 8)))
        lines = STORIES[str(story[i])]
        offset = int(rng.integers(0, len(lines)))
        for k, back in enumerate(reversed(backs)):  # oldest first, so the story reads in order
            date = as_of - pd.Timedelta(days=back)
            rows.append({
                "contact_id": f"C-{cid}-{k + 1}", "client_id": cid, "contact_date": date,
                "kind": kinds[int(rng.integers(0, 4))], "officer_id": clients["officer_id"].iat[i],
                "notes": lines[(k if story[i] != "routine" else k + offset) % len(lines)],
                "next_contact_date": date + pd.Timedelta(days=int(cadence[i])),
            })  # fmt: skip
    columns = ["contact_id", "client_id", "contact_date", "kind", "officer_id", "notes", "next_contact_date"]
    return pd.DataFrame(rows, columns=columns)


def generate_demo(
    engine: Engine,
    *,
    n_clients: int = 300,
    seed: int = 7,
    as_of: dt.date,
    chunk_size: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Write a synthetic book into an empty store (refuses a store that already has clients)."""
    if n_clients < 10:
        raise InvalidInput("the demo needs at least 10 clients", field="clients")
    if n_clients > 5_000_000:
        raise InvalidInput("the demo is capped at 5,000,000 clients", field="clients")
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(ClientRow)).scalar_one():
            raise Conflict("the book already has clients; use a fresh CREDITDESK_HOME for the demo")
    officers, rms_by_team = build_officers(n_clients)
    counts: dict[str, int] = {}

    def put(conn, table: type, frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
        tbl: Table = table.__table__  # type: ignore[attr-defined]
        counts[tbl.name] = counts.get(tbl.name, 0) + bulk_insert(conn, tbl, frame)

    with engine.begin() as conn:
        put(conn, OfficerRow, officers)
        put(
            conn,
            FxRateRow,
            pd.DataFrame({"currency": list(FX), "rate_date": as_of, "rate_to_reporting": list(FX.values())}),
        )
    for chunk, start in enumerate(range(0, n_clients, chunk_size)):
        ctx = _Ctx(rng=np.random.default_rng([seed, chunk]), as_of=as_of, rms_by_team=rms_by_team)
        ids = np.arange(FIRST_CLIENT_ID + start, FIRST_CLIENT_ID + min(n_clients, start + chunk_size))
        clients, z, revenue, groups = _clients(ctx, ids)
        ccy = np.array([dict(INTERNATIONAL).get(c, "USD") for c in clients["country"]])
        fac = _facilities(ctx, ids, z, revenue, ccy)
        with engine.begin() as conn:
            put(conn, ClientGroupRow, groups)
            put(conn, ClientRow, clients)
            put(conn, FacilityRow, fac.drop(columns="_z"))
            put(conn, FinancialStatementRow, _statements(ctx, ids, z, revenue, ccy))
            put(conn, BankFlowRow, _flows(ctx, ids, z, revenue, ccy))
            put(conn, RepaymentEventRow, _repayments(ctx, fac))
            put(conn, ReputationSignalRow, _signals(ctx, ids, z))
            put(conn, InsuranceCoverRow, _covers(ctx, fac))
            put(conn, ContactLogRow, _contacts(ctx, clients, z))
            bump_in(conn)
        if progress:
            progress(len(ids))
    return DemoSummary(clients=n_clients, officers=len(officers), rows=counts, seed=seed, as_of=as_of)
