"""Turn the engine's frames into typed, explained results for one client (and portfolio views).

The same function builds a client's result whether the frames came from a one-client run or from
the whole-book run, which is what makes the two identical.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd

from kernel.catalogue import render
from kernel.errors import NotFound
from kernel.money import quantize
from tools.engine import ews
from tools.engine.concentration import DIMENSIONS, SECTOR_DIMENSIONS, concentration_lines, line_positions
from tools.engine.limits import LABELS
from tools.engine.portfolio import PortfolioAssessment
from tools.engine.results import (
    AdjustmentProposal,
    ClientAssessment,
    ClientRef,
    ConcentrationLine,
    ContactSchedule,
    CoverLine,
    EarlyWarning,
    Exposure,
    FacilityLine,
    FinancialAnalysis,
    FlowAnalysis,
    InsuranceStatus,
    LimitConstraint,
    LimitRecommendation,
    Msg,
    Rating,
    RatioRow,
    ReasonCode,
    RepaymentAnalysis,
    ReputationAnalysis,
    ReviewSchedule,
    ScoreFactor,
    SignalRef,
    Trend,
)  # fmt: skip


def num(value: object) -> float | None:
    if value is None or value is pd.NaT:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    # rounded so a client computed alone and inside the book (different summation order) agree exactly
    return None if math.isnan(f) or math.isinf(f) else round(f, 9)


def money(value: object) -> Decimal | None:
    f = num(value)
    return None if f is None else quantize(f)


def money0(value: object) -> Decimal:
    return money(value) or Decimal("0.00")


def day(value: object) -> dt.date | None:
    """A date, or None for any missing marker (None, NaT, NaN)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def fmt_money(value: float | Decimal | None, ccy: str) -> str:
    return "n/a" if value is None else f"{ccy} {float(value):,.0f}"


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == "%":
        return f"{value:.1%}"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.0f}" + ("" if unit == "count" else f" {unit}")


# --- the text side: coded messages (catalogue key + JSON params), rendered in English for the text fields ---


def _json(value: object) -> object:
    if isinstance(value, Msg):
        return {"key": value.key, "params": value.params}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | np.floating):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _m(key: str, **params: object) -> Msg:
    return Msg(key=key, params={k: _json(v) for k, v in params.items()})


def _en(m: Msg) -> str:
    return render(m, "en")


def _ens(ms: list[Msg]) -> list[str]:
    return [_en(m) for m in ms]


def _unit(value: float | None, unit: str) -> dict[str, object]:
    return {"v": value, "unit": unit}


def _na_reasons(pa: PortfolioAssessment, client_id: int) -> dict[str, str]:
    """Scorecard factors whose value is n/a for a reason shown to the user (the scorecard may still score it)."""
    if client_id not in pa.frames.latest.index:
        return {}
    lt = pa.frames.latest.loc[client_id]
    out = {}
    ebitda = num(lt["annual_ebitda"])
    if ebitda is not None and ebitda <= 0:
        out["debt_to_ebitda"] = "ebitda_not_positive"
    equity = num(lt["equity"])
    if equity is not None and equity <= 0:
        out["debt_to_equity"] = "equity_not_positive"
    return out


def name_of(pa: PortfolioAssessment, client_id: int, dimension: str, bucket: str) -> str:
    """A name-level bucket by name: the client's name, or its group's name (never a bare id)."""
    clients = pa.snapshot.clients
    if dimension == "single_name":
        row = clients[clients["client_id"] == client_id]
        return str(row["name"].iat[0]) if len(row) else bucket
    if bucket.startswith("client:"):
        row = clients[clients["client_id"] == client_id]
        return (str(row["name"].iat[0]) if len(row) else bucket) + " (no group)"
    groups = pa.snapshot.groups
    hit = groups[groups["group_id"] == bucket] if len(groups) else groups
    return str(hit["name"].iat[0]) if len(hit) else bucket


def level_of(rank: int) -> str:
    return {0: "green", 1: "amber", 2: "red"}[rank]


