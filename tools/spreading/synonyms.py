"""The standard chart a spread maps to, with the line names clients use for each figure (EN + ZH).

Figures are the `financials` columns the engine reads plus two it can use later (`current_portion_ltd`,
`depreciation`, kept in the stored mapping). Matching: exact synonym after normalising, else rapidfuzz
(token-set ratio for English, partial ratio for Chinese) above `MIN_SCORE`; the score is the confidence.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "revenues", "sales", "net sales", "turnover", "total revenue", "operating revenue",
                "营业收入", "营业总收入", "主营业务收入", "销售收入"),
    "cogs": ("cost of sales", "cost of goods sold", "cost of revenue", "cogs", "营业成本", "主营业务成本", "销售成本"),
    "ebitda": ("ebitda", "息税折旧摊销前利润"),
    "operating_profit": ("operating profit", "operating income", "profit from operations", "ebit",
                         "营业利润", "经营利润"),
    "depreciation": ("depreciation", "depreciation and amortisation", "depreciation and amortization",
                     "折旧与摊销", "折旧和摊销", "固定资产折旧"),
    "interest_expense": ("interest expense", "finance costs", "interest paid", "financial expenses",
                         "利息费用", "财务费用", "利息支出"),
    "net_income": ("net income", "net profit", "profit for the year", "net profit for the year", "profit after tax",
                   "净利润", "本年净利润", "归属于母公司所有者的净利润"),
    "total_assets": ("total assets", "资产总计", "资产合计", "总资产"),
    "current_assets": ("total current assets", "current assets", "流动资产合计", "流动资产"),
    "cash": ("cash and cash equivalents", "cash", "cash at bank", "货币资金", "现金及现金等价物"),
    "inventory": ("inventories", "inventory", "stock", "存货"),
    "receivables": ("trade receivables", "accounts receivable", "trade and other receivables", "receivables",
                    "应收账款", "应收票据及应收账款"),
    "total_liabilities": ("total liabilities", "负债合计", "负债总计", "总负债"),
    "current_liabilities": ("total current liabilities", "current liabilities", "流动负债合计", "流动负债"),
    "payables": ("trade payables", "accounts payable", "trade and other payables", "payables", "应付账款",
                 "应付票据及应付账款"),
    "total_debt": ("total borrowings", "borrowings", "total debt", "loans and borrowings", "interest-bearing debt",
                   "借款合计", "有息负债", "银行借款"),
    "current_portion_ltd": ("current portion of long-term debt", "current portion of borrowings",
                            "一年内到期的非流动负债", "一年内到期的长期借款"),
    "equity": ("total equity", "shareholders' equity", "total shareholders' equity", "net assets", "equity",
               "所有者权益合计", "股东权益合计", "所有者权益（或股东权益）合计", "净资产"),
    "liabilities_and_equity": ("total liabilities and equity", "total equity and liabilities",
                               "负债和所有者权益总计", "负债和所有者权益（或股东权益）总计", "负债及股东权益合计"),
    "operating_cash_flow": ("net cash from operating activities", "net cash generated from operating activities",
                            "cash flow from operations", "经营活动产生的现金流量净额"),
}  # fmt: skip

# figures stored in `financial_statements` (the others stay in the spread's mapping)
STORED = ("revenue", "cogs", "ebitda", "net_income", "interest_expense", "total_assets", "total_liabilities",
          "current_assets", "current_liabilities", "cash", "inventory", "receivables", "payables", "total_debt",
          "equity", "operating_cash_flow")  # fmt: skip

MIN_SCORE = 86.0

UNITS: tuple[tuple[str, int], ...] = (
    ("百万元", 1_000_000), ("亿元", 100_000_000), ("万元", 10_000), ("千元", 1_000),
    ("in millions", 1_000_000), ("millions", 1_000_000), ("in thousands", 1_000), ("thousands", 1_000),
    ("'000", 1_000), ("000s", 1_000), ("元", 1),
)  # fmt: skip
