"""Reply text built from tool results. Every number printed here comes from the result passed in."""

from __future__ import annotations

from typing import Any

from bot.facts import money, num, pct
from tools.assistant_tools.models import (
    ApprovalList,
    ApprovalStatus,
    ClientList,
    ClientProfile,
    ClientWarnings,
    ContactsDue,
    ExposureView,
    LimitAdvice,
    MemoDraft,
    PolicySearch,
    PreparedApproval,
    ReviewsDue,
    ReviewStatus,
    Watchlist,
)
from tools.engine.results import ConcentrationReport, FinancialAnalysis, InsuranceStatus, Rating, WhatIfResult

MAX_ROWS = 10

CAPABILITIES = (
    "I can answer, for the clients you may see: a client's profile, limits and utilisation, financial ratios, "
    "rating / PD / expected loss with reasons, the recommended limit and adjustment, what-if limit changes "
    "(concentration effects), early warnings and your watch-list, reviews and contacts due, insurance cover, "
    "the concentration report, policy questions (with citations), drafting a review memo, preparing a limit "
    "request for you to confirm, and your pending approvals.\n"
    'Try: "what is ACME\'s utilisation and is it due for review?", "which of my clients need attention?", '
    '"raise it to 3M".'
)


def _rows(lines: list[str], total: int) -> list[str]:
    if total > len(lines):
        lines.append(f"… and {total - len(lines)} more")
    return lines


def exposure(r: ExposureView) -> list[str]:
    e = r.exposure
    lines = [
        f"{r.name} ({r.client_id}): limits {money(e.total_limit, e.currency)}, outstanding "
        f"{money(e.outstanding, e.currency)} — utilisation {pct(e.utilisation)}. EAD {money(e.ead, e.currency)}, "
        f"insured {money(e.insured, e.currency)}."
    ]
    if e.frozen_facilities:
        lines.append(f"{e.frozen_facilities} facility(ies) frozen.")
    for f in e.facilities[:MAX_ROWS]:
        lines.append(f"  • {f.facility_id} {f.product} ({f.status}): limit {money(f.limit, e.currency)}, "
                     f"outstanding {money(f.outstanding, e.currency)}, utilisation {pct(f.utilisation)}")  # fmt: skip
    return lines


def review_status(r: ReviewStatus) -> list[str]:
    rv = r.review
    last = f"last review {rv.last_review}" if rv.last_review else "no review on record"
    if rv.overdue:
        return [f"Review of {r.name}: OVERDUE by {rv.days_overdue} days (was due {rv.next_due}; {last}; "
                f"every {rv.frequency_months} months)."]  # fmt: skip
    return [
        f"Review of {r.name}: next due {rv.next_due} ({last}; every {rv.frequency_months} months) — not overdue."
    ]


def rating(r: Rating, name: str) -> list[str]:
    lines = [f"{name}: grade {r.grade} ({r.grade_name}), score {num(r.score, 0)}, PD {pct(r.pd, 2)}, "
             f"LGD {pct(r.lgd, 0)}, expected loss {money(r.el, '')} (model {r.model_id})."]  # fmt: skip
    if r.previous_grade is not None and r.previous_grade != r.grade:
        lines.append(f"Grade moved from {r.previous_grade} at the review of {r.previous_run}.")
    if r.reason_codes:
        lines.append("Main reasons:")
        lines += [f"  • {c.text}" for c in r.reason_codes[:4]]
    return lines


def financials(r: FinancialAnalysis, name: str, period_label: str | None) -> list[str]:
    if not r.periods:
        scope = f" for {period_label}" if period_label else ""
        return [f"No financial statements for {name}{scope}."]
    p = r.periods[0]
    head = f"{name} — statement {p.period_end} ({p.period_type}{', audited' if p.audited else ''})"
    lines = [
        head + (f", period {period_label}" if period_label else "") + ":",
        f"  revenue {money(p.revenue, p.currency)}, EBITDA {money(p.ebitda, p.currency)}, EBITDA margin "
        f"{pct(p.ebitda_margin)}, revenue growth {pct(p.revenue_growth)}",
        f"  debt/EBITDA {num(p.debt_to_ebitda)}x, current ratio {num(p.current_ratio)}, DSCR {num(p.dscr)}, "
        f"interest coverage {num(p.interest_coverage)}",
    ]
    lines += [f"  • {t.text}" for t in r.trends[:4]]
    if r.stale:
        lines.append(f"Statements are stale ({r.statement_age_months} months old).")
    return lines


