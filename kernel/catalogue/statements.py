"""Bank statements: import summaries and the findings of the bank-statement analysis (银行流水分析)."""

from __future__ import annotations

EN: dict[str, str] = {
    "statements.imported_title": "Statements imported for client {client}",
    "statements.imported_counts": "{added} transactions added, {skipped} already stored; bank flows derived for: {months}",
    "statements.analysis_title": "Bank statements ({accounts} accounts, {transactions} transactions, {start} to {end}, {currency})",
    "statements.none": "Bank statements: none imported",
    "statements.month_line": "{month}: in {inflows}, out {outflows}, average balance {avg}, lowest {low}, returned {returned}",
    "statements.finding.top_counterparty_share": "Largest payer brings {value} of inflows",
    "statements.finding.inflow_volatility": "Monthly inflows vary by {value} of their average",
    "statements.finding.returned_items": "{value} returned or bounced items",
    "statements.finding.other_lender_payments": "{value} payments to other lenders (debt we may not know about)",
    "statements.finding.related_party_share": "{value} of outflows go to group members (related parties)",
    "statements.finding.cash_withdrawal_share": "{value} of outflows are cash withdrawals",
    "statements.finding.window_dressing": "Month-end balance {value}× the month's average (window dressing?)",
    "statements.finding.inflow_drop": "Inflows of the last 3 months down {value} on the months before",
}

ZH: dict[str, str] = {
    "statements.imported_title": "客户 {client} 的银行流水已导入",
    "statements.imported_counts": "新增 {added} 笔交易，{skipped} 笔已存在；已生成月度流水：{months}",
    "statements.analysis_title": "银行流水（{accounts} 个账户，{transactions} 笔交易，{start} 至 {end}，{currency}）",
    "statements.none": "银行流水：尚未导入",
    "statements.month_line": "{month}：流入 {inflows}，流出 {outflows}，日均余额 {avg}，最低余额 {low}，退票 {returned}",
    "statements.finding.top_counterparty_share": "最大付款方占流入的 {value}",
    "statements.finding.inflow_volatility": "月度流入波动为均值的 {value}",
    "statements.finding.returned_items": "退票或退回 {value} 笔",
    "statements.finding.other_lender_payments": "向其他金融机构还款 {value} 笔（可能存在未知负债）",
    "statements.finding.related_party_share": "流出中 {value} 流向集团关联方",
    "statements.finding.cash_withdrawal_share": "流出中 {value} 为现金支取",
    "statements.finding.window_dressing": "月末余额为当月日均的 {value} 倍（疑似月末冲量）",
    "statements.finding.inflow_drop": "近 3 个月流入较此前下降 {value}",
}