def client_assessment(pa: PortfolioAssessment, client_id: int) -> ClientAssessment:
    snap, policy = pa.snapshot, pa.policy
    ccy = snap.reporting_currency
    clients = snap.clients
    row = clients[clients["client_id"] == client_id]
    if row.empty:
        raise NotFound(f"client {client_id} is not in this assessment")
    c = row.iloc[0]
    officers = (
        snap.officers.set_index("officer_id")["name"] if len(snap.officers) else pd.Series(dtype=object)
    )
    groups = snap.groups.set_index("group_id")["name"] if len(snap.groups) else pd.Series(dtype=object)
    group_id = c["group_id"] if isinstance(c["group_id"], str) else None
    ref = ClientRef(
        client_id=int(c["client_id"]), external_id=c["external_id"] if isinstance(c["external_id"], str) else None,
        name=c["name"], industry=c["industry"], region=c["region"], country=c["country"],
        size_segment=c["size_segment"], status=c["status"], group_id=group_id,
        group_name=groups.get(group_id) if group_id else None, officer_id=c["officer_id"],
        officer_name=officers.get(c["officer_id"]), onboarded=day(c["onboarded"]),
    )  # fmt: skip
    fr = pa.frames
    notes: list[Msg] = []

    # exposure
    fa = fr.facilities[fr.facilities["client_id"] == client_id]
    ex = fr.exposure.loc[client_id]
    lines = [
        FacilityLine(
            facility_id=f.facility_id,
            product=f.product,
            status=f.status,
            secured=bool(f.secured),
            currency=f.currency,
            limit=money0(f.limit_rc),
            outstanding=money0(f.outstanding_rc),
            utilisation=num(f.utilisation),
            ead=money0(f.ead),
            lgd=float(f.lgd),
            insured=money0(f.insured_ead),
            maturity=day(f.maturity),
        )  # fmt: skip
        for f in fa.itertuples()
    ]
    exposure = Exposure(
        currency=ccy, total_limit=money0(ex["total_limit"]), outstanding=money0(ex["outstanding"]),
        utilisation=num(ex["utilisation"]), ead=money0(ex["ead"]), insured=money0(ex["insured"]),
        uninsured=money0(ex["uninsured"]), frozen_facilities=int(ex["frozen_facilities"]), facilities=lines,
    )  # fmt: skip
    if not lines:
        notes.append(_m("engine.note.no_facilities"))
    if int(ex["frozen_facilities"]):
        notes.append(_m("engine.note.frozen", n=int(ex["frozen_facilities"])))

    financials = _financials(pa, client_id)
    notes += financials.note_msgs
    flows = _flows(pa, client_id, ccy)
    notes += flows.note_msgs
    repayment = _repayment(pa, client_id)
    notes += repayment.note_msgs
    reputation = _reputation(pa, client_id)
    rating = _rating(pa, client_id)
    names: dict[str, object] = {"single_name": ref.name,
                                "group": ref.group_name or ref.group_id or _m("engine.name.no_group", name=ref.name)}  # fmt: skip
    limit = _limit(pa, client_id, ccy, names)
    warnings = _warnings(pa, client_id)
    proposal = _proposal(pa, client_id, ccy, limit, warnings)
    industry = c["industry"]
    known = policy.concentration.known_industries
    if known and industry not in known:
        notes.append(_m("engine.note.industry_unknown", bucket=industry))
    return ClientAssessment(
        client=ref, as_of=snap.as_of, policy_version=policy.version, policy_hash=policy.content_hash,
        model_id=rating.model_id, exposure=exposure,
        financials=financials, flows=flows, repayment=repayment, reputation=reputation, rating=rating,
        limit=limit, proposal=proposal, warnings=warnings, ews_level=pa.ews_level.loc[client_id],
        insurance=insurance_status(pa, client_id), concentration=_concentration(pa, client_id),
        review=_review(pa, client_id), contact=_contact(pa, client_id), data_quality=_ens(notes),
        data_quality_msgs=notes,
    )  # fmt: skip