def limit(r: LimitAdvice, name: str) -> list[str]:
    rec, prop, ccy = r.recommendation, r.proposal, r.currency
    lines = [f"{name}: current limit {money(rec.current_limit, ccy)}, recommended {money(rec.recommended, ccy)}"
             + (f" (binding: {rec.binding})" if rec.binding else "") + "."]  # fmt: skip
    lines += [f"  • {c.label}: {money(c.value, ccy)}{' ← binds' if c.binds else ''}" for c in rec.constraints]
    target = f" to {money(prop.target_limit, ccy)}" if prop.target_limit is not None else ""
    lines.append(
        f"Proposal: {prop.action}{target}." + (f" Reasons: {'; '.join(prop.reasons)}" if prop.reasons else "")
    )
    return lines


def what_if(r: WhatIfResult, name: str) -> list[str]:
    lines = [f"What if {name}'s limit went from {money(r.current_limit, '')} to {money(r.new_limit, '')}: "
             f"{'within' if r.within_recommendation else 'ABOVE'} the recommendation "
             f"({money(r.recommended, '')}); group exposure after {money(r.group_exposure_after, '')}."]  # fmt: skip
    lines += [f"  • {m}" for m in r.messages]
    if r.breaches_after:
        lines.append(
            "Concentration breaches after: "
            + ", ".join(f"{b.dimension} {b.bucket}" for b in r.breaches_after)
        )
    return lines


def warnings(r: ClientWarnings) -> list[str]:
    if not r.warnings:
        return [f"{r.name} is {r.level}: no early-warning indicator is triggered."]
    lines = [f"{r.name} is {r.level.upper()} because of {len(r.warnings)} indicator(s):"]
    lines += [
        f"  • [{w.level}] {w.message}" + (f" ({w.date})" if w.date else "") for w in r.warnings[:MAX_ROWS]
    ]
    return lines


def watchlist(r: Watchlist) -> list[str]:
    if not r.items:
        return ["No client in your scope has amber or red warnings."]
    lines = [f"{len(r.items)} client(s) need attention:"]
    for w in r.items[:MAX_ROWS]:
        first = f" — {w.warnings[0].message}" if w.warnings else ""
        lines.append(
            f"  • {w.name} ({w.client_id}): {w.ews_level}, grade {w.grade}, limits {money(w.exposure, '')}{first}"
        )
    return _rows(lines, len(r.items) + 1)


def reviews_due(r: ReviewsDue) -> list[str]:
    if not r.items:
        return [f"No reviews overdue or due in the next {r.horizon_days} days."]
    overdue = sum(i.overdue for i in r.items)
    lines = [f"{len(r.items)} review(s) overdue or due within {r.horizon_days} days ({overdue} overdue):"]
    for i in r.items[:MAX_ROWS]:
        state = f"overdue {i.days_overdue} d" if i.overdue else f"due {i.next_due}"
        lines.append(f"  • {i.name} ({i.client_id}): {state}, grade {i.grade}, {i.ews_level}")
    return _rows(lines, len(r.items) + 1)


def contacts_due(r: ContactsDue) -> list[str]:
    if not r.items:
        return [f"No client contacts due in the next {r.horizon_days} days."]
    lines = [f"{len(r.items)} contact(s) due within {r.horizon_days} days:"]
    for i in r.items[:MAX_ROWS]:
        state = f"overdue {i.days_overdue} d" if i.overdue else f"due {i.next_due}"
        lines.append(f"  • {i.name} ({i.client_id}): {state}, last contact {i.last_contact or 'never'}")
    return _rows(lines, len(r.items) + 1)


def contact(r: ClientProfile) -> list[str]:
    c = r.contact
    state = f"OVERDUE by {c.days_overdue} days" if c.overdue else f"next due {c.next_due}"
    last = f"last {c.last_kind or 'contact'} {c.last_contact}" if c.last_contact else "no contact on record"
    return [f"Contact with {r.client.name}: {state} ({last}; every {c.frequency_days} days)."]


def insurance(r: InsuranceStatus, name: str) -> list[str]:
    lines = [f"{name}: exposure {money(r.exposure, '')}, insured {money(r.insured, '')}, uninsured "
             f"{money(r.uninsured, '')} (cover ratio {pct(r.cover_ratio)})."]  # fmt: skip
    if r.required:
        lines.append(f"Policy requires {pct(r.required_ratio)} cover; gap {money(r.gap, '')}.")
    for c in r.covers[:MAX_ROWS]:
        left = (
            f"in {c.days_to_expiry} d"
            if c.days_to_expiry is not None
            else f"expired {c.expired_days_ago} d ago"
        )
        lines.append(f"  • {c.insurer} ({c.status}): {pct(c.coverage, 0)} of {money(c.insured_limit, '')}, "
                     f"expires {c.expiry_date} ({left})")  # fmt: skip
    if r.expiring:
        lines.append("Expiring soon: " + ", ".join(r.expiring))
    return lines


