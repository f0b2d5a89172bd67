"""Reply text built from tool results, in the language of the question. Every number printed here comes
from the result passed in; every sentence comes from the message catalogue (areas `assistant`, `vocab`).

Lists state their totals ("12 of 73"); a cap is never shown as a count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.facts import money, num, pct
from kernel.catalogue import (
    Language,
    dates_written,
    detect_language,
    fmt_date,
    has,
    name_in,
    render_each,
    render_or,
)
from kernel.catalogue import text as _text
from knowledge.passages import excerpt, plain_text
from tools.assistant_tools.models import (
    ApprovalList,
    ApprovalStatus,
    ClientList,
    ClientProfile,
    ClientWarnings,
    ContactsDue,
    ExpiringCovers,
    ExposureView,
    LimitAdvice,
    MemoDraft,
    PolicySearch,
    PreparedApproval,
    RatingHistory,
    RepaymentHistory,
    ReviewsDue,
    ReviewStatus,
    UtilisationList,
    UtilisationTrend,
    Watchlist,
)
from tools.engine.results import (
    ConcentrationLine,
    ConcentrationReport,
    FinancialAnalysis,
    InsuranceStatus,
    Rating,
    WhatIfResult,
)

MAX_ROWS = 10


def t(key: str, lang: Language, **values: object) -> str:
    """The `assistant.<key>` sentence; every date among `values` written the reader's way (31 Mar 2026 /
    2026年3月31日), never as an ISO code."""
    if lang != "en":  # bot.facts writes a missing figure as "n/a": in the reader's language here
        na = _text("common.not_available", lang)
        values = {k: na if x == "n/a" else x for k, x in values.items()}
    return _text(f"assistant.{key}", lang, **dates_written(values, lang))


def v(kind: str, code: object, lang: Language) -> str:
    """The user-facing name of an engine code (`vocab` area, or the engine's own area); the code if unknown."""
    key = f"{kind}.{code}"
    return _text(key, lang) if has(key) else str(code).replace("_", " ")


def capabilities(lang: Language) -> str:
    return t("capabilities", lang)


def _rows(lines: list[str], shown: int, total: int, lang: Language) -> list[str]:
    if total > shown:
        lines.append(t("more", lang, n=total - shown))
    return lines


def _count(shown: int, total: int, lang: Language) -> str:
    return str(total) if shown >= total else t("shown_of", lang, shown=shown, total=total)


def _grade_name(grade: int, fallback: str, lang: Language) -> str:
    return v("grade", grade, lang) if lang == "zh" else fallback


def exposure(r: ExposureView, lang: Language) -> list[str]:
    e = r.exposure
    lines = [t("exposure", lang, name=r.name, client_id=r.client_id, limit=money(e.total_limit, e.currency),
               outstanding=money(e.outstanding, e.currency), util=pct(e.utilisation), ead=money(e.ead, e.currency),
               insured=money(e.insured, e.currency), available=money(e.available, e.currency))]  # fmt: skip
    if e.frozen_facilities:
        lines.append(t("exposure.frozen", lang, n=e.frozen_facilities))
    for f in e.facilities[:MAX_ROWS]:
        lines.append(t("exposure.facility", lang, facility_id=f.facility_id, product=v("product", f.product, lang),
                       status=v("facility_status", f.status, lang), limit=money(f.limit, e.currency),
                       outstanding=money(f.outstanding, e.currency), util=pct(f.utilisation)))  # fmt: skip
    return _rows(lines, min(len(e.facilities), MAX_ROWS), len(e.facilities), lang)


def review_status(r: ReviewStatus, lang: Language) -> list[str]:
    rv = r.review
    last = t("review.last", lang, date=rv.last_review) if rv.last_review else t("review.none", lang)
    key = "review.overdue" if rv.overdue else "review.ok"
    return [
        t(
            key,
            lang,
            name=r.name,
            days=rv.days_overdue,
            due=rv.next_due,
            last=last,
            months=rv.frequency_months,
        )
    ]


def _reason(c: Any, lang: Language) -> str:
    """A reason code in the reader's language, from its code and parameters (engine.reason.*)."""
    if c.msg is not None:
        return render_or(c.msg, c.text, lang)
    if lang == "en" or not has(f"factor.{c.code}"):
        return str(c.text)
    return (
        f"{v('factor', c.code, lang)}（扣 {c.points_lost:g} 分）"
        if c.points_lost
        else v("factor", c.code, lang)
    )


def rating(r: Rating, name: str, lang: Language) -> list[str]:
    lines = [t("rating", lang, name=name, grade=r.grade, grade_name=_grade_name(r.grade, r.grade_name, lang),
               score=num(r.score, 0), pd=pct(r.pd, 2), lgd=pct(r.lgd, 0), el=money(r.el, ""), model=v("model", r.model_id, lang))]  # fmt: skip
    if r.previous_grade is not None and r.previous_grade != r.grade:
        lines.append(t("rating.moved", lang, previous=r.previous_grade, date=r.previous_run))
    if r.reason_codes:
        lines.append(t("rating.reasons", lang))
        lines += [f"  • {_reason(c, lang)}" for c in r.reason_codes[:4]]
    return lines


def rating_history(r: RatingHistory, rating_result: Rating | None, lang: Language) -> list[str]:
    lines = [t("rating_history.title", lang, name=r.name)]
    for p in r.points[-8:]:
        grade_name = v("grade", p.grade, lang)
        source = t("rating_history.current", lang) if p.source == "current" else ""
        lines.append(t("rating_history.point", lang, date=p.as_of, grade=p.grade, grade_name=grade_name,
                       score=num(p.score, 0), pd=pct(p.pd, 2), source=source))  # fmt: skip
    if len(r.points) == 1:
        lines.append(t("rating_history.no_runs", lang, name=r.name))
    key = (
        "rating_history.down"
        if r.change > 0
        else "rating_history.up"
        if r.change < 0
        else "rating_history.same"
    )
    lines.append(t(key, lang, n=abs(r.change)))
    codes = rating_result.reason_codes if rating_result is not None else []
    if codes:
        lines += [f"  • {_reason(c, lang)}" for c in codes[:4]]
    else:
        lines += [f"  • {x}" for x in (r.reasons or r.factors_worse)[:4]]
    return lines


def financials(r: FinancialAnalysis, name: str, period_label: str | None, lang: Language) -> list[str]:
    if not r.periods:
        scope = t("financials.scope", lang, period=period_label) if period_label else ""
        return [t("financials.none", lang, name=name, scope=scope)]
    p = r.periods[0]
    head = t("financials.head", lang, name=name, end=p.period_end, type=v("period_type", p.period_type, lang),
             audited=t("financials.audited", lang) if p.audited else "",
             period=t("financials.period", lang, period=period_label) if period_label else "")  # fmt: skip
    lines = [
        head,
        t("financials.line1", lang, revenue=money(p.revenue, p.currency), ebitda=money(p.ebitda, p.currency),
          margin=pct(p.ebitda_margin), growth=pct(p.revenue_growth)),
        t("financials.line2", lang, lev=num(p.debt_to_ebitda), cr=num(p.current_ratio), dscr=num(p.dscr),
          ic=num(p.interest_coverage)),
    ]  # fmt: skip
    for tr in r.trends[:4]:
        lines.append(f"  • {render_or(tr.msg, tr.text, lang)}" if tr.msg is not None or lang == "en" else
                     t("financials.trend", lang, metric=v("factor", tr.metric, lang),
                       direction=v("trend", tr.direction, lang)))  # fmt: skip
    if r.stale:
        lines.append(t("financials.stale", lang, months=r.statement_age_months))
    return lines


def limit(r: LimitAdvice, name: str, lang: Language) -> list[str]:
    rec, prop, ccy = r.recommendation, r.proposal, r.currency
    binding = t("limit.binding", lang, constraint=v("constraint", rec.binding, lang)) if rec.binding else ""
    lines = [t("limit", lang, name=name, current=money(rec.current_limit, ccy), recommended=money(rec.recommended, ccy),
               binding=binding)]  # fmt: skip
    for c in rec.constraints:
        label = c.label if lang == "en" else v("constraint", c.name, lang)
        lines.append(t("limit.constraint", lang, label=label, value=money(c.value, ccy),
                       binds=t("limit.binds", lang) if c.binds else ""))  # fmt: skip
    target = (
        t("limit.target", lang, amount=money(prop.target_limit, ccy)) if prop.target_limit is not None else ""
    )
    said = [render_or(m, "", lang) for m in prop.reason_msgs] or (list(prop.reasons) if lang == "en" else [])
    reasons = t("limit.reasons", lang, reasons=("；" if lang == "zh" else "; ").join(said)) if said else ""
    lines.append(
        t("limit.proposal", lang, action=v("action", prop.action, lang), target=target, reasons=reasons)
    )
    return lines


def advice(r: WhatIfResult, lang: Language) -> list[str]:
    key = "advice.within" if r.within_recommendation else "advice.above"
    return [t(key, lang, amount=money(r.new_limit, ""), recommended=money(r.recommended, ""))]


def _line_label(ln: ConcentrationLine, lang: Language, name: str | None = None) -> tuple[str, str]:
    """(dimension, bucket) in words: a sector code by its name; the client's own name-level buckets by the
    client's name (`client:<id>` is the engine's "no group" marker, never shown)."""
    if ln.dimension in ("industry", "region", "size_segment"):
        bucket = v("bucket", ln.bucket, lang)
    elif name is not None and (ln.dimension == "single_name" or ln.bucket.startswith("client:")):
        bucket = name if ln.dimension == "single_name" else t("no_group", lang, name=name)
    else:
        bucket = ln.bucket
    return v("dimension", ln.dimension, lang), bucket


def what_if(r: WhatIfResult, name: str, lang: Language, dimension: str | None = None) -> list[str]:
    within = t("what_if.within" if r.within_recommendation else "what_if.above", lang)
    lines = [t("what_if", lang, name=name, current=money(r.current_limit, ""), new=money(r.new_limit, ""),
               within=within, recommended=money(r.recommended, ""), group=money(r.group_exposure_after, ""))]  # fmt: skip
    pairs = [pair for pair in r.lines if dimension is None or pair[0].dimension == dimension]
    for before, after in pairs:
        dim, bucket = _line_label(after, lang, name)
        flag = t("what_if.breach_flag", lang) if after.share > after.limit_share else ""
        lines.append(t("what_if.line", lang, dimension=dim, bucket=bucket, before=pct(before.share),
                       after=pct(after.share), limit=pct(after.limit_share), flag=flag))  # fmt: skip
    # (r.messages, the engine's English sentences, repeat these lines and name the binding constraint by its
    # code: the lines above are written from the figures in the reader's language instead)
    breaches = [b for b in r.breaches_after if dimension is None or b.dimension == dimension]
    if breaches:
        lines.append(
            t(
                "what_if.breaches",
                lang,
                list=", ".join(" ".join(_line_label(b, lang, name)) for b in breaches),
            )
        )
    elif dimension is not None:
        lines.append(t("what_if.no_breach", lang, dimension=v("dimension", dimension, lang)))
    return lines


def _warning_detail(w: Any, lang: Language) -> tuple[str, str]:
    name = v("indicator", w.indicator, lang)
    if w.msg is not None:
        return name, render_or(w.msg, w.message, lang)
    if lang == "en":
        return name, w.message
    if w.value is None or w.threshold is None or (w.value == 0 and w.threshold == 0):
        return name, t("warnings.triggered", lang)
    return name, t("warnings.value", lang, value=num(w.value), threshold=num(w.threshold))


def warnings(r: ClientWarnings, lang: Language) -> list[str]:
    level = v("level", r.level, lang)
    if not r.warnings:
        return [t("warnings.none", lang, name=r.name, level=level)]
    lines = [
        t(
            "warnings.head",
            lang,
            name=r.name,
            level=level.upper() if lang == "en" else level,
            n=len(r.warnings),
        )
    ]
    for w in r.warnings[:MAX_ROWS]:
        indicator, detail = _warning_detail(w, lang)
        on = fmt_date(w.date, lang) if w.date else ""  # 28 Nov 2026 / 2026年11月28日
        date = t("warnings.on", lang, date=on) if on and on not in detail else ""  # said once, not twice
        lines.append(t("warnings.item", lang, level=v("level", w.level, lang), indicator=indicator, detail=detail,
                       date=date))  # fmt: skip
    return _rows(lines, min(len(r.warnings), MAX_ROWS), len(r.warnings), lang)


def watchlist(r: Watchlist, lang: Language) -> list[str]:
    total = r.total if r.total is not None else len(r.items)
    if not r.items:
        return [t("watchlist.none", lang)]
    shown = min(len(r.items), MAX_ROWS)
    lines = [t("watchlist.head", lang, count=_count(shown, total, lang))]
    for w in r.items[:MAX_ROWS]:
        first = ""
        if w.warnings:
            first = f" — {_warning_detail(w.warnings[0], lang)[0 if lang == 'zh' else 1]}"
        lines.append(t("watchlist.item", lang, name=w.name, client_id=w.client_id, level=v("level", w.ews_level, lang),
                       grade=w.grade, limits=money(w.exposure, ""), first=first))  # fmt: skip
    return _rows(lines, shown, total, lang)


def _state(overdue: bool, days: int, date: object, lang: Language) -> str:
    return t("state.overdue", lang, days=days) if overdue else t("state.due", lang, date=date)


def reviews_due(r: ReviewsDue, lang: Language) -> list[str]:
    if not r.items:
        return [t("reviews.none", lang, days=r.horizon_days)]
    shown = min(len(r.items), MAX_ROWS)
    overdue = sum(i.overdue for i in r.items)
    lines = [
        t("reviews.head", lang, count=_count(shown, len(r.items), lang), days=r.horizon_days, overdue=overdue)
    ]
    for i in r.items[:MAX_ROWS]:
        lines.append(t("reviews.item", lang, name=i.name, client_id=i.client_id,
                       state=_state(i.overdue, i.days_overdue, i.next_due, lang), grade=i.grade,
                       level=v("level", i.ews_level, lang)))  # fmt: skip
    return _rows(lines, shown, len(r.items), lang)


def contacts_due(r: ContactsDue, lang: Language) -> list[str]:
    if not r.items:
        return [t("contacts.none", lang, days=r.horizon_days)]
    shown = min(len(r.items), MAX_ROWS)
    lines = [t("contacts.head", lang, count=_count(shown, len(r.items), lang), days=r.horizon_days)]
    for i in r.items[:MAX_ROWS]:
        lines.append(t("contacts.item", lang, name=i.name, client_id=i.client_id,
                       state=_state(i.overdue, i.days_overdue, i.next_due, lang),
                       last=i.last_contact or t("contacts.never", lang)))  # fmt: skip
    return _rows(lines, shown, len(r.items), lang)


def contact(r: ClientProfile, lang: Language) -> list[str]:
    c = r.contact
    state = (
        t("contact.overdue", lang, days=c.days_overdue)
        if c.overdue
        else t("contact.due", lang, date=c.next_due)
    )
    kind = v("contact_kind", c.last_kind, lang) if c.last_kind else t("contact.kind", lang)
    last = (
        t("contact.last", lang, kind=kind, date=c.last_contact) if c.last_contact else t("contact.none", lang)
    )
    return [t("contact", lang, name=r.client.name, state=state, last=last, days=c.frequency_days)]


def insurance(r: InsuranceStatus, name: str, lang: Language) -> list[str]:
    lines = [t("insurance", lang, name=name, exposure=money(r.exposure, ""), insured=money(r.insured, ""),
               uninsured=money(r.uninsured, ""), ratio=pct(r.cover_ratio))]  # fmt: skip
    if r.required:
        lines.append(t("insurance.required", lang, ratio=pct(r.required_ratio), gap=money(r.gap, "")))
    for c in r.covers[:MAX_ROWS]:
        lines.append(t("insurance.cover", lang, insurer=c.insurer, status=v("cover_status", c.status, lang),
                       pct=pct(c.coverage, 0), limit=money(c.insured_limit, ""), expiry=c.expiry_date,
                       left=_left(c.days_to_expiry, c.expired_days_ago, lang)))  # fmt: skip
    if r.expiring:
        lines.append(t("insurance.expiring", lang, list=", ".join(r.expiring)))
    return lines


def _left(days: int | None, expired_days_ago: int | None, lang: Language) -> str:
    """'in 12 d', or 'expired 28 d ago' for a cover past its expiry (never a negative count of days)."""
    if days is not None and days >= 0:
        return t("cover.left", lang, days=days)
    return t("cover.expired", lang, days=expired_days_ago if expired_days_ago is not None else -(days or 0))


def _whose(only_mine: bool, lang: Language) -> str:
    return t("whose.mine", lang) if only_mine else ""


def insurance_expiring(r: ExpiringCovers, lang: Language) -> list[str]:
    if not r.items:
        return [t("expiring.none", lang, days=r.horizon_days)]
    shown = min(len(r.items), MAX_ROWS)
    lines = [t("expiring.head", lang, days=r.horizon_days, whose=_whose(r.only_mine, lang),
               count=_count(shown, r.total, lang))]  # fmt: skip
    for c in r.items[:MAX_ROWS]:
        lines.append(t("expiring.item", lang, name=c.name, client_id=c.client_id, insurer=c.insurer,
                       status=v("cover_status", c.status, lang), expiry=c.expiry_date,
                       left=_left(c.days_to_expiry, None, lang)))  # fmt: skip
    return _rows(lines, shown, r.total, lang)


def high_utilisation(r: UtilisationList, lang: Language) -> list[str]:
    whose = _whose(r.only_mine, lang)
    if not r.items:
        return [t("high_util.none", lang, n=r.clients_in_scope, whose=whose, threshold=pct(r.threshold, 0))]
    shown = min(len(r.items), MAX_ROWS)
    lines = [t("high_util.head", lang, threshold=pct(r.threshold, 0), whose=whose, count=r.total,
               n=r.clients_in_scope)]  # fmt: skip
    for i in r.items[:MAX_ROWS]:
        lines.append(t("high_util.item", lang, name=i.name, client_id=i.client_id, util=pct(i.utilisation),
                       outstanding=money(i.outstanding, ""), limit=money(i.total_limit, "")))  # fmt: skip
    return _rows(lines, shown, r.total, lang)


def utilisation_trend(r: UtilisationTrend, lang: Language) -> list[str]:
    lines = [t("trend.head", lang, name=r.name, months=r.months)]
    for p in r.points[-13:]:
        lines.append(t("trend.point", lang, date=p.as_of, util=pct(p.utilisation),
                       source=t("trend.now", lang) if p.source == "current" else ""))  # fmt: skip
    if r.change is not None:
        lines.append(t("trend.change", lang, change=f"{r.change * 100:+.1f}"))
    else:
        lines.append(t("trend.only_now", lang, name=r.name))
    if r.inflow_trend is not None:
        lines.append(t("trend.inflows", lang, change=f"{r.inflow_trend * 100:+.1f}%"))
    return lines


def repayment(r: RepaymentHistory, lang: Language) -> list[str]:
    if not r.instalments:
        return [t("repayment.none", lang, name=r.name, months=r.months)]
    lines = [
        t("repayment.head", lang, name=r.name, months=r.months, n=r.instalments, on_time=r.on_time, late=r.late,
          partial=r.partial, missed=r.missed, cures=r.cures),
        t("repayment.dpd", lang, current=r.current_dpd, worst=r.max_dpd),
    ]  # fmt: skip
    bad = [i for i in r.items if i.status not in ("on_time", "not_due")]
    if not bad:
        lines.append(t("repayment.clean", lang))
    for i in bad[:MAX_ROWS]:
        when = t("repayment.when", lang, date=i.paid_date) if i.paid_date else ""
        lines.append(t("repayment.item", lang, facility_id=i.facility_id, due=i.due_date,
                       status=v("instalment", i.status, lang), paid=money(i.amount_paid, ""),
                       amount_due=money(i.amount_due, ""), when=when,
                       cured=t("repayment.cured", lang) if i.cured else ""))  # fmt: skip
    total_bad = r.late + r.partial + r.missed
    return _rows(lines, min(len(bad), MAX_ROWS), max(total_bad, len(bad)), lang)


def concentration(r: ConcentrationReport, lang: Language, dimension: str | None = None,
                  bucket: str | None = None, names: Mapping[int, str] | None = None) -> list[str]:  # fmt: skip
    """`names`: the asker's own clients by id; a single-name line of one of them reads by its name (another
    team's client stays an id: its name is not the asker's to see)."""
    hhi = ", ".join(f"{v('dimension', k, lang)} {x:.3f}" for k, x in r.hhi.items())
    lines = [
        t(
            "concentration",
            lang,
            total=money(r.total_limits, ""),
            as_of=r.as_of,
            policy=r.policy_version,
            hhi=hhi,
        )
    ]
    if bucket is not None and dimension is not None:
        line = next(
            (ln for ln in r.lines if ln.dimension == dimension and ln.bucket.lower() == bucket.lower()), None
        )
        if line is None:
            lines.append(t("concentration.no_bucket", lang, dimension=v("dimension", dimension, lang),
                           bucket=v("bucket", bucket, lang)))  # fmt: skip
        else:
            dim, name = _line_label(line, lang)
            lines.insert(0, t("concentration.bucket", lang, dimension=dim, bucket=name, share=pct(line.share),
                              limit=pct(line.limit_share), level=v("level", line.level, lang),
                              headroom=money(line.headroom, "")))  # fmt: skip
    breaches = [b for b in r.breaches if dimension is None or b.dimension == dimension]
    if breaches:
        lines.append(t("concentration.breaches", lang))
        lines += [_conc_line(b, lang, names) for b in breaches]
    else:
        lines.append(t("concentration.no_breach", lang))
    show = dimension or "industry"
    top = [ln for ln in r.lines if ln.dimension == show]
    lines += [_conc_line(ln, lang) for ln in top[:5]]
    return _rows(lines, min(len(top), 5), len(top), lang)


def _conc_line(ln: ConcentrationLine, lang: Language, names: Mapping[int, str] | None = None) -> str:
    dim, bucket = _line_label(ln, lang)
    if ln.dimension == "single_name" and names and ln.bucket.isdigit() and int(ln.bucket) in names:
        bucket = t("name_with_id", lang, name=names[int(ln.bucket)], client_id=ln.bucket)
    return t("concentration.line", lang, dimension=dim, bucket=bucket, share=pct(ln.share), limit=pct(ln.limit_share),
             level=v("level", ln.level, lang))  # fmt: skip


def policy(r: PolicySearch, start: int, lang: Language) -> list[str]:
    if not r.passages:
        return [t("policy.none", lang, query=r.query)]
    lines = [t("policy.head", lang)]
    for i, p in enumerate(r.passages[:3]):
        quoted = excerpt(plain_text(p.text, detect_language(p.text)), limit=240)  # no pipes, no cut words
        lines.append(t("policy.item", lang, excerpt=quoted, n=start + i))
    return lines


def profile(r: ClientProfile, lang: Language) -> list[str]:
    c = r.client
    overdue = t("profile.overdue", lang)
    industry = v("bucket", c.industry, lang) if lang == "zh" else c.industry
    region = v("bucket", c.region, lang) if lang == "zh" else c.region
    return [
        t("profile.line1", lang, name=c.name, client_id=c.client_id, industry=industry, region=region,
          officer=c.officer_id),
        t("profile.line2", lang, limit=money(r.total_limit, r.currency), outstanding=money(r.outstanding, r.currency),
          util=pct(r.utilisation), grade=r.grade, grade_name=_grade_name(r.grade, r.grade_name, lang), pd=pct(r.pd, 2),
          level=v("level", r.ews_level, lang), warnings=r.warnings, proposal=v("action", r.proposal, lang)),
        t("profile.line3", lang, review=r.review.next_due, review_overdue=overdue if r.review.overdue else "",
          contact=r.contact.next_due, contact_overdue=overdue if r.contact.overdue else ""),
    ]  # fmt: skip


def client_list(r: ClientList, title: str, lang: Language, cap: int = 25) -> list[str]:
    if not r.clients:
        return [t("clients.none", lang)]
    lines = [title]
    for c in r.clients[:cap]:
        industry = v("bucket", c.industry, lang) if lang == "zh" else c.industry
        region = v("bucket", c.region, lang) if lang == "zh" else c.region
        lines.append(t("clients.item", lang, name=c.name, client_id=c.client_id, industry=industry, region=region,
                       officer=c.officer_id))  # fmt: skip
    return _rows(lines, min(len(r.clients), cap), len(r.clients), lang)


def memo(r: MemoDraft, name: str, lang: Language) -> list[str]:
    version = t("memo.version", lang, version=r.version) if r.version is not None else ""
    return [t("memo", lang, name=name, memo_id=r.memo_id, version=version)]


def prepared(r: PreparedApproval, name: str, lang: Language) -> list[str]:
    target = t("limit.target", lang, amount=money(r.new_limit, "")) if r.new_limit is not None else ""
    lines = [t("prepared", lang, kind=v("request_kind", r.kind, lang), name=name, target=target)]
    route = r.details.get("route") if isinstance(r.details.get("route"), dict) else {}
    chain = (
        r.details.get("approval_chain")
        or r.details.get("chain")
        or r.details.get("steps")
        or route.get("steps")
    )
    if isinstance(chain, list) and chain:
        lines.append(
            t(
                "prepared.chain",
                lang,
                chain=" → ".join(name_in("approval_level", _step(s), lang) for s in chain),
            )
        )
    # why the chain is what it is (the policy exceptions included, each with the level it needs); coded, so
    # said in the reader's language. Without routing reasons, the exceptions alone.
    reasons = render_each(route.get("reason_msgs") or [], route.get("reasons") or [], lang)
    if reasons and (lang == "en" or route.get("reason_msgs")):
        return [*lines, *(f"  • {x}" for x in reasons), t("prepared.confirm", lang)]
    for e in r.details.get("exceptions") or []:
        if isinstance(e, dict) and (e.get("msg") or lang == "en"):
            lines.append(
                f"  • {t('prepared.exception', lang, text=render_or(e.get('msg'), str(e.get('message', '')), lang))}"
            )
        elif isinstance(e, str) and lang == "en":
            lines.append(f"  • {e}")
    lines.append(t("prepared.confirm", lang))
    return lines


def _step(step: Any) -> str:
    if isinstance(step, dict):
        return str(step.get("name") or step.get("label") or step.get("level"))
    return str(step)


def _request_line(r: dict[str, Any], lang: Language) -> str:
    rid = r.get("request_id") or r.get("id")
    target = (
        t("limit.target", lang, amount=money(r["new_limit"], "")) if r.get("new_limit") is not None else ""
    )
    who = r.get("client_name") or r.get("client_id")
    return t("approvals.item", lang, request_id=rid, kind=v("request_kind", r.get("kind", "request"), lang), client=who,
             target=target, status=v("request_status", r.get("status", "?"), lang))  # fmt: skip


def approvals(r: ApprovalList, lang: Language) -> list[str]:
    lines = [t("approvals.awaiting", lang, count=len(r.awaiting_my_decision))]
    lines += [_request_line(x, lang) for x in r.awaiting_my_decision[:MAX_ROWS]]
    _rows(lines, min(len(r.awaiting_my_decision), MAX_ROWS), len(r.awaiting_my_decision), lang)
    lines.append(t("approvals.mine", lang, count=len(r.raised_by_me)))
    lines += [_request_line(x, lang) for x in r.raised_by_me[:MAX_ROWS]]
    return _rows(lines, min(len(r.raised_by_me), MAX_ROWS), len(r.raised_by_me), lang)


def my_requests(r: ApprovalList, client_id: int | None, name: str | None, lang: Language) -> list[str]:
    """The requests the asker raised, newest first, each with its status (one client's when one is named)."""
    mine = [x for x in r.raised_by_me if client_id is None or x.get("client_id") == client_id]
    if not mine:
        return [t("approvals.mine_none_client", lang, name=name) if client_id is not None
                else t("approvals.mine_none", lang)]  # fmt: skip
    lines = [t("approvals.mine", lang, count=len(mine))]
    lines += [_request_line(x, lang) for x in mine[:MAX_ROWS]]
    return _rows(lines, min(len(mine), MAX_ROWS), len(mine), lang)


def approval_status(r: ApprovalStatus, lang: Language) -> list[str]:
    return [t("approvals.status", lang), _request_line(r.request, lang)]
