"""Assessment → Memo: every section built from the engine's ClientAssessment, the review-run history,
the contact log and knowledge-base citations. Nothing here computes credit figures; it selects, formats
and says what is missing. The narrative paragraphs are added afterwards by a Narrator.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crm_adapter.models import ContactLog
from kernel.catalogue import code_name, render, render_or
from kernel.catalogue import text as msg
from knowledge.passages import excerpt, plain_text
from tools.engine.results import ClientAssessment, RatioRow, Trend
from tools.engine.review_runs import PreviousResult
from tools.memos import formatting as f
from tools.memos.bank_statements import statement_flows_section
from tools.memos.labels import RATIO_LABELS, labels, term
from tools.memos.models import (
    ChartSeries,
    ChartSpec,
    Citation,
    Fact,
    Language,
    Memo,
    MemoHeader,
    Section,
    Table,
)
from tools.statements.analysis import StatementAnalysis

# the ratios compared across reviews and charted across periods
KEY_RATIOS: tuple[str, ...] = ("debt_to_ebitda", "current_ratio", "interest_coverage")
CHART_RATIOS: tuple[str, ...] = ("debt_to_ebitda", "current_ratio", "dscr")
TABLE_AMOUNTS: tuple[str, ...] = ("revenue", "ebitda", "net_income", "total_debt", "equity")
MAX_PERIODS = 4
MAX_CONTACTS = 5
# a scorecard factor earning less than this share of its best points is "weak against policy"
WEAK_FACTOR_SHARE = 0.5


@dataclass(frozen=True)
class MemoInputs:
    """Everything a memo is built from (all tool results)."""

    assessment: ClientAssessment
    history: list[PreviousResult]  # earlier review-run results, newest first
    contacts: list[ContactLog]
    citations: list[Citation]
    language: Language
    created_by: str  # officer id
    prepared_by: str  # how the preparer is shown: "Anna Berg (rm.anna)"
    created_at: dt.datetime
    bank_statements: StatementAnalysis | None = None  # the imported statements' analysis, when any

    @property
    def previous(self) -> PreviousResult | None:
        return self.history[0] if self.history else None


def snapshot_data(inputs: MemoInputs) -> dict[str, Any]:
    """The JSON data snapshot the memo is built from (hashed, stored, and used by the number guard)."""
    a = inputs.assessment
    return {
        "assessment": a.model_dump(mode="json"),
        "previous": inputs.previous.model_dump(mode="json") if inputs.previous else None,
        "utilisation_history": [
            {"as_of": h.as_of.isoformat(), "utilisation": h.utilisation} for h in reversed(inputs.history)
        ],
        "contacts": [c.model_dump(mode="json") for c in inputs.contacts],
        "citations": [c.model_dump(mode="json") for c in inputs.citations],
    } | (
        {"bank_statements": inputs.bank_statements.model_dump(mode="json")} if inputs.bank_statements else {}
    )


def sha256_of(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_memo(inputs: MemoInputs) -> Memo:
    a = inputs.assessment
    data = snapshot_data(inputs)
    b = _Builder(inputs)
    return Memo(
        client_id=a.client.client_id,
        client_name=a.client.name,
        language=inputs.language,
        as_of=a.as_of,
        created_by=inputs.created_by,
        created_at=inputs.created_at,
        policy_version=a.policy_version,
        model_id=a.model_id,
        snapshot_sha256=sha256_of(data),
        header=b.header(),
        sections=[
            b.executive_summary(),
            b.changes(),
            b.exposure(),
            b.financials(),
            b.flows(),
            b.repayment(),
            b.reputation(),
            b.rating(),
            b.warnings(),
            b.concentration(),
            b.insurance(),
            b.contacts(),
            b.limit(),
            b.policy_refs(),
            b.conditions(),
            b.signoff(),
        ],
        citations=inputs.citations,
        charts=b.charts(),
        data=data,
    )


class _Builder:
    def __init__(self, inputs: MemoInputs) -> None:
        self.i = inputs
        self.a = inputs.assessment
        self.L = labels(inputs.language)
        self.R = RATIO_LABELS[inputs.language]
        self.ccy = self.a.exposure.currency

    # --- helpers ---------------------------------------------------------------------------------
    def money(self, value: Any) -> str:
        return f.money(value, self.ccy)

    def date(self, value: dt.date | None) -> str:
        return f.date(value, self.i.language)

    def month(self, value: dt.date | str | None) -> str:
        return f.month(value, self.i.language)

    def section(self, key: str, **kwargs: Any) -> Section:
        return Section(key=key, title=self.L[key], **kwargs)

    def fact(self, key: str, value: str, raw: Any = None, label: str | None = None) -> Fact:
        return Fact(key=key, label=label or self.L[key], value=value, raw=raw)

    def term(self, kind: str, code: object) -> str:
        """The memo's word for an engine or CRM code (level, status, product …), in the memo's language."""
        return term(self.i.language, kind, code)

    def factor_label(self, name: str, label: str) -> str:
        """The policy's own label in English; the catalogue's in Chinese (the policy file is English)."""
        return label if self.i.language == "en" else self.term("factor", name)

    def say(self, message: Any, fallback: str) -> str:
        """An engine message (key + params) in the memo's language; the stored English text if it has none."""
        return render_or(message, fallback, self.i.language)

    def says(self, messages: list[Any], fallbacks: list[str]) -> list[str]:
        if messages:
            return [render_or(m, "", self.i.language) for m in messages]
        return list(fallbacks)

    def factor_value(self, x: Any) -> str:
        """A scorecard factor's value as the engine showed it (1.79x, 12.3%, n/a with its reason), in words."""
        if x.msg is None or "shown" not in x.msg.params:
            return str(x.text)
        return render(
            {"key": "memo.factor_value", "params": {"shown": x.msg.params["shown"]}}, self.i.language
        )

    def reason_text(self, c: Any) -> str:
        return self.say(c.msg, str(c.text))

    def bucket(self, dimension: str, bucket: str) -> str:
        """A concentration bucket by name: a sector code in words, the client or its group by name."""
        c = self.a.client
        if dimension == "single_name":
            return c.name
        if dimension == "group":
            return c.group_name or (
                self.L["no_group"].format(name=c.name) if bucket.startswith("client:") else bucket
            )
        return self.term("bucket", bucket)

    def action(self, action: str) -> str:
        return self.L[f"action_{action}"]

    def review_type(self) -> str:
        months = self.a.review.frequency_months
        named = {3: "quarterly", 6: "semi_annual", 12: "annual"}
        text = self.L[named[months]] if months in named else self.L["review_every"].format(months=months)
        first = self.i.previous is None and self.a.review.last_review_source != "recorded"
        return f"{text} ({self.L['first_review']})" if first else text

    def next_review(self) -> dt.date:
        """The next periodic review counted from this one (the memo is the review), never a past date."""
        return add_months(self.a.as_of, self.a.review.frequency_months)

    def grade(self, grade: int | None, name: str | None = None) -> str:
        if grade is None:
            return f.NA
        return f"{grade} ({code_name('grade', grade, self.i.language)})" if name else str(grade)

    # --- header ------------------------------------------------------------------------------------
    def header(self) -> MemoHeader:
        a, c = self.a, self.a.client
        due = self.date(a.review.next_due)
        if a.review.overdue:
            due += f" — {self.L['overdue_by'].format(days=a.review.days_overdue)}"
        latest = a.financials.latest_period_end
        return MemoHeader(
            title=f"{self.L['title']} — {c.name}",
            facts=[
                self.fact("client", f"{c.name} (#{c.client_id})", c.client_id),
                self.fact("group", c.group_name or c.group_id or self.L["none"], c.group_id),
                self.fact("officer", c.officer_name or c.officer_id, c.officer_id),
                self.fact("review_type", self.review_type(), a.review.frequency_months),
                self.fact("review_due", due, a.review.next_due.isoformat()),
                self.fact("grade", self.grade(a.rating.grade, a.rating.grade_name), a.rating.grade),
                self.fact("ews_level", self.term("level", a.ews_level), a.ews_level),
                self.fact(
                    "policy_version",
                    f"{a.policy_version} #{a.policy_hash[:12]}" if a.policy_hash else a.policy_version,
                    a.policy_version,
                ),  # fmt: skip
                self.fact("model_id", self.term("model", a.model_id), a.model_id),
                self.fact("as_of", self.date(a.as_of), a.as_of.isoformat()),
                self.fact("statements_as_of", self.date(latest), latest.isoformat() if latest else None),
                self.fact("flows_as_of", self.month(a.flows.last_month), a.flows.last_month),
                self.fact("prepared_by", self.i.prepared_by, self.i.created_by),
            ],
        )

    # --- sections ----------------------------------------------------------------------------------
    def executive_summary(self) -> Section:
        a = self.a
        p = a.proposal
        return self.section(
            "executive_summary",
            facts=[
                self.fact("recommendation", self.action(p.action), p.action),
                self.fact("current_limit", self.money(p.current_limit), p.current_limit),
                self.fact("target_limit", self.money(p.target_limit), p.target_limit),
                self.fact("recommended_limit", self.money(a.limit.recommended), a.limit.recommended),
                self.fact("grade", self.grade(a.rating.grade, a.rating.grade_name), a.rating.grade),
                self.fact("pd", f.pct(a.rating.pd, 2), a.rating.pd, label=self.L["pd"]),
                self.fact("ews_level", self.term("level", a.ews_level), a.ews_level),
                self.fact("utilisation", f.pct(a.exposure.utilisation), a.exposure.utilisation),
                self.fact("outstanding", self.money(a.exposure.outstanding), a.exposure.outstanding),
            ],
            bullets=self.says(p.reason_msgs, p.reasons),
        )

    def changes(self) -> Section:
        prev = self.i.previous
        rv = self.a.review
        if prev is None and rv.last_review_source == "recorded" and rv.last_review is not None:
            # the last review is known (CRM or Credit Desk) but no figures were stored with it: say so
            return self.section("changes", facts=[self.fact("previous_review", self.date(rv.last_review),
                                                            rv.last_review.isoformat())],
                                bullets=[msg("engine.memo.no_figures_for_last_review", self.i.language,
                                              date=self.date(rv.last_review), as_of=self.date(self.a.as_of))])  # fmt: skip
        if prev is None:
            return self.section("changes", bullets=[self.L["first_review_text"]])
        a, now = self.a, _latest(self.a)
        rows: list[list[str]] = [
            [self.L["grade"], self.grade(prev.grade), self.grade(a.rating.grade),
             _signed_int(a.rating.grade - prev.grade)],
            [self.L["pd"], f.pct(prev.pd, 2), f.pct(a.rating.pd, 2), f.pct_points(_diff(a.rating.pd, prev.pd))],
            [self.L["total_limit"], self.money(prev.total_limit), self.money(a.exposure.total_limit),
             self.money(float(a.exposure.total_limit) - prev.total_limit)],
            [self.L["outstanding"], self.money(prev.outstanding), self.money(a.exposure.outstanding),
             self.money(float(a.exposure.outstanding) - prev.outstanding)],
            [self.L["utilisation"], f.pct(prev.utilisation), f.pct(a.exposure.utilisation),
             f.pct_points(_diff(a.exposure.utilisation, prev.utilisation))],
            [self.L["recommended_limit"], self.money(prev.recommended), self.money(a.limit.recommended),
             self.money(_diff(_float(a.limit.recommended), prev.recommended))],
            [self.L["recommendation"], self.action(prev.action), self.action(a.proposal.action), ""],
            [self.L["ews_level"], self.term("level", prev.ews_level), self.term("level", a.ews_level), ""],
        ]  # fmt: skip
        for name in KEY_RATIOS:
            old, new = getattr(prev, name), getattr(now, name) if now else None
            rows.append([self.R[name], f.ratio(name, old), f.ratio(name, new), f.signed(_diff(new, old))])
        dpd = a.repayment.max_dpd_12m
        rows.append([self.L["max_dpd_12m"], f.number(prev.max_dpd_12m), f.number(dpd),
                     f.signed(_diff(_float(dpd), prev.max_dpd_12m), 0)])  # fmt: skip
        old_warnings = {w.get("indicator") for w in prev.warnings}
        new_warnings = [w for w in a.warnings if w.indicator not in old_warnings]
        new_signals = [s for s in a.reputation.recent if s.signal_date > prev.as_of]
        bullets = [
            self.L["new_warning"].format(
                text=f"{self.term('indicator', w.indicator)} ({self.term('level', w.level)})"
                f" — {self.say(w.msg, w.message)}"
            )
            for w in new_warnings
        ]
        bullets = bullets or [self.L["no_new_warnings"]]
        signal_lines = [
            self.L["new_signal"].format(
                text=f"{self.date(s.signal_date)} {s.category} ({s.severity}) — {s.summary}"
            )
            for s in new_signals
        ]
        bullets += signal_lines or [self.L["no_new_signals"]]
        compared = [msg("engine.memo.compared_with_run", self.i.language, date=self.date(prev.as_of))]
        if rv.last_review is not None and rv.last_review_source == "recorded" and rv.last_review > prev.as_of:
            compared = [msg("engine.memo.compared_with_older_run", self.i.language, date=self.date(prev.as_of),
                             last=self.date(rv.last_review))]  # fmt: skip
        bullets = compared + bullets
        return self.section(
            "changes",
            facts=[self.fact("previous_review", self.date(prev.as_of), prev.as_of.isoformat())],
            tables=[
                Table(
                    columns=[self.L["metric"], self.L["previous"], self.L["current"], self.L["change"]],
                    rows=rows,
                    numeric=[False, True, True, True],
                )
            ],
            bullets=bullets,
        )

    def exposure(self) -> Section:
        e = self.a.exposure
        facts = [
            self.fact("total_limit", self.money(e.total_limit), e.total_limit),
            self.fact("outstanding", self.money(e.outstanding), e.outstanding),
            self.fact("utilisation", f.pct(e.utilisation), e.utilisation),
            self.fact("ead", self.money(e.ead), e.ead),
            self.fact("insured", self.money(e.insured), e.insured),
            self.fact("uninsured", self.money(e.uninsured), e.uninsured),
            self.fact("frozen_facilities", f.number(e.frozen_facilities), e.frozen_facilities),
        ]
        if not e.facilities:
            return self.section("exposure", facts=facts, missing=[self.L["no_facilities"]])
        L = self.L
        table = Table(
            columns=[L["facility"], L["product"], L["status"], L["limit_col"], L["outstanding"], L["utilisation"],
                     L["insured"], L["maturity"]],
            rows=[
                [x.facility_id, self.term("product", x.product), self.term("status", x.status), self.money(x.limit), self.money(x.outstanding),
                 f.pct(x.utilisation), self.money(x.insured), self.date(x.maturity)]
                for x in e.facilities
            ],
            numeric=[False, False, False, True, True, True, True, False],
        )  # fmt: skip
        return self.section("exposure", facts=facts, tables=[table], chart="utilisation")

    def financials(self) -> Section:
        fa = self.a.financials
        if not fa.periods:
            return self.section(
                "financials", missing=[self.L["no_statements"]], bullets=self.says(fa.note_msgs, fa.notes)
            )
        periods = fa.periods[:MAX_PERIODS]
        trends = {t.metric: t for t in fa.trends}
        columns = [
            self.L["metric"],
            *(_period_label(p, self.term, self.date) for p in periods),
            self.L["trend"],
        ]
        rows = [
            [
                self.R[name],
                *(self.money(getattr(p, name)) for p in periods),
                _trend_word(trends.get(name), self.L),
            ]
            for name in TABLE_AMOUNTS
        ]
        rows += [
            [
                self.R[name],
                *(f.ratio(name, getattr(p, name)) for p in periods),
                _trend_word(trends.get(name), self.L),
            ]
            for name in f.RATIO_FORMATS
        ]
        facts = [
            self.fact("statements_as_of", self.date(fa.latest_period_end), fa.latest_period_end.isoformat()
                      if fa.latest_period_end else None),
            self.fact("statement_age", f.NA if fa.statement_age_months is None else
                      self.L["months"].format(n=fa.statement_age_months), fa.statement_age_months),
        ]  # fmt: skip
        bullets = [
            self.L["outside_policy"].format(
                label=self.factor_label(x.name, x.label),
                text=self.factor_value(x),
                points=f.number(x.points, 1),
                max=f.number(x.max_points, 1),
            )
            for x in self.a.rating.factors
            if x.max_points > 0 and x.points < WEAK_FACTOR_SHARE * x.max_points
        ]
        bullets += [self.say(t.msg, t.text) for t in fa.trends if t.direction == "deteriorating"]
        bullets += self.says(fa.note_msgs, fa.notes)
        missing = [self.L["stale_statements"].format(months=fa.statement_age_months)] if fa.stale else []
        return self.section(
            "financials",
            facts=facts,
            tables=[
                Table(
                    columns=columns,
                    rows=rows,
                    numeric=[False, *([True] * len(periods)), False],
                    caption=self.L["unaudited_note"] if any(not p.audited for p in periods) else None,
                )
            ],
            bullets=bullets,
            missing=missing,
            chart="ratios",
        )

    def flows(self) -> Section:
        if self.i.bank_statements is not None:  # imported bank statements: their analytics (statements)
            return statement_flows_section("flows", self.L["flows"], self.i.bank_statements, self.i.language)
        fl = self.a.flows
        if fl.months == 0:
            return self.section(
                "flows", missing=[self.L["no_flows"]], bullets=self.says(fl.note_msgs, fl.notes)
            )
        period = f"{self.month(fl.first_month)} – {self.month(fl.last_month)}"
        return self.section(
            "flows",
            facts=[
                self.fact("flow_months", f.number(fl.months), fl.months),
                self.fact("flow_period", period, [fl.first_month, fl.last_month]),
                self.fact("avg_inflow", self.money(fl.avg_monthly_inflow), fl.avg_monthly_inflow),
                self.fact("avg_outflow", self.money(fl.avg_monthly_outflow), fl.avg_monthly_outflow),
                self.fact("net_flow", self.money(fl.net_flow), fl.net_flow),
                self.fact("inflow_trend", _signed_pct(fl.inflow_trend), fl.inflow_trend),
                self.fact("inflow_volatility", f.number(fl.inflow_volatility, 2), fl.inflow_volatility),
                self.fact("bounced_12m", f.number(fl.bounced_payments_12m), fl.bounced_payments_12m),
            ],
            bullets=self.says(fl.note_msgs, fl.notes),
        )

    def repayment(self) -> Section:
        r = self.a.repayment
        facts = [
            self.fact("instalments_12m", f.number(r.instalments_12m), r.instalments_12m),
            self.fact("current_dpd", f.number(r.current_dpd), r.current_dpd),
            self.fact("max_dpd_12m", f.number(r.max_dpd_12m), r.max_dpd_12m),
            self.fact("late_30", f.number(r.late_30_count_12m), r.late_30_count_12m),
            self.fact("late_60", f.number(r.late_60_count_12m), r.late_60_count_12m),
            self.fact("late_90", f.number(r.late_90_count_12m), r.late_90_count_12m),
            self.fact("on_time_ratio", f.pct(r.on_time_ratio), r.on_time_ratio),
            self.fact("cures_12m", f.number(r.cures_12m), r.cures_12m),
        ]
        missing = [self.L["no_repayments"]] if r.instalments_12m == 0 else []
        return self.section(
            "repayment", facts=facts, bullets=self.says(r.note_msgs, r.notes), missing=missing
        )

    def reputation(self) -> Section:
        rep = self.a.reputation
        facts = [
            self.fact("reputation_score", f.number(rep.score, 2), rep.score),
            self.fact("signals", f.number(rep.signals), rep.signals),
            self.fact("adverse_signals", f.number(rep.adverse_signals), rep.adverse_signals),
        ]
        if not rep.recent:
            return self.section(
                "reputation",
                facts=facts,
                bullets=self.says(rep.note_msgs, rep.notes) or [self.L["no_signals"]],
            )
        L = self.L
        table = Table(
            columns=[L["date"], L["category"], L["severity"], L["source"], L["summary"]],
            rows=[
                [
                    self.date(s.signal_date),
                    self.term("category", s.category),
                    self.term("severity", s.severity),
                    self.term("source", s.source),
                    s.summary,
                ]
                for s in rep.recent
            ],  # fmt: skip
            numeric=[False] * 5,
        )
        return self.section(
            "reputation", facts=facts, tables=[table], bullets=self.says(rep.note_msgs, rep.notes)
        )

    def rating(self) -> Section:
        r = self.a.rating
        facts = [
            self.fact("model_id", self.term("model", r.model_id), r.model_id),
            self.fact("score", f.number(r.score, 1), r.score),
            self.fact("grade", self.grade(r.grade, r.grade_name), r.grade),
            self.fact("pd", f.pct(r.pd, 2), r.pd, label=self.L["pd"]),
            self.fact("lgd", f.pct(r.lgd), r.lgd, label=self.L["lgd"]),
            self.fact("ead", self.money(r.ead), r.ead),
            self.fact("el", self.money(r.el), r.el),
            self.fact("previous_grade", self.grade(r.previous_grade), r.previous_grade),
        ]
        L = self.L
        table = Table(
            columns=[L["factor"], L["value"], L["points"], L["comment"]],
            rows=[
                [
                    self.factor_label(x.name, x.label),
                    f.number(x.value, 2),
                    f"{f.number(x.points, 1)} / {f.number(x.max_points, 1)}",
                    self.say(x.msg, x.text),
                ]
                for x in r.factors
            ],
            numeric=[False, True, True, False],
        )
        codes = [self.reason_text(c) for c in r.reason_codes]  # the code itself is internal
        return self.section(
            "rating",
            facts=facts,
            tables=[table] if r.factors else [],
            bullets=codes or [self.L["no_reason_codes"]],
        )

    def warnings(self) -> Section:
        ws = self.a.warnings
        if not ws:
            return self.section("warnings", bullets=[self.L["no_warnings"]])
        L = self.L
        table = Table(
            columns=[L["indicator"], L["level"], L["value"], L["threshold"], L["date"], L["message"]],
            rows=[[self.term("indicator", w.indicator), self.term("level", w.level), f.number(w.value, 2), f.number(w.threshold, 2), self.date(w.date), self.say(w.msg, w.message)]
                  for w in ws],
            numeric=[False, False, True, True, False, False],
        )  # fmt: skip
        return self.section("warnings", facts=[self.fact("ews_level", self.term("level", self.a.ews_level), self.a.ews_level)],
                            tables=[table])  # fmt: skip

    def concentration(self) -> Section:
        lines = self.a.concentration
        if not lines:
            return self.section("concentration", bullets=[self.L["no_concentration"]])
        L = self.L
        table = Table(
            columns=[L["dimension"], L["bucket"], L["exposure_total"], L["share"], L["limit_share"], L["level"],
                     L["headroom"]],
            rows=[[self.term("dimension", c.dimension), self.bucket(c.dimension, c.bucket), self.money(c.exposure), f.pct(c.share, 2),
                   f.pct(c.limit_share, 2), self.term("level", c.level), self.money(c.headroom)] for c in lines],
            numeric=[False, False, True, True, True, False, True],
        )  # fmt: skip
        return self.section("concentration", tables=[table])

    def insurance(self) -> Section:
        ins = self.a.insurance
        facts = [
            self.fact("exposure_total", self.money(ins.exposure), ins.exposure),
            self.fact("insured", self.money(ins.insured), ins.insured),
            self.fact("uninsured", self.money(ins.uninsured), ins.uninsured),
            self.fact("cover_ratio", f.pct(ins.cover_ratio), ins.cover_ratio),
            self.fact("insurance_required", self.L["yes" if ins.required else "no"], ins.required),
            self.fact("required_ratio", f.pct(ins.required_ratio), ins.required_ratio),
            self.fact("gap", self.money(ins.gap), ins.gap),
        ]
        bullets = [self.L["expiring"].format(cover=c) for c in ins.expiring] + self.says(
            ins.note_msgs, ins.notes
        )
        if not ins.covers:
            return self.section("insurance", facts=facts, bullets=[self.L["no_covers"], *bullets])
        L = self.L
        table = Table(
            columns=[L["insurer"], L["status"], L["insured_limit"], L["coverage_pct"], L["effective_cover"],
                     L["expiry"]],
            rows=[[c.insurer, self.term("status", c.status), self.money(c.insured_limit), f.pct(c.coverage, 0),
                   self.money(c.effective_cover), self.date(c.expiry_date)] for c in ins.covers],
            numeric=[False, False, True, True, True, False],
        )  # fmt: skip
        return self.section("insurance", facts=facts, tables=[table], bullets=bullets)

    def contacts(self) -> Section:
        cs = self.a.contact
        facts = [
            self.fact("last_contact", self.date(cs.last_contact) + (f" ({self.term('contact', cs.last_kind)})" if cs.last_kind else ""),
                      cs.last_contact.isoformat() if cs.last_contact else None),
            self.fact("planned_contact", self.date(cs.planned), cs.planned.isoformat() if cs.planned else None),
            self.fact("next_contact_due", self.date(cs.next_due) + (
                f" — {self.L['overdue_by'].format(days=cs.days_overdue)}" if cs.overdue else ""),
                cs.next_due.isoformat()),
            self.fact("contact_frequency", self.L["every_days"].format(days=cs.frequency_days), cs.frequency_days),
        ]  # fmt: skip
        if not self.i.contacts:
            return self.section("contacts", facts=facts, bullets=[self.L["no_contacts"]])
        L = self.L
        table = Table(
            columns=[L["date"], L["kind"], L["officer"], L["notes"]],
            rows=[
                [self.date(c.contact_date), self.term("contact", c.kind), c.officer_id, c.notes]
                for c in self.i.contacts
            ],
            numeric=[False] * 4,
        )
        note = self.say(cs.note_msg, cs.note)
        return self.section("contacts", facts=facts, tables=[table], bullets=[note] if note else [])

    def limit(self) -> Section:
        lim, p = self.a.limit, self.a.proposal
        binding = next((c for c in lim.constraints if c.name == lim.binding), None)
        L = self.L
        table = Table(
            columns=[L["constraint"], L["value"], L["binds"], L["explanation"]],
            rows=[
                [
                    self.term("constraint", c.name),
                    self.money(c.value),
                    self.L["yes"] if c.binds else "",
                    self.say(c.explanation_msg, c.explanation),
                ]
                for c in lim.constraints
            ],
            numeric=[False, True, False, False],
        )
        return self.section(
            "limit",
            facts=[
                self.fact("current_limit", self.money(lim.current_limit), lim.current_limit),
                self.fact("recommended_limit", self.money(lim.recommended), lim.recommended),
                self.fact("binding", self.term("constraint", binding.name) if binding else f.NA, lim.binding),
                self.fact("recommendation", self.action(p.action), p.action),
                self.fact("target_limit", self.money(p.target_limit), p.target_limit),
            ],
            tables=[table],
            bullets=[self.say(lim.explanation_msg, lim.explanation), *self.says(p.reason_msgs, p.reasons)],
        )

    def policy_refs(self) -> Section:
        if not self.i.citations:
            return self.section("policy_refs", missing=[self.L["no_citations"]])
        return self.section(
            "policy_refs",
            bullets=[f"{c.label}: {excerpt(plain_text(c.text, self.i.language))}" for c in self.i.citations],
        )

    def conditions(self) -> Section:
        a, L = self.a, self.L
        out = [
            L["cond_warning"].format(
                indicator=self.term("indicator", w.indicator),
                level=self.term("level", w.level),
                message=self.say(w.msg, w.message),
            )  # fmt: skip
            for w in a.warnings
        ]
        out += [
            L["cond_trend"].format(metric=self.R.get(t.metric, t.metric), text=self.say(t.msg, t.text))
            for t in a.financials.trends
            if t.direction == "deteriorating"
        ]
        ins = a.insurance
        if ins.required and ins.gap > 0:
            out.append(L["cond_cover_gap"].format(gap=self.money(ins.gap), ratio=f.pct(ins.required_ratio)))
        out += [
            L["cond_cover_expiry"].format(cover=c.cover_id, date=self.date(c.expiry_date))
            for c in ins.covers
            if c.cover_id in ins.expiring
        ]
        if not a.financials.periods:
            out.append(L["cond_no_statements"])
        elif a.financials.stale:
            out.append(L["cond_statements"].format(date=self.date(a.financials.latest_period_end)))
        if a.flows.months == 0:
            out.append(L["cond_no_flows"])
        if a.exposure.frozen_facilities:
            out.append(L["cond_frozen"].format(n=a.exposure.frozen_facilities))
        out.append(
            L["cond_contact"].format(
                date=self.date(a.contact.next_due), note=self.say(a.contact.note_msg, a.contact.note)
            )
        )
        out.append(L["cond_next_review"].format(date=self.date(self.next_review())))
        return self.section("conditions", bullets=out)

    def signoff(self) -> Section:
        L = self.L
        table = Table(
            columns=[L["role"], L["name"], L["date"], L["signature"]],
            rows=[
                [L["prepared"], self.i.prepared_by, self.date(self.i.created_at.date()), ""],
                [L["reviewed"], "", "", ""],
                [L["approved"], "", "", ""],
            ],
            numeric=[False] * 4,
        )
        return self.section("signoff", tables=[table])

    # --- charts ------------------------------------------------------------------------------------
    def charts(self) -> list[ChartSpec]:
        out: list[ChartSpec] = []
        if self.i.history:
            points = [(r.as_of, r.utilisation) for r in reversed(self.i.history)]
            points.append((self.a.as_of, self.a.exposure.utilisation))
            out.append(
                ChartSpec(
                    key="utilisation",
                    title=self.L["chart_utilisation"],
                    unit="%",
                    series=[ChartSeries(key="utilisation", label=self.L["utilisation"], points=points)],
                )
            )
        periods = list(reversed(self.a.financials.periods[: MAX_PERIODS * 2]))
        if len(periods) >= 2:
            series = [
                ChartSeries(
                    key=name, label=self.R[name], points=[(p.period_end, getattr(p, name)) for p in periods]
                )
                for name in CHART_RATIOS
                if any(getattr(p, name) is not None for p in periods)
            ]
            if series:
                out.append(ChartSpec(key="ratios", title=self.L["chart_ratios"], unit="x", series=series))
        return out


# --- small helpers -----------------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """d plus whole months, the day clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _latest(a: ClientAssessment) -> RatioRow | None:
    return a.financials.periods[0] if a.financials.periods else None


def _diff(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _signed_int(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _signed_pct(value: float | None) -> str:
    return f.NA if value is None else f"{value * 100:+,.1f}%"


def _period_label(p: RatioRow, term: Any, date: Any) -> str:
    kind = term("period", p.period_type)  # FY / Q, 年度 / 季度
    return f"{kind} {date(p.period_end)}{'' if p.audited else ' *'}"


def _trend_word(t: Trend | None, L: dict[str, str]) -> str:
    if t is None:
        return ""
    return f.NA if t.direction == "n/a" else L[t.direction]
