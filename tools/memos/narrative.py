"""Narrative paragraphs: written from the memo's structured facts, never from anywhere else.

- `Narrator` is the seam: `write(memo) -> {section key: [paragraph, …]}`.
- `TemplateNarrator` (default, offline) fills sentence templates with the formatted facts.
- `LlmNarrator` asks an injected LangChain chat model to write the same paragraphs from the facts.
- `apply_narrative` guards any non-template narrator: every number in its text must appear in the memo's
  data (facts, tables, bullets, raw tool results), else the template narrative is used and the reason
  is recorded in `memo.narrative_notes`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Protocol

from tools.memos.labels import labels
from tools.memos.models import Memo, Section

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

NARRATED_SECTIONS: tuple[str, ...] = (
    "executive_summary", "changes", "financials", "flows", "repayment", "reputation", "limit",
)  # fmt: skip

# a number as written in text: 1,250,000 · 87.3 · -0.5 · 2026 (not digits glued to letters, e.g. "Q3")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d[\d,]*(?:\.\d+)?")


class Narrator(Protocol):
    name: str

    def write(self, memo: Memo) -> dict[str, list[str]]: ...


# --- the number guard ------------------------------------------------------------------------------


def _canonical(token: str) -> str | None:
    try:
        value = Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


def numbers_in(text: str) -> set[str]:
    """Every number in `text`, canonical (no separators, no trailing zeros, unsigned)."""
    return {c for c in (_canonical(m.group(0)) for m in NUMBER.finditer(text)) if c is not None}


def memo_numbers(memo: Memo) -> set[str]:
    """The numbers a narrative may use: those shown in the memo and those in its data snapshot."""
    shown: list[str] = [f.value for f in memo.header.facts]
    for s in memo.sections:
        shown += [f.value for f in s.facts] + s.bullets + s.missing
        shown += [cell for t in s.tables for row in t.rows for cell in row]
    shown.append(json.dumps(memo.data, default=str))
    return numbers_in("\n".join(shown))


def invented_numbers(paragraphs: dict[str, list[str]], allowed: set[str]) -> list[str]:
    found = numbers_in("\n".join(p for ps in paragraphs.values() for p in ps))
    return sorted(found - allowed)


def apply_narrative(memo: Memo, narrator: Narrator | None) -> Memo:
    """Fill each narrated section's paragraphs; a non-template narrator's text must pass the guard."""
    template = TemplateNarrator()
    written = template.write(memo)
    name, notes = template.name, list(memo.narrative_notes)
    if narrator is not None and narrator.name != template.name:
        reason = None
        try:
            candidate = narrator.write(memo)
        except Exception as exc:  # a model outage must not stop the memo
            reason = f"{type(exc).__name__}: {exc}"[:200]
        else:
            invented = invented_numbers(candidate, memo_numbers(memo))
            if invented:
                reason = "numbers not in the data: " + ", ".join(invented[:10])
            elif not any(candidate.get(k) for k in NARRATED_SECTIONS):
                reason = "no paragraphs returned"
            else:
                written = {k: candidate.get(k) or written.get(k, []) for k in NARRATED_SECTIONS}
                name = narrator.name
        if reason:
            notes.append(labels(memo.language)["narrative_fallback"].format(reason=reason))
    sections = [s.model_copy(update={"narrative": written.get(s.key, s.narrative)}) for s in memo.sections]
    return memo.model_copy(update={"sections": sections, "narrator": name, "narrative_notes": notes})


# --- the template narrator ---------------------------------------------------------------------------


def _v(section: Section, key: str) -> str:
    fact = section.fact(key)
    return fact.value if fact else "n/a"


_EN = {
    "summary": "{client} is rated grade {grade}, PD {pd}, with an early-warning level of {ews}. "
    "{outstanding} is drawn, a utilisation of {util}. Recommendation: {action} — current limit {current}, "
    "target {target}; the policy-recommended limit is {recommended}.",
    "first": "This is the first review on record for the client; no earlier review run is available to compare.",
    "changed": "Since the review run of {date}: grade {g0} → {g1}, utilisation {u0} → {u1}, "
    "early-warning level {e0} → {e1}.",
    "financials": "The latest statements are for the period ending {date} ({age} old). The table sets out the "
    "ratios over the periods on file; ratios weak against the policy scorecard and deteriorating trends are "
    "listed below it.",
    "flows": "Over {months} months ({period}) monthly inflows averaged {inflow} against outflows of {outflow}, "
    "a net flow of {net}. The inflow trend is {trend}; bounced payments in the last 12 months: {bounced}.",
    "repayment": "{on_time} of instalments were paid on time. Current days past due: {dpd}; the maximum in the "
    "last 12 months was {max_dpd}; instalments more than 30 days late: {late30}.",
    "reputation": "Reputation signals on record: {signals}, of which adverse: {adverse}; the time-weighted "
    "adverse-signal score is {score} (0 = clean).",
    "limit": "The policy-recommended limit is {recommended} against a current limit of {current}; the binding "
    "constraint is {binding}. Each constraint is listed below with its value.",
}
_ZH = {
    "summary": "{client} 评级为 {grade}，违约概率 {pd}，预警级别为 {ews}。已用余额 {outstanding}，"
    "使用率 {util}。建议：{action}——现有额度 {current}，目标额度 {target}；政策建议额度为 {recommended}。",
    "first": "这是该客户的首次审查，没有以往审查记录可供比较。",
    "changed": "自 {date} 的审查以来：评级 {g0} → {g1}，使用率 {u0} → {u1}，预警级别 {e0} → {e1}。",
    "financials": "最新财务报表截至 {date}（距今 {age}）。下表列示各期比率；按政策评分卡偏弱的比率及恶化趋势列于表后。",
    "flows": "在 {months} 个月（{period}）内，月均流入 {inflow}，月均流出 {outflow}，净流量 {net}。"
    "流入趋势为 {trend}，过去 12 个月退票 {bounced} 次。",
    "repayment": "按时还款比例为 {on_time}。当前逾期天数 {dpd}；过去 12 个月最长逾期 {max_dpd} 天，"
    "逾期超过 30 天的有 {late30} 笔。",
    "reputation": "共有 {signals} 条声誉信息，其中负面 {adverse} 条；按时间加权的负面信息评分为 {score}（0 = 无）。",
    "limit": "政策建议额度为 {recommended}，现有额度为 {current}；约束条件为 {binding}。各项约束及其数值列于下表。",
}


class TemplateNarrator:
    """Fills fixed sentences with the memo's formatted facts; says what is missing where data is absent."""

    name = "template"

    def write(self, memo: Memo) -> dict[str, list[str]]:
        t = _ZH if memo.language == "zh" else _EN
        s = {sec.key: sec for sec in memo.sections}
        out: dict[str, list[str]] = {}
        ex, lim = s["executive_summary"], s["limit"]
        out["executive_summary"] = [
            t["summary"].format(
                client=memo.client_name,
                grade=_v(ex, "grade"),
                pd=_v(ex, "pd"),
                ews=_v(ex, "ews_level"),
                outstanding=_v(ex, "outstanding"),
                util=_v(ex, "utilisation"),
                action=_v(ex, "recommendation"),
                current=_v(ex, "current_limit"),
                target=_v(ex, "target_limit"),
                recommended=_v(ex, "recommended_limit"),
            )
        ]
        ch = s["changes"]
        if ch.tables:
            rows = {r[0]: r for r in ch.tables[0].rows}
            L = labels(memo.language)
            g, u, e = rows[L["grade"]], rows[L["utilisation"]], rows[L["ews_level"]]
            out["changes"] = [
                t["changed"].format(
                    date=_v(ch, "previous_review"), g0=g[1], g1=g[2], u0=u[1], u1=u[2], e0=e[1], e1=e[2]
                )
            ]
        else:
            out["changes"] = [t["first"]]
        fin = s["financials"]
        if fin.tables:  # without statements the missing-data note says it all
            out["financials"] = [
                t["financials"].format(date=_v(fin, "statements_as_of"), age=_v(fin, "statement_age"))
            ]
        fl = s["flows"]
        if not fl.missing:
            out["flows"] = [
                t["flows"].format(
                    months=_v(fl, "flow_months"),
                    period=_v(fl, "flow_period"),
                    inflow=_v(fl, "avg_inflow"),
                    outflow=_v(fl, "avg_outflow"),
                    net=_v(fl, "net_flow"),
                    trend=_v(fl, "inflow_trend"),
                    bounced=_v(fl, "bounced_12m"),
                )
            ]
        rp = s["repayment"]
        if not rp.missing:
            out["repayment"] = [
                t["repayment"].format(
                    on_time=_v(rp, "on_time_ratio"),
                    dpd=_v(rp, "current_dpd"),
                    max_dpd=_v(rp, "max_dpd_12m"),
                    late30=_v(rp, "late_30"),
                )
            ]
        rep = s["reputation"]
        out["reputation"] = [
            t["reputation"].format(
                signals=_v(rep, "signals"),
                adverse=_v(rep, "adverse_signals"),
                score=_v(rep, "reputation_score"),
            )
        ]
        out["limit"] = [
            t["limit"].format(
                recommended=_v(lim, "recommended_limit"),
                current=_v(lim, "current_limit"),
                binding=_v(lim, "binding"),
            )
        ]
        return out