def concentration(r: ConcentrationReport) -> list[str]:
    hhi = ", ".join(f"{k} {v:.3f}" for k, v in r.hhi.items())
    lines = [
        f"Book limits {money(r.total_limits, '')} as of {r.as_of} (policy {r.policy_version}); HHI: {hhi}."
    ]
    if r.breaches:
        lines.append("Breaches:")
        lines += [
            f"  • {b.dimension} {b.bucket}: {pct(b.share)} (limit {pct(b.limit_share)})" for b in r.breaches
        ]
    else:
        lines.append("No concentration limit is breached.")
    top = [ln for ln in r.lines if ln.dimension == "industry"][:5]
    lines += [
        f"  • industry {ln.bucket}: {pct(ln.share)} (limit {pct(ln.limit_share)}, {ln.level})" for ln in top
    ]
    return lines


def policy(r: PolicySearch, start: int) -> list[str]:
    if not r.passages:
        return [f'The policy documents have nothing on "{r.query}".']
    lines = ["From the policy documents:"]
    for i, p in enumerate(r.passages[:3]):
        excerpt = " ".join(p.text.split())[:240]
        lines.append(f"  • {excerpt} [{start + i}]")
    return lines


def profile(r: ClientProfile) -> list[str]:
    c = r.client
    return [
        f"{c.name} ({c.client_id}) — {c.industry}, {c.region}; officer {c.officer_id}.",
        f"  Limits {money(r.total_limit, r.currency)}, outstanding {money(r.outstanding, r.currency)} "
        f"(utilisation {pct(r.utilisation)}); grade {r.grade} ({r.grade_name}), PD {pct(r.pd, 2)}; "
        f"early warnings {r.ews_level} ({r.warnings}); proposal: {r.proposal}.",
        f"  Next review {r.review.next_due}{' (OVERDUE)' if r.review.overdue else ''}; next contact "
        f"{r.contact.next_due}{' (OVERDUE)' if r.contact.overdue else ''}.",
    ]


def client_list(r: ClientList, title: str) -> list[str]:
    if not r.clients:
        return ["No clients found."]
    lines = [title]
    lines += [
        f"  • {c.name} ({c.client_id}) — {c.industry}, {c.region}, officer {c.officer_id}"
        for c in r.clients[:25]
    ]
    return _rows(lines, len(r.clients) + 1)


def memo(r: MemoDraft, name: str) -> list[str]:
    version = f" version {r.version}" if r.version is not None else ""
    return [
        f"Drafted the review memo for {name}: memo {r.memo_id}{version} (a draft — nothing was submitted)."
    ]


def prepared(r: PreparedApproval, name: str) -> list[str]:
    target = f" to {money(r.new_limit, '')}" if r.new_limit is not None else ""
    lines = [f"Prepared a {r.kind} request for {name}{target} — not raised yet."]
    chain = r.details.get("approval_chain") or r.details.get("chain") or r.details.get("steps")
    if isinstance(chain, list) and chain:
        lines.append("Approval chain: " + " → ".join(_step(s) for s in chain))
    for key in ("exceptions", "messages"):
        if isinstance(r.details.get(key), list):
            lines += [f"  • {m}" for m in r.details[key] if isinstance(m, str)]
    lines.append("Confirm to raise it.")
    return lines


def _step(step: Any) -> str:
    if isinstance(step, dict):
        return str(step.get("name") or step.get("label") or step.get("level"))
    return str(step)


def _request_line(r: dict[str, Any]) -> str:
    rid = r.get("request_id") or r.get("id")
    what = r.get("kind", "request")
    target = f" to {money(r['new_limit'], '')}" if r.get("new_limit") is not None else ""
    who = r.get("client_name") or r.get("client_id")
    return f"  • {rid}: {what} for {who}{target} — {r.get('status', '?')}"


def approvals(r: ApprovalList) -> list[str]:
    lines = [f"Awaiting your decision: {len(r.awaiting_my_decision)}."]
    lines += [_request_line(x) for x in r.awaiting_my_decision[:MAX_ROWS]]
    lines.append(f"Raised by you and open: {len(r.raised_by_me)}.")
    lines += [_request_line(x) for x in r.raised_by_me[:MAX_ROWS]]
    return lines


def approval_status(r: ApprovalStatus) -> list[str]:
    return ["Request status:", _request_line(r.request)]
