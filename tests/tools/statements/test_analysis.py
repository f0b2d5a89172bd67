"""Bank-statement findings worked out by hand from the sample files and small made-up statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from crm_adapter.statements import ParsedStatement, ParsedTransaction, read_statement_file
from crm_adapter.statements.importer import _account_id, _statement_id, _transaction_rows
from tools.statements import StatementsPolicy, analyse_frames
from tools.statements.indicators import warning_message

SAMPLES = Path(__file__).parents[2] / "crm_adapter" / "statements" / "samples"


def frames(statements: list[ParsedStatement]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The stored shape of parsed statements (the importer's own row builders)."""
    tx, st, acc = [], [], {}
    for s in statements:
        sid = _statement_id(s)
        tx += _transaction_rows(s, sid, 1)
        st.append({"statement_id": sid, "account_id": _account_id(s), "client_id": 1, "from_date": s.from_date,
                   "to_date": s.to_date, "currency": s.currency, "opening_balance": s.opening_balance,
                   "closing_balance": s.closing_balance})  # fmt: skip
        acc[_account_id(s)] = {"account_id": _account_id(s), "number": s.account, "currency": s.currency}
    return pd.DataFrame(tx), pd.DataFrame(st), pd.DataFrame(list(acc.values()))


def analyse(statements: list[ParsedStatement], as_of: dt.date, related: list[str] | None = None,
            rates: dict[str, float] | None = None, **policy: object):  # type: ignore[no-untyped-def]  # fmt: skip
    tx, st, acc = frames(statements)
    return analyse_frames(tx, st, acc, client_id=1, as_of=as_of, policy=StatementsPolicy(**policy),
                          related_names=related or [], rates=rates or {})  # fmt: skip


def by_code(analysis):  # type: ignore[no-untyped-def]
    return {f.code: f for f in analysis.findings}


def test_chinese_export_findings() -> None:
    sts, _, _ = read_statement_file(SAMPLES / "export_zh.csv")
    a = analyse(sts, dt.date(2026, 3, 15), related=["上海恒丰控股集团有限公司"])
    f = by_code(a)
    # inflows 150k + 30k + 400k = 580k; the largest payer 杭州西湖纺织 400k
    assert f["top_counterparty_share"].value == pytest.approx(400_000 / 580_000)
    assert f["top_counterparty_share"].level == "amber"
    assert f["returned_items"].value == 1 and f["returned_items"].transactions[0].amount == 30_000
    lenders = f["other_lender_payments"]
    assert lenders.value == 1 and lenders.figures["lenders"] == ["中国工商银行上海分行"]
    assert lenders.transactions[0].amount == -80_000
    # outflows 80k + 200k + 50k = 330k; 200k to the group's holding
    assert f["related_party_share"].value == pytest.approx(200_000 / 330_000)
    assert f["related_party_share"].level == "red"
    assert f["cash_withdrawal_share"].value == pytest.approx(50_000 / 330_000)
    assert f["cash_withdrawal_share"].level == "amber"
    # one month: no stability or trend yet
    assert f["inflow_volatility"].value is None and f["inflow_drop"].value is None
    assert [m.month for m in a.months] == ["2026-02"] and a.months[0].min_balance == 320_000
    assert "向其他金融机构还款 1 笔" in lenders.message("zh")


def test_english_and_dutch_lender_payments() -> None:
    sts = []
    for name in ("ing.sta", "export_en.csv", "camt053_v08.xml"):
        sts += read_statement_file(SAMPLES / name)[0]
    a = analyse(
        sts, dt.date(2026, 5, 31), rates={"EUR": 1.1, "GBP": 1.3, "USD": 1.0}, own_bank_names=["Albion"]
    )
    f = by_code(a)
    assert a.currency == "USD"  # the largest turnover: 36,000 USD against 25,800 EUR and 29,100 GBP
    names = set(f["other_lender_payments"].figures["lenders"])
    # Rabobank (aflossing lening), the lease debit, Barclays (loan repayment), China Merchants Bank (贷款还款)
    assert names == {
        "Rabobank Zakelijk",
        "Leasing Partner GmbH",
        "Barclays Bank PLC",
        "China Merchants Bank Hong Kong Branch",
    }
    # in USD at the given rates: 4,200 and 800 EUR, 3,500 GBP, 30,000 USD
    assert f["other_lender_payments"].figures["amount"] == pytest.approx(
        (4200 + 800) * 1.1 + 3500 * 1.3 + 30000
    )
    without = by_code(analyse(sts, dt.date(2026, 5, 31)))["other_lender_payments"]
    assert without.figures["lenders"] == ["China Merchants Bank Hong Kong Branch"]  # no FX rates: USD only