def _financials(pa: PortfolioAssessment, client_id: int) -> FinancialAnalysis:
    rt = pa.frames.ratios
    rows = rt[rt["client_id"] == client_id]
    notes: list[Msg] = []
    if rows.empty:
        none = [_m("engine.note.no_statements")]
        return FinancialAnalysis(notes=_ens(none), note_msgs=none)
    periods = []
    for r in rows.itertuples():
        d = r._asdict()
        periods.append(
            RatioRow(
                period_end=day(r.period_end),
                period_type=r.period_type,
                audited=bool(r.audited),
                currency=r.currency,
                revenue=money(r.revenue),
                ebitda=money(r.ebitda),
                net_income=money(r.net_income),
                total_debt=money(r.total_debt),
                equity=money(r.equity),
                **{
                    k: num(d[k])
                    for k in RatioRow.model_fields
                    if k in d
                    and k
                    not in {
                        "period_end",
                        "period_type",
                        "audited",
                        "currency",
                        "revenue",
                        "ebitda",
                        "net_income",
                        "total_debt",
                        "equity",
                    }
                },
            )  # fmt: skip
        )
    latest = pa.frames.latest.loc[client_id]
    age = num(latest["statement_age_months"])
    stale = bool(latest["statements_stale"])
    if stale:
        notes.append(_m("engine.note.statements_stale", age=age, date=day(latest["period_end"])))
    p0 = periods[0]
    if p0.ebitda is not None and p0.ebitda <= 0:
        notes.append(_m("engine.note.ebitda_not_positive"))
    if p0.equity is not None and p0.equity < 0:
        notes.append(_m("engine.note.negative_equity"))
    if not p0.audited:
        notes.append(_m("engine.note.unaudited"))
    trends = []
    series = list(reversed(periods))
    for metric, better in (("revenue", 1), ("ebitda_margin", 1), ("debt_to_ebitda", -1), ("current_ratio", 1),
                           ("interest_coverage", 1)):  # fmt: skip
        vals = [num(getattr(p, metric)) for p in series]
        vals = [v for v in vals if v is not None]
        if len(vals) < 2:
            m = _m("engine.trend.too_few", metric=metric)
            trends.append(Trend(metric=metric, direction="n/a", text=_en(m), msg=m))
            continue
        first, last = vals[0], vals[-1]
        change = (last - first) / abs(first) if first else None
        if change is None or abs(change) < 0.05:
            direction = "stable"
        else:
            direction = "improving" if change * better > 0 else "deteriorating"
        unit = {"revenue": "count", "ebitda_margin": "%"}.get(metric, "x")
        m = _m("engine.trend.moved", metric=metric, direction=direction, n=len(vals), first=_unit(first, unit),
               last=_unit(last, unit))  # fmt: skip
        trends.append(Trend(metric=metric, direction=direction, first=first, last=last, text=_en(m), msg=m))
    return FinancialAnalysis(
        periods=periods, trends=trends, latest_period_end=day(latest["period_end"]),
        statement_age_months=None if age is None else int(age), stale=stale, notes=_ens(notes), note_msgs=notes,
    )  # fmt: skip


def _flows(pa: PortfolioAssessment, client_id: int, ccy: str) -> FlowAnalysis:
    if client_id not in pa.frames.flows.index:
        none = [_m("engine.note.no_flows")]
        return FlowAnalysis(notes=_ens(none), note_msgs=none)
    f = pa.frames.flows.loc[client_id]
    notes: list[Msg] = []
    if bool(f["flows_stale"]):
        notes.append(_m("engine.note.flows_stale", month=f"{day(f['flow_last_month']):%Y-%m}"))
    return FlowAnalysis(
        months=int(f["flow_months"]), first_month=day(f["flow_first_month"]), last_month=day(f["flow_last_month"]),
        avg_monthly_inflow=money(f["avg_monthly_inflow"]), avg_monthly_outflow=money(f["avg_monthly_outflow"]),
        net_flow=money(f["net_flow"]), inflow_trend=num(f["inflow_trend"]),
        inflow_volatility=num(f["inflow_volatility"]), bounced_payments_12m=int(f["bounced_payments_12m"]),
        notes=_ens(notes), note_msgs=notes,
    )  # fmt: skip


