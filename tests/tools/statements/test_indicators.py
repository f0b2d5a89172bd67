"""The bank-statement early warnings: levels and thresholds from the policy, messages naming the figures and
the transactions behind them (EN + ZH), worked out by hand from `export_zh.csv` (see test_analysis.py):
inflows 580,000 (largest payer 400,000), outflows 330,000: 80,000 to 中国工商银行上海分行 (a lender),
200,000 to the group's holding, 50,000 cash; one returned item of 30,000."""

from __future__ import annotations

import datetime as dt

from crm_adapter.statements import read_statement_file
from tests.tools.statements.test_analysis import SAMPLES, analyse
from tools.statements.indicators import statement_warnings


def test_warnings_name_their_figures_and_transactions() -> None:
    sts, _, _ = read_statement_file(SAMPLES / "export_zh.csv")
    a = analyse(sts, dt.date(2026, 3, 15), related=["上海恒丰控股集团有限公司"])
    en = {w.indicator: w for w in statement_warnings(a)}
    assert set(en) == {"statement_top_counterparty_share", "statement_returned_items", "statement_other_lender_payments",
                       "statement_related_party_share", "statement_cash_withdrawal_share"}  # fmt: skip
    assert [w.level for w in statement_warnings(a)][:1] == ["red"]  # worst first
    lender = en["statement_other_lender_payments"]
    assert (lender.level, lender.value, lender.threshold) == ("amber", 1.0, 1.0)
    assert "CNY 80,000.00 in all (中国工商银行上海分行)" in lender.message and "-80,000.00" in lender.message
    rp = en["statement_related_party_share"]
    assert (
        rp.level == "red" and rp.threshold == 0.4 and "61% of outflows (CNY 200,000.00)" in rp.message
    )  # 200/330
    cash = en["statement_cash_withdrawal_share"]
    assert cash.level == "amber" and "15% of outflows are cash withdrawals (1, CNY 50,000.00)" in cash.message
    ret = en["statement_returned_items"]
    assert (
        ret.level == "amber" and "1 returned or bounced items" in ret.message and "30,000.00" in ret.message
    )
    assert ret.date is not None  # the returned item's booking date
    zh = {w.indicator: w for w in statement_warnings(a, "zh")}
    assert (
        "向其他金融机构还款 1 笔，合计 CNY 80,000.00（中国工商银行上海分行）"
        in zh["statement_other_lender_payments"].message
    )
    assert "相关交易" in zh["statement_returned_items"].message


def test_below_thresholds_or_no_statements_gives_nothing() -> None:
    sts, _, _ = read_statement_file(SAMPLES / "export_zh.csv")
    loose = {k: {"amber": 99.0, "red": 99.0} for k in ("top_counterparty_share", "returned_items", "other_lender_payments",
                                                        "related_party_share", "cash_withdrawal_share")}  # fmt: skip
    assert (
        statement_warnings(analyse(sts, dt.date(2026, 3, 15), related=["上海恒丰控股集团有限公司"], **loose))
        == []
    )
    assert statement_warnings(None) == []


def test_each_warning_carries_its_code_so_every_surface_writes_it_in_the_readers_language() -> None:
    """The English warning (what the API keeps) and a Chinese page rendering the same warning's code."""
    from kernel.catalogue import render

    sts, _, _ = read_statement_file(SAMPLES / "export_zh.csv")
    a = analyse(sts, dt.date(2026, 3, 15), related=["上海恒丰控股集团有限公司"])
    lender = {w.indicator: w for w in statement_warnings(a)}["statement_other_lender_payments"]
    assert lender.msg is not None and render(lender.msg, "en") == lender.message
    zh = render(lender.msg, "zh")
    assert zh.startswith("向其他金融机构还款 1 笔，合计 CNY 80,000.00（中国工商银行上海分行）")
    assert "相关交易" in zh and "in all" not in zh and "behind it" not in zh