# --- the LLM narrator ----------------------------------------------------------------------------------

_SYSTEM = (
    "You are a senior credit analyst writing the narrative paragraphs of a periodic credit review memo. "
    "Write only from the facts given. Quote every figure exactly as it is written in the facts (same "
    "rounding, same units); never compute, estimate or introduce a number that is not in the facts. "
    "Be concise and factual (2–4 sentences per section). Answer with one JSON object mapping each "
    "section key to a list of paragraphs, and nothing else."
)


class LlmNarrator:
    """Writes the narrative with an injected LangChain chat model (any OpenAI-compatible endpoint)."""

    name = "llm"

    def __init__(self, chat_model: BaseChatModel) -> None:
        self.chat_model = chat_model

    def write(self, memo: Memo) -> dict[str, list[str]]:
        facts = {
            s.key: {
                "title": s.title,
                "facts": {f.label: f.value for f in s.facts},
                "tables": [{"columns": t.columns, "rows": t.rows} for t in s.tables],
                "notes": s.bullets,
                "missing": s.missing,
            }
            for s in memo.sections
            if s.key in NARRATED_SECTIONS or s.key == "warnings"
        }
        language = "Simplified Chinese" if memo.language == "zh" else "English"
        prompt = (
            f"Language: {language}. Client: {memo.client_name}. Section keys to write: "
            f"{', '.join(NARRATED_SECTIONS)}.\nFacts:\n{json.dumps(facts, ensure_ascii=False)}"
        )
        reply = self.chat_model.invoke([("system", _SYSTEM), ("human", prompt)])
        return _parse_paragraphs(str(reply.content))


def _parse_paragraphs(text: str) -> dict[str, list[str]]:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("the model did not answer with JSON")
    raw = json.loads(text[start : end + 1])
    out: dict[str, list[str]] = {}
    for key in NARRATED_SECTIONS:
        value = raw.get(key)
        if isinstance(value, str):
            out[key] = [value]
        elif isinstance(value, list):
            out[key] = [str(p) for p in value if str(p).strip()]
    return out