def _repayment(pa: PortfolioAssessment, client_id: int) -> RepaymentAnalysis:
    if client_id not in pa.frames.repayment.index:
        none = [_m("engine.note.no_instalments")]
        return RepaymentAnalysis(notes=_ens(none), note_msgs=none)
    r = pa.frames.repayment.loc[client_id]

    def i(v: object) -> int | None:
        f = num(v)
        return None if f is None else int(f)

    return RepaymentAnalysis(
        instalments_12m=int(r["instalments_12m"]), current_dpd=i(r["current_dpd"]), max_dpd_12m=i(r["max_dpd_12m"]),
        late_30_count_12m=i(r["late_30_count_12m"]), late_60_count_12m=i(r["late_60_count_12m"]),
        late_90_count_12m=i(r["late_90_count_12m"]), on_time_ratio=num(r["on_time_ratio"]),
        cures_12m=i(r["cures_12m"]),
    )  # fmt: skip


def _reputation(pa: PortfolioAssessment, client_id: int) -> ReputationAnalysis:
    sg = pa.frames.signals[pa.frames.signals["client_id"] == client_id]
    if sg.empty:
        none = [_m("engine.note.no_signals")]
        return ReputationAnalysis(score=0.0, notes=_ens(none), note_msgs=none)
    refs = [
        SignalRef(
            signal_id=s.signal_id,
            signal_date=day(s.signal_date),
            category=s.category,
            severity=s.severity,
            source=s.source,
            summary=s.summary,
            weight=round(float(s.weight), 4),
        )  # fmt: skip
        for s in sg.head(5).itertuples()
    ]
    return ReputationAnalysis(
        score=round(max(float(sg["weight"].sum()), 0.0), 4), signals=len(sg), adverse_signals=int(sg["adverse"].sum()),
        recent=refs,
    )  # fmt: skip


def _rating(pa: PortfolioAssessment, client_id: int) -> Rating:
    policy = pa.policy
    r = pa.rating.loc[client_id]
    feats = pa.frames.features.loc[client_id]
    factors, reasons = [], []
    by_name = {f.name: f for f in policy.scorecard.factors}
    na = _na_reasons(pa, client_id)
    for f in policy.scorecard.factors:
        value = None if f.name in na else num(feats[f.name])
        pts = float(r[f"pts_{f.name}"])
        shown_c = _m(f"engine.na.{na[f.name]}") if f.name in na else _unit(value, f.unit)
        fm = _m("engine.factor.points", factor=f.name, shown=shown_c, points=pts, max=f.max_points)
        text = _en(fm)
        factors.append(
            ScoreFactor(
                name=f.name,
                label=f.label,
                value=value,
                points=pts,
                max_points=f.max_points,
                text=text,
                msg=fm,
                na_reason=na.get(f.name),
            )  # fmt: skip
        )
    for k in (1, 2, 3):
        name = r[f"reason_{k}"]
        if not isinstance(name, str):
            continue
        f = by_name.get(name)
        lost = float(r[f"lost_{name}"]) if f is not None else 0.0
        unit = f.unit if f else "x"
        shown_c = _m(f"engine.na.{na[name]}") if name in na else _unit(num(feats.get(name)), unit)
        rm = _m("engine.reason.factor", factor=name, shown=shown_c, lost=lost)
        reasons.append(ReasonCode(code=name, text=_en(rm), points_lost=lost, msg=rm))
    grade = int(r["grade"])
    prev = pa.previous["grade"].get(client_id) if len(pa.previous) else None
    prev_date = pa.previous["run_date"].get(client_id) if len(pa.previous) else None
    if bool(r["in_default"]):
        reasons.insert(
            0,
            ReasonCode(
                code="in_default",
                text=_en(dm := _m("engine.reason.in_default", dpd=policy.rating.default_dpd)),
                points_lost=0.0,
                msg=dm,
            ),  # fmt: skip
        )
    behaviour_only = bool(r.get("no_statements", False))
    capped = bool(r.get("grade_capped", False))
    cap = policy.rating.no_statements_best_grade
    notes: list[Msg] = []
    if behaviour_only:
        notes.append(_m("engine.rating.no_statements_capped", grade=cap) if cap is not None
                     else _m("engine.rating.no_statements"))  # fmt: skip
        reasons.insert(0, ReasonCode(code="no_statements", text=_en(notes[0]), points_lost=0.0, msg=notes[0]))
    return Rating(
        behaviour_only=behaviour_only, grade_capped_at=cap if capped else None, notes=_ens(notes), note_msgs=notes,
        model_id=str(r["model_id"]), score=round(float(r["score"]), 2), grade=grade,
        grade_name=policy.rating.band(grade).name, pd=float(r["pd"]), lgd=round(float(r["lgd"]), 6),
        ead=money0(r["ead"]), el=money0(r["el"]), factors=factors, reason_codes=reasons,
        previous_grade=None if num(prev) is None else int(prev), previous_run=day(prev_date),
    )  # fmt: skip


