"""Property tests of the statement parsers: amounts round-trip, generated valid statements balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_adapter.statements.camt053 import parse_camt053
from crm_adapter.statements.csv_export import PRESETS, parse_csv
from crm_adapter.statements.mt940 import parse_mt940
from crm_adapter.statements.records import balance_problem

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
entries = st.lists(st.tuples(st.integers(0, 27), st.booleans(), amounts), min_size=0, max_size=25)
opening = st.decimals(min_value=Decimal("-50000"), max_value=Decimal("500000"), places=2)


def _mt(value: Decimal) -> str:
    return f"{abs(value):.2f}".replace(".", ",")


def _signed(entries: list[tuple[int, bool, Decimal]]) -> list[Decimal]:
    return [a if credit else -a for _, credit, a in entries]


@settings(max_examples=60, deadline=None)
@given(opening=opening, entries=entries)
def test_generated_mt940_balances_and_amounts_round_trip(
    opening: Decimal, entries: list[tuple[int, bool, Decimal]]
) -> None:
    start = dt.date(2026, 3, 1)
    closing = opening + sum(_signed(entries), Decimal(0))
    lines = [":20:GEN", ":25:NL91ABNA0417164300", ":28C:1",
             f":60F:{'C' if opening >= 0 else 'D'}{start:%y%m%d}EUR{_mt(opening)}"]  # fmt: skip
    for day, credit, amount in sorted(entries, key=lambda e: e[0]):
        d = start + dt.timedelta(days=day)
        lines += [f":61:{d:%y%m%d}{d:%m%d}{'C' if credit else 'D'}{_mt(amount)}NTRFNONREF",
                  f":86:/NAME/PAYER {day}/REMI/Invoice {amount}"]  # fmt: skip
    lines.append(
        f":62F:{'C' if closing >= 0 else 'D'}{start + dt.timedelta(days=28):%y%m%d}EUR{_mt(closing)}"
    )
    [parsed] = parse_mt940("\n".join(lines) + "\n-\n", "gen.sta")
    assert balance_problem(parsed) is None
    assert parsed.opening_balance == opening and parsed.closing_balance == closing
    assert sorted(t.amount for t in parsed.transactions) == sorted(_signed(entries))


@settings(max_examples=40, deadline=None)
@given(opening=st.decimals(min_value=Decimal("0"), max_value=Decimal("500000"), places=2), entries=entries)
def test_generated_chinese_csv_round_trips(
    opening: Decimal, entries: list[tuple[int, bool, Decimal]]
) -> None:
    rows = ["账号: 6222021234567890", "币种: 人民币", "交易日期,摘要,借方发生额,贷方发生额,余额"]
    balance = opening
    for day, credit, amount in sorted(entries, key=lambda e: e[0]):
        balance += amount if credit else -amount
        debit, cred = ("", f"{amount:,.2f}") if credit else (f"{amount:,.2f}", "")
        rows.append(f'2026-02-{day + 1:02d},货款,"{debit}","{cred}","{balance:,.2f}"')
    if not entries:
        return
    parsed = parse_csv("\n".join(rows).encode(), "gen.csv", PRESETS["zh"])
    assert (
        parsed.currency == "CNY" and parsed.opening_balance == opening and parsed.closing_balance == balance
    )
    assert [t.amount for t in parsed.transactions] == _signed(sorted(entries, key=lambda e: e[0]))


@settings(max_examples=40, deadline=None)
@given(opening=opening, entries=entries, version=st.integers(2, 8))
def test_generated_camt053_balances(
    opening: Decimal, entries: list[tuple[int, bool, Decimal]], version: int
) -> None:
    closing = opening + sum(_signed(entries), Decimal(0))

    def bal(code: str, value: Decimal, day: str) -> str:
        mark = "CRDT" if value >= 0 else "DBIT"
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy='EUR'>{abs(value)}</Amt>"
                f"<CdtDbtInd>{mark}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>")  # fmt: skip

    ntry = "".join(
        f"<Ntry><Amt Ccy='EUR'>{a}</Amt><CdtDbtInd>{'CRDT' if c else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>2026-03-{d + 1:02d}</Dt></BookgDt></Ntry>"
        for d, c, a in entries
    )
    xml = (f"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.0{version}'><BkToCstmrStmt><Stmt>"
           f"<Id>1</Id><Acct><Id><IBAN>DE44500105175407324931</IBAN></Id><Ccy>EUR</Ccy></Acct>"
           f"{bal('OPBD', opening, '2026-03-01')}{bal('CLBD', closing, '2026-03-31')}{ntry}</Stmt></BkToCstmrStmt></Document>")  # fmt: skip
    [parsed], _ = parse_camt053(xml.encode(), "gen.xml")
    assert balance_problem(parsed) is None and parsed.closing_balance == closing
    assert [t.amount for t in parsed.transactions] == _signed(entries)
