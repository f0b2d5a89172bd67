"""Importing bank statements through the real CLI: formats, idempotency, balances, refusals, access."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from crm_adapter.models import BankFlowRow
from crm_adapter.statements.tables import BankStatementRow, BankTransactionRow

SAMPLES = Path(__file__).parent / "samples"
EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app

    runner = CliRunner()
    invoke = lambda *args: runner.invoke(app, list(args))  # noqa: E731
    assert invoke("import", str(EXAMPLES / "small-book")).exit_code == 0
    yield invoke
    common.settings.cache_clear()
    common.container.cache_clear()


def _count(table: type) -> int:
    from creditdesk.cli.common import container

    with container().engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_sample_format_imports_once(cli) -> None:  # type: ignore[no-untyped-def]
    files = [str(SAMPLES / f) for f in ("ing.sta", "abnamro.sta", "rabobank.sta", "deutsche_bank.sta",
                                        "camt053_v02.xml", "camt053_v08.xml", "export_en.csv", "export_zh.csv")]  # fmt: skip
    out = _json(cli("statements", "import", *files, "--client", "1001", "--as", "rm.anna", "--json"))
    # entries counted by hand in the sample files (the camt .02 pending entry is left out)
    assert out["transactions_added"] == 5 + 4 + 1 + 2 + 1 + 5 + 3 + 2 + 5 + 6
    assert out["transactions_skipped"] == 0
    assert len(out["statements"]) == 10
    assert set(out) >= {"accounts", "statements", "transactions_added", "transactions_skipped", "warnings"}
    first = out["statements"][0]
    assert set(first) >= {
        "account",
        "currency",
        "from",
        "to",
        "opening_balance",
        "closing_balance",
        "transactions",
    }
    assert first["account"] == "NL20INGB0001234567EUR" and first["opening_balance"] == "12500.00"
    assert first["closing_balance"] == "25300.00" and first["from"] == "2026-01-30"
    assert sorted(out["accounts"]) == sorted([
        "NL20INGB0001234567EUR:EUR", "417164300:EUR", "NL39RABO0300065264:EUR", "37040044/0532013000:EUR",
        "DE44500105175407324931:EUR", "012-345678-001:USD", "GB29NWBK60161331926819:GBP", "6222021234567890:CNY",
    ])  # fmt: skip
    assert any("not booked" in w for w in out["warnings"])
    again = _json(cli("statements", "import", *files, "--client", "1001", "--as", "rm.anna", "--json"))
    assert again["transactions_added"] == 0 and again["transactions_skipped"] == out["transactions_added"]
    assert _count(BankTransactionRow) == out["transactions_added"]
    assert _count(BankStatementRow) == 10


def test_monthly_bank_flows_are_derived_from_a_full_month(cli) -> None:  # type: ignore[no-untyped-def]
    out = _json(
        cli(
            "statements",
            "import",
            str(SAMPLES / "export_zh.csv"),
            "--client",
            "1002",
            "--as",
            "rm.south.001",
            "--json",
        )
    )
    assert out["bank_flow_months"] == ["2026-02"]
    from creditdesk.cli.common import container

    with container().engine.connect() as conn:
        row = conn.execute(
            select(BankFlowRow).where(BankFlowRow.client_id == 1002, BankFlowRow.month == "2026-02-01")
        ).one()
    # by hand: credits 150,000 + 30,000 + 400,000; debits 80,000 + 200,000 + 50,000; one 退票
    assert row.inflows == Decimal("580000.00") and row.outflows == Decimal("330000.00")
    assert row.currency == "CNY" and row.bounced_payments == 1
    # end-of-day balances Feb 1..28: 650k (1-7), 570k (8-11), 370k (12-19), 320k (20-25), 350k (26-27), 750k (28)
    avg = (650_000 * 7 + 570_000 * 4 + 370_000 * 8 + 320_000 * 6 + 350_000 * 2 + 750_000) / 28
    assert row.avg_balance == Decimal(str(round(avg, 2)))


def test_a_statement_that_does_not_balance_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "altered.sta"
    bad.write_text(
        (SAMPLES / "rabobank.sta")
        .read_text()
        .replace("C260315EUR000000012750,00", "C260315EUR000000012760,00")
    )
    r = cli("statements", "import", str(SAMPLES / "ing.sta"), str(bad), "--client", "1001", "--as", "rm.anna")
    assert r.exit_code == 2
    assert (
        "altered.sta:21: closing balance: 12760.00 EUR but opening 12800.00 + movements -50.00 = 12750.00"
        in r.output
    )
    assert _count(BankTransactionRow) == 0 and _count(BankStatementRow) == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (":20:X\n:25:NL1\n:60F:C260101EUR100,00\n:61:2601x2D5,00NTRFNONREF\n:62F:C260102EUR95,00\n",
         "bad.sta:4: tag 61: '2601x2D5,00NTRFNONREF' is not a statement line"),
        (":20:X\n:25:NL1\n:60F:C260101EUR1x0,00\n:62F:C260102EUR95,00\n",
         "bad.sta:3: tag 60F: 'C260101EUR1x0,00' is not a balance"),
        (":20:X\n:25:NL1\n:60F:C260101EUR100,00\n", "bad.sta:1: tag 62F (closing balance): missing"),
        ("Datum;Bedrag\n2026-01-01;5\n", "bad.sta:1: format: unknown statement format: expected SWIFT MT940"),
        ('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"/>',
         "camt.052.001.08 is not a bank-to-customer statement; expected camt.053.001.02 to camt.053.001.08"),
        ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>', "a DOCTYPE is not allowed"),
        ("交易日期,借方发生额,贷方发生额,余额\n2026-01-02,,100.00,1100.00\n2026-01-03,abc,,1000.00\n",
         "bad.sta:3: 借方发生额: 'abc' is not an amount"),
    ],
)  # fmt: skip
def test_malformed_files_are_refused_with_their_place(
    cli, tmp_path: Path, content: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sta"
    bad.write_text(content, encoding="utf-8")
    r = cli("statements", "import", str(bad), "--client", "1001", "--as", "rm.anna", "--account", "X1")
    assert r.exit_code == 2, r.output
    assert expected in " ".join(r.output.replace("\n  ", " ").split()), r.output
    assert _count(BankTransactionRow) == 0


def test_gap_between_statements_is_reported(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (SAMPLES / "rabobank.sta").read_text()
    second = text[text.index(":20:940S260308") :].replace("000000012800,00", "000000012900,00", 1)
    second = second.replace("C260315EUR000000012750,00", "C260315EUR000000012850,00")
    one, two = tmp_path / "a.sta", tmp_path / "b.sta"
    one.write_text(text[: text.index(":20:940S260308")])
    two.write_text(second)
    out = _json(
        cli("statements", "import", str(one), str(two), "--client", "1001", "--as", "rm.anna", "--json")
    )
    assert any(
        "gap between statements: closing 12800.00 on 2026-03-08, next opening 12900.00" in w
        for w in out["warnings"]
    )


def test_the_acting_officer_is_checked(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("statements", "import", str(SAMPLES / "ing.sta"), "--client", "1002", "--as", "rm.anna")
    assert r.exit_code == 3 and "client 1002 not found" in r.output  # out of scope looks like unknown (#17)
    audit = cli("statements", "import", str(SAMPLES / "ing.sta"), "--client", "1001", "--as", "audit.ravi")
    assert audit.exit_code == 4 and "importing bank statements needs one of the roles" in audit.output
    assert _count(BankTransactionRow) == 0


def test_another_clients_account_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        cli("statements", "import", str(SAMPLES / "ing.sta"), "--client", "1001", "--as", "rm.anna").exit_code
        == 0
    )
    from creditdesk.cli.common import container

    [event] = [e for e in container().audit.events_for("client", "1001") if e.action == "statements.imported"]
    assert event.actor_id == "rm.anna" and event.after["added"] == 5
    copy = tmp_path / "ing.sta"
    shutil.copy(SAMPLES / "ing.sta", copy)
    r = cli("statements", "import", str(copy), "--client", "1003", "--as", "risk.lee")
    assert (
        r.exit_code == 2 and "account NL20INGB0001234567EUR:EUR belongs to client 1001, not 1003" in r.output
    )


def test_clients_analyse_shows_the_bank_statement_findings(cli) -> None:  # type: ignore[no-untyped-def]
    files = [str(SAMPLES / "export_zh.csv"), str(SAMPLES / "ing.sta")]
    assert cli("statements", "import", *files, "--client", "1001", "--as", "rm.anna").exit_code == 0
    shown = cli("clients", "analyse", "1001", "--as", "rm.anna")
    assert shown.exit_code == 0, shown.output
    assert "Bank statements (2 accounts, 11 transactions" in shown.output
    assert "other_lender_payments — 3 payments to other lenders" in shown.output
    assert "中国工商银行上海分行" in shown.output
    data = _json(cli("clients", "analyse", "1001", "--as", "rm.anna", "--json"))
    codes = {f["code"]: f for f in data["bank_statements"]["findings"]}
    assert codes["returned_items"]["value"] == 2  # the ING direct-debit return and the 退票