def _limit(
    pa: PortfolioAssessment, client_id: int, ccy: str, names: dict[str, object]
) -> LimitRecommendation:
    lp = pa.policy.limits
    r = pa.limits.loc[client_id]
    grade = int(pa.rating.loc[client_id, "grade"])
    cap = lp.caps_by_grade[grade - 1]
    binding = r["binding"] if isinstance(r["binding"], str) else None

    def m(v: object) -> str:
        return fmt_money(num(v), ccy)

    def ins(k: str) -> Msg | str:
        up = num(r["uplift_" + k]) or 0.0
        return _m("engine.limit.uplift", amount=m(up)) if up > 0 else ""

    term = m(r["term_outstanding"])
    expl: dict[str, Msg] = {
        "need": (
            _m("engine.limit.need_statements", revenue=m(r["revenue_rc"]), ccc=num(r["ccc_used"]) or 0.0,
               buffer=lp.need.buffer, term=term)
            if r["need_basis"] == "statements"
            else _m("engine.limit.need_flows", months=lp.need.flow_months, buffer=lp.need.buffer, term=term)
            if r["need_basis"] == "flows"
            else _m("engine.limit.need_none")
        ),
        "cap_ebitda": _m("engine.limit.cap_ebitda", grade=grade, multiple=f"{cap.ebitda_multiple}",
                         amount=m(r["ebitda_rc"]), uplift=ins("ebitda"))
        if num(r["ebitda_rc"]) is not None
        else _m("engine.limit.cap_ebitda_na"),
        "cap_revenue": _m("engine.limit.cap_revenue", grade=grade, share=cap.revenue_share,
                          amount=m(r["revenue_rc"]), uplift=ins("revenue"))
        if num(r["revenue_rc"]) is not None and cap.revenue_share is not None
        else _m("engine.limit.cap_revenue_na"),
        "cap_equity": _m("engine.limit.cap_equity", grade=grade, multiple=f"{cap.equity_multiple}",
                         amount=m(r["equity_rc"]), uplift=ins("equity"))
        if num(r["equity_rc"]) is not None and cap.equity_multiple is not None
        else _m("engine.limit.cap_equity_na"),
        "cap_flows": _m("engine.limit.cap_flows", grade=grade, share=cap.flow_share,
                        amount=m(r["annual_inflow_rc"]), uplift=ins("flows"))
        if num(r["cap_flows"]) is not None
        else _m("engine.limit.cap_flows_na"),
        "no_increase": _m("engine.limit.no_increase", grade=grade, from_grade=lp.no_increase_from_grade)
        if num(r["no_increase"]) is not None
        else _m("engine.limit.no_increase_na", grade=grade),
    }  # fmt: skip
    findings: dict[str, str] = {}
    binds_dim: dict[str, str] = {}
    h = pa.headroom.loc[client_id]
    cur = float(r["current_limit"])
    for dim in DIMENSIONS:
        bucket, lim = h[f"bucket_{dim}"], float(h[f"limit_{dim}"])
        label = dim  # a code: the renderer names it in the reader's language
        if dim in SECTOR_DIMENSIONS:
            if bool(r[f"over_cap_{dim}"]):
                findings[f"conc_{dim}"] = "sector_over_cap"
                expl[f"conc_{dim}"] = _m("constraint.conc_sector_over_cap", dimension=label, bucket=bucket,
                                         share=float(h[f"share_{dim}"]), limit=lim)  # fmt: skip
            else:
                expl[f"conc_{dim}"] = _m("constraint.conc_sector_room", dimension=label, bucket=bucket, ccy=ccy,
                                         room=max(float(r[f"conc_{dim}"]) - cur, 0.0), limit=lim)  # fmt: skip
            continue
        name = names[dim]
        by_book, by_cap = float(h[f"bybook_{dim}"]), num(h[f"bycapital_{dim}"])
        cap_share = getattr(pa.policy.concentration, dim).max_share_of_capital
        if by_cap is None or cap_share is None:
            binds_dim[f"conc_{dim}"] = "book"
            expl[f"conc_{dim}"] = _m("constraint.conc_name_book", dimension=label, name=name,
                                     book_limit=f"{lim:.1%}", ccy=ccy, cap=by_book)  # fmt: skip
        else:
            which = "book" if by_book <= by_cap else "capital"
            binds_dim[f"conc_{dim}"] = which
            expl[f"conc_{dim}"] = _m("constraint.conc_name", dimension=label, name=name, book_limit=f"{lim:.1%}",
                                     ccy=ccy, by_book=by_book, capital_limit=f"{cap_share:.1%}", by_capital=by_cap,
                                     binds=_m(f"constraint.dim.{which}"), cap=min(by_book, by_cap))  # fmt: skip
    constraints = [
        LimitConstraint(name=k, label=LABELS[k], value=money(r[k]), binds=(k == binding), explanation=_en(expl[k]),
                        explanation_msg=expl[k], finding=findings.get(k), binding_dimension=binds_dim.get(k))  # type: ignore[arg-type]
        for k in LABELS
    ]  # fmt: skip
    rec = money(r["recommended"])
    if rec is None:
        why = _m("engine.limit.no_recommendation", need=expl["need"])
    else:
        why = _m("engine.limit.recommended_below_minimum" if bool(r["below_minimum"]) else "engine.limit.recommended",
                 amount=fmt_money(rec, ccy), constraint=binding, raw=m(r["raw_recommended"]),
                 rounding=fmt_money(lp.rounding, ccy), minimum=fmt_money(lp.minimum, ccy))  # fmt: skip
    return LimitRecommendation(current_limit=money0(r["current_limit"]), recommended=rec, binding=binding,
                               constraints=constraints, explanation=_en(why), explanation_msg=why)  # fmt: skip


