"""The credit engine's and approvals' own words: indicators, constraints and exceptions it adds, warnings,
notes and reasons. Results carry codes and numbers; these templates turn them into text."""

from __future__ import annotations

EN: dict[str, str] = {
    # indicators added by the engine (names; the `vocab` area holds the older ones)
    "indicator.low_dscr": "Low debt service cover",
    "indicator.review_overdue": "Periodic review overdue",
    "indicator.insurance_missing": "Mandatory credit insurance missing",
    # warning messages
    "engine.warning.low_dscr": "debt service cover {value:.2f}x is below {threshold:.2f}x (statements of {date})",
    "engine.warning.review_overdue": "periodic review {value:.0f} days overdue (due {date})",
    "engine.warning.insurance_missing_none": "credit insurance is mandatory and no active cover is on file",
    "engine.warning.insurance_missing_short": "mandatory credit insurance covers {value:.0%} of the exposure; "
    "the policy asks for {threshold:.0%}",
    # figures shown as n/a, with the reason
    "engine.na.ebitda_not_positive": "n/a (EBITDA is not positive)",
    "engine.na.equity_not_positive": "n/a (equity is not positive)",
    "engine.na.zero_denominator": "n/a (zero denominator)",
    # rating
    "engine.rating.no_statements": "no financial statements on file: the rating rests on account behaviour only",
    "engine.rating.no_statements_capped": "no financial statements on file: the rating rests on account "
    "behaviour only and the policy caps the grade at {grade}",
    # limits
    "constraint.conc_sector_over_cap": "{dimension} '{bucket}' holds {share:.1%} of book limits, above its "
    "{limit:.1%} cap: a portfolio finding that stops increases in this {dimension} (the current limit stands)",
    "constraint.conc_sector_room": "the {dimension} '{bucket}' may grow by {ccy} {room:,.0f} before its "
    "{limit:.1%} cap: the limit may rise at most by that much",
    "constraint.conc_name": "{dimension} '{name}': {book_limit} of book limits ({ccy} {by_book:,.0f}) and "
    "{capital_limit} of capital ({ccy} {by_capital:,.0f}); the {binds} binds: at most {ccy} {cap:,.0f}",
    "constraint.conc_name_book": "{dimension} '{name}': {book_limit} of book limits allows at most {ccy} {cap:,.0f}",
    "constraint.dim.book": "share of book limits",
    "constraint.dim.capital": "share of capital",
    # proposals
    "engine.proposal.reduction_plan": "reduction plan: {ccy} {outstanding:,.0f} is drawn against a "
    "recommendation of {ccy} {recommended:,.0f}; agree how the client repays {ccy} {reduce:,.0f}",
    "engine.proposal.segment_over_cap": "no increase: {dimension} '{bucket}' is above its concentration cap",
    # approvals: exceptions the engine's figures raise
    "exception.past_due": "Payment past due",
    "exception.freeze_proposed": "Engine proposes a freeze",
    "exception.review_overdue": "Periodic review overdue",
    "exception.no_statements": "No financial statements",
    "engine.exception.past_due": "a payment is {dpd} days past due (policy threshold {threshold} days)",
    "engine.exception.freeze_proposed": "the engine proposes to freeze this client's lines",
    "engine.exception.review_overdue": "the periodic review is {days} days overdue (policy threshold {threshold})",
    "engine.exception.no_statements": "no financial statements on file: the figures rest on account behaviour only",
    "engine.exception.insurance_none": "credit insurance is mandatory and no active cover is on file",
    "engine.route.pending_group": "including {count} other pending request(s) of the group ({ccy} {amount:,.2f})",
    "engine.route.rerouted": "the basis changed since the request was raised: re-routed to {level}",
    "engine.chain.kept_for_higher": "you may sign the later step {step} ({name}) and are kept for it: "
    "this {lower} step can be signed by {names}",
    "engine.chain.nobody_left": "nobody else can sign step {step} ({name}) of this chain",
    # memos
    "engine.memo.no_figures_for_last_review": "The last review was on {date}, but no figures were stored with "
    "it: nothing to compare; the figures in this memo are as of {as_of}.",
    "engine.memo.compared_with_run": "Compared with the figures of the review run of {date}.",
    "engine.memo.compared_with_older_run": "The last review was on {last}; no figures were stored with it, so "
    "this compares with the latest earlier review run, of {date}.",
}