def _tx(day: dt.date, amount: str, line: int) -> ParsedTransaction:
    return ParsedTransaction(
        line=line, booking_date=day, amount=Decimal(amount), currency="EUR", counterparty="Payer X"
    )


def test_month_end_balance_spike_is_window_dressing() -> None:
    jan = ParsedStatement(file="j", line=1, format="mt940", dialect="t", account="NL1", currency="EUR",
                          from_date=dt.date(2026, 1, 1), to_date=dt.date(2026, 1, 31), opening_balance=Decimal(1000),
                          closing_balance=Decimal(10000), transactions=[_tx(dt.date(2026, 1, 30), "9000", 2)])  # fmt: skip
    feb = ParsedStatement(file="f", line=1, format="mt940", dialect="t", account="NL1", currency="EUR",
                          from_date=dt.date(2026, 2, 1), to_date=dt.date(2026, 2, 28), opening_balance=Decimal(10000),
                          closing_balance=Decimal(1000), transactions=[_tx(dt.date(2026, 2, 2), "-9000", 3)])  # fmt: skip
    f = by_code(analyse([jan, feb], dt.date(2026, 3, 31)))["window_dressing"]
    # January: 29 days at 1,000 and 2 at 10,000 (average 49,000/31); its last 3 days average 21,000/3
    assert f.value == pytest.approx((21_000 / 3) / (49_000 / 31))
    assert f.level == "red" and f.figures["month"] == "2026-01"
    assert [t.amount for t in f.transactions] == [9000]


def test_falling_and_unstable_inflows() -> None:
    months = [dt.date(2026, m, 1) for m in range(1, 7)]
    inflows = ["1000", "1000", "1000", "500", "500", "500"]
    sts = []
    balance = Decimal(0)
    for i, (first, amount) in enumerate(zip(months, inflows, strict=True)):
        last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        sts.append(ParsedStatement(file="s", line=1, format="csv", dialect="t", account="NL1", currency="EUR",
                                   from_date=first, to_date=last, opening_balance=balance,
                                   closing_balance=balance + Decimal(amount),
                                   transactions=[_tx(first + dt.timedelta(days=9), amount, i)]))  # fmt: skip
        balance += Decimal(amount)
    f = by_code(analyse(sts, dt.date(2026, 6, 30)))
    assert f["inflow_drop"].value == pytest.approx(0.5) and f["inflow_drop"].level == "red"
    # mean 750, population std 250
    assert f["inflow_volatility"].value == pytest.approx(250 / 750)
    assert f["inflow_volatility"].level is None


def test_the_top_payer_is_named_as_the_statement_wrote_it() -> None:
    """Spellings of one payer are grouped (case, legal suffix), but the name shown is the file's own:
    'Thames Foods Ltd' (12,600 + 8,000 of 20,600 inflows), not the grouping key 'thames foods'."""
    sts, _, _ = read_statement_file(SAMPLES / "export_en.csv")
    top = by_code(analyse(sts, dt.date(2026, 2, 15)))["top_counterparty_share"]
    assert top.figures["counterparty"] == "Thames Foods Ltd"
    assert top.value == pytest.approx(1.0)
    said = warning_message(top, "GBP", "en")
    assert "largest payer Thames Foods Ltd brings 100% of inflows" in said and "thames foods" not in said
    assert "最大付款方 Thames Foods Ltd 占流入的 100%" in warning_message(top, "GBP", "zh")


def test_a_payer_written_two_ways_is_one_payer_shown_in_its_usual_spelling() -> None:
    day = dt.date(2026, 1, 10)
    rows = [
        ("ACME Trading Ltd", "500"),
        ("acme trading", "300"),
        ("ACME Trading Ltd", "200"),
        ("Other Co", "400"),
    ]
    txs = [ParsedTransaction(line=i, booking_date=day, amount=Decimal(a), currency="EUR", counterparty=c)
           for i, (c, a) in enumerate(rows, start=1)]  # fmt: skip
    st = ParsedStatement(file="s", line=1, format="mt940", dialect="t", account="NL1", currency="EUR",
                         from_date=dt.date(2026, 1, 1),
                         to_date=dt.date(2026, 1, 31), opening_balance=Decimal(0), closing_balance=Decimal(1400),
                         transactions=txs)  # fmt: skip
    top = by_code(analyse([st], dt.date(2026, 2, 1)))["top_counterparty_share"]
    assert top.figures["counterparty"] == "ACME Trading Ltd"  # 500 + 300 + 200 = 1,000 of 1,400
    assert top.value == pytest.approx(1000 / 1400)