def _warnings(pa: PortfolioAssessment, client_id: int) -> list[EarlyWarning]:
    w = ews.with_messages(pa.warnings[pa.warnings["client_id"] == client_id])
    return [
        EarlyWarning(
            indicator=x.indicator,
            level=x.level,
            value=num(x.value),
            threshold=num(x.threshold),
            date=day(x.date),
            message=x.message,
            msg=Msg(**x.msg) if isinstance(x.msg, dict) else None,
        )  # fmt: skip
        for x in w.itertuples()
    ]


def _proposal(pa: PortfolioAssessment, client_id: int, ccy: str, limit: LimitRecommendation,
              warnings: list[EarlyWarning]) -> AdjustmentProposal:  # fmt: skip
    ap = pa.policy.adjustment
    p = pa.proposals.loc[client_id]
    feats = pa.frames.features.loc[client_id]
    grade = int(pa.rating.loc[client_id, "grade"])
    reasons: list[Msg] = []
    if p["t_default"]:
        reasons.append(_m("engine.proposal.in_default", dpd=pa.policy.rating.default_dpd))
    if p["t_freeze_dpd"]:
        reasons.append(
            _m("engine.proposal.freeze_dpd", dpd=num(feats["current_dpd"]), threshold=ap.freeze_dpd)
        )
    if p["t_red"]:
        reds = [w for w in warnings if w.level == "red" and w.indicator in ap.freeze_on_red]
        reasons += [_m("engine.proposal.red_warning", warning=w.msg if w.msg is not None else w.message)
                    for w in reds]  # fmt: skip
    if p["t_downgrade"]:
        reasons.append(_m("engine.proposal.downgrade", n=num(p["notches"])))
    rec = limit.recommended
    cur = limit.current_limit
    if p["t_over"]:
        reasons.append(_m("engine.proposal.over", current=fmt_money(cur, ccy), recommended=fmt_money(rec, ccy),
                          gap=ap.decrease_gap))  # fmt: skip
    if p["action"] == "increase":
        reasons.append(_m("engine.proposal.increase", recommended=fmt_money(rec, ccy), current=fmt_money(cur, ccy),
                          gap=ap.increase_gap, grade=grade, util=num(feats["utilisation"]) or 0.0))  # fmt: skip
    elif p["action"] == "maintain":
        if rec is None:
            reasons.append(_m("engine.proposal.no_basis"))
        elif p["t_under"]:
            blockers = []
            if not p["t_grade_ok"]:
                blockers.append(_m("engine.proposal.blocker.grade", grade=grade, max=ap.increase_max_grade))
            if not p["t_green"]:
                blockers.append(_m("engine.proposal.blocker.warnings"))
            if not p["t_used"]:
                blockers.append(_m("engine.proposal.blocker.utilisation", min=ap.increase_min_utilisation))
            reasons.append(_m("engine.proposal.room_but", blockers=blockers))
        else:
            reasons.append(
                _m("engine.proposal.in_line", current=fmt_money(cur, ccy), recommended=fmt_money(rec, ccy))
            )
        if pa.frames.exposure.loc[client_id, "frozen_facilities"] > 0:
            reasons.append(_m("engine.proposal.consider_unfreeze"))
    elif p["action"] == "freeze" and pa.frames.exposure.loc[client_id, "frozen_facilities"] > 0:
        reasons.append(_m("engine.proposal.stay_frozen"))
    findings: list[str] = []
    for c in limit.constraints:
        if c.finding == "sector_over_cap":
            dim = c.name.removeprefix("conc_")
            findings.append("segment_over_cap")
            reasons.append(_m("engine.proposal.segment_over_cap", dimension=dim,
                              bucket=pa.headroom.loc[client_id, f"bucket_{dim}"]))  # fmt: skip
    drawn = money0(pa.frames.exposure.loc[client_id, "outstanding"])
    reduction = None
    if rec is not None and drawn > rec:
        reduction = drawn - rec
        findings.append("reduction_plan")
        reasons.append(_m("engine.proposal.reduction_plan", ccy=ccy, outstanding=drawn, recommended=rec,
                          reduce=reduction))  # fmt: skip
    return AdjustmentProposal(
        action=p["action"],
        current_limit=cur,
        target_limit=money(p["target"]),
        reasons=_ens(reasons),
        reason_msgs=reasons,
        reduction_needed=reduction,
        findings=findings,
    )