ZH: dict[str, str] = {
    "indicator.low_dscr": "偿债覆盖率偏低",
    "indicator.review_overdue": "定期复审逾期",
    "indicator.insurance_missing": "缺少强制信用保险",
    "engine.warning.low_dscr": "偿债覆盖率 {value:.2f} 倍，低于 {threshold:.2f} 倍（{date} 报表）",
    "engine.warning.review_overdue": "定期复审已逾期 {value:.0f} 天（应于 {date} 完成）",
    "engine.warning.insurance_missing_none": "信用保险为强制要求，但没有有效保单",
    "engine.warning.insurance_missing_short": "强制信用保险仅覆盖敞口的 {value:.0%}，政策要求 {threshold:.0%}",
    "engine.na.ebitda_not_positive": "不适用（EBITDA 非正）",
    "engine.na.equity_not_positive": "不适用（所有者权益非正）",
    "engine.na.zero_denominator": "不适用（分母为零）",
    "engine.rating.no_statements": "无财务报表：评级仅依据账户行为",
    "engine.rating.no_statements_capped": "无财务报表：评级仅依据账户行为，政策将等级上限定为 {grade} 级",
    "constraint.conc_sector_over_cap": "{dimension}“{bucket}”占账面额度的 {share:.1%}，超过 {limit:.1%} 的上限："
    "组合层面的发现，该{dimension}内不得提额（维持现有额度）",
    "constraint.conc_sector_room": "{dimension}“{bucket}”距 {limit:.1%} 上限尚余 {ccy} {room:,.0f}：额度最多可增加该金额",
    "constraint.conc_name": "{dimension}“{name}”：账面额度的 {book_limit}（{ccy} {by_book:,.0f}）与资本的 "
    "{capital_limit}（{ccy} {by_capital:,.0f}）；以{binds}为准：最多 {ccy} {cap:,.0f}",
    "constraint.conc_name_book": "{dimension}“{name}”：账面额度的 {book_limit}，最多 {ccy} {cap:,.0f}",
    "constraint.dim.book": "账面额度占比",
    "constraint.dim.capital": "资本占比",
    "engine.proposal.reduction_plan": "压降计划：已提用 {ccy} {outstanding:,.0f}，建议额度为 {ccy} {recommended:,.0f}；"
    "需与客户商定偿还 {ccy} {reduce:,.0f}",
    "engine.proposal.segment_over_cap": "不得提额：{dimension}“{bucket}”超过集中度上限",
    "exception.past_due": "逾期还款",
    "exception.freeze_proposed": "引擎建议冻结",
    "exception.review_overdue": "定期复审逾期",
    "exception.no_statements": "无财务报表",
    "engine.exception.past_due": "有一笔还款逾期 {dpd} 天（政策阈值 {threshold} 天）",
    "engine.exception.freeze_proposed": "引擎建议冻结该客户的额度",
    "engine.exception.review_overdue": "定期复审已逾期 {days} 天（政策阈值 {threshold}）",
    "engine.exception.no_statements": "无财务报表：数据仅依据账户行为",
    "engine.exception.insurance_none": "信用保险为强制要求，但没有有效保单",
    "engine.route.pending_group": "含集团其他 {count} 笔待审批申请（{ccy} {amount:,.2f}）",
    "engine.route.rerouted": "申请提交后依据已变化：改由 {level} 审批",
    "engine.chain.kept_for_higher": "您可签批后续第 {step} 步（{name}），请保留至该步：本{lower}步可由 {names} 签批",
    "engine.chain.nobody_left": "本审批链第 {step} 步（{name}）已无其他人可签批",
    "engine.memo.no_figures_for_last_review": "上次审查日期为 {date}，但当时未保存数据：无从比较；本报告数据截至 {as_of}。",
    "engine.memo.compared_with_run": "与 {date} 审查运行的数据相比。",
    "engine.memo.compared_with_older_run": "上次审查日期为 {last}，当时未保存数据，因此与更早的 {date} 审查运行相比。",
}