def insurance_status(pa: PortfolioAssessment, client_id: int) -> InsuranceStatus:
    ins = pa.policy.insurance
    ex = pa.frames.exposure.loc[client_id]
    cv = pa.frames.covers[pa.frames.covers["client_id"] == client_id]
    covers = [
        CoverLine(
            cover_id=x.cover_id,
            insurer=x.insurer,
            status=("active" if x.active else "expired" if x.days_to_expiry < 0 else x.status),
            insured_limit=money0(x.insured_limit_rc),
            coverage=float(x.coverage_pct) / 100.0,
            effective_cover=money0(x.effective_cover),
            start_date=day(x.start_date),
            expiry_date=day(x.expiry_date),
            days_to_expiry=int(x.days_to_expiry) if x.days_to_expiry >= 0 else None,
            expired_days_ago=int(-x.days_to_expiry) if x.days_to_expiry < 0 else None,
        )  # fmt: skip
        for x in cv.itertuples()
    ]
    exposure = float(ex["insurance_exposure"])
    insured = float(ex["insured"])
    required = bool(pa.insurance_required.loc[client_id])
    ratio = insured / exposure if exposure > 0 else None
    gap = max(ins.min_cover_ratio * exposure - insured, 0.0) if required else 0.0
    expiring = [
        c.cover_id for c in covers if c.status == "active" and (c.days_to_expiry or 0) <= ins.expiring_days
    ]
    notes: list[Msg] = []
    if required:
        notes.append(_m("engine.note.cover_required", ratio=ins.min_cover_ratio))
    if gap > 0:
        notes.append(_m("engine.note.cover_gap", gap=gap, ccy=pa.snapshot.reporting_currency))
    if not covers:
        notes.append(_m("engine.note.no_cover"))
    return InsuranceStatus(
        client_id=client_id, as_of=pa.as_of, exposure=money0(exposure), insured=money0(insured),
        uninsured=money0(exposure - insured), cover_ratio=ratio, required=required,
        required_ratio=ins.min_cover_ratio if required else None, gap=money0(gap), covers=covers,
        expiring=expiring, notes=_ens(notes), note_msgs=notes,
    )  # fmt: skip


def line_models(lines: pd.DataFrame) -> list[ConcentrationLine]:
    return [
        ConcentrationLine(
            dimension=x.dimension,
            bucket=x.bucket,
            exposure=money0(x.exposure),
            share=float(x.share),
            limit_share=float(x.limit_share),
            share_of_capital=num(x.share_of_capital),
            limit_share_of_capital=num(x.limit_share_of_capital),
            level=x.level,
            headroom=money(x.headroom),
        )  # fmt: skip
        for x in lines.itertuples()
    ]


def client_lines(
    pa: PortfolioAssessment, client_id: int, lines: pd.DataFrame | None = None
) -> list[ConcentrationLine]:
    keys = (
        [(dim, str(pa.book.frame.loc[client_id, dim])) for dim in DIMENSIONS]
        if client_id in pa.book.frame.index
        else []
    )
    if lines is None:  # the book's lines are computed once and indexed: a lookup per dimension
        rows = line_positions(pa.book, pa.policy)
        book_lines = concentration_lines(pa.book, pa.policy)
        return line_models(book_lines.iloc[[rows[k] for k in keys if k in rows]])
    mask = np.zeros(len(lines), dtype=bool)
    for dim, bucket in keys:
        mask |= ((lines["dimension"] == dim) & (lines["bucket"] == bucket)).to_numpy()
    return line_models(lines[mask])


def _concentration(pa: PortfolioAssessment, client_id: int) -> list[ConcentrationLine]:
    return client_lines(pa, client_id)


def _review(pa: PortfolioAssessment, client_id: int) -> ReviewSchedule:
    r = pa.review.loc[client_id]
    src = r["last_review_source"]
    note = (_m("engine.note.review_recorded", date=day(r["last_review"]), months=int(r["review_months"]))
            if src == "recorded" else _m("engine.note.review_cycle", months=int(r["review_months"])))  # fmt: skip
    return ReviewSchedule(
        frequency_months=int(r["review_months"]), last_review=day(r["last_review"]), last_review_source=src,
        next_due=day(r["next_review"]), overdue=bool(r["review_overdue"]),
        days_overdue=int(r["review_days_overdue"]), note=_en(note), note_msg=note,
    )  # fmt: skip


def _contact(pa: PortfolioAssessment, client_id: int) -> ContactSchedule:
    r = pa.contact.loc[client_id]
    last = day(r["last_contact"])
    planned = day(r["planned_contact"])
    plan = _m("engine.note.contact_planned", date=planned) if planned else ""
    note = (_m("engine.note.contact_last", date=last, kind=r["last_contact_kind"], days=int(r["contact_days"]),
               planned=plan)
            if last else _m("engine.note.contact_none", planned=plan))  # fmt: skip
    return ContactSchedule(
        frequency_days=int(r["contact_days"]), last_contact=last,
        last_kind=r["last_contact_kind"] if isinstance(r["last_contact_kind"], str) else None, planned=planned,
        next_due=day(r["next_contact"]), overdue=bool(r["contact_overdue"]),
        days_overdue=int(r["contact_days_overdue"]), note=_en(note), note_msg=note,
    )  # fmt: skip
