"""Bank-statement findings end to end on the demo book: an MT940 with a loan repayment to another bank is
imported through the CLI, then `clients analyse`, the memo (EN/ZH), the sidebar and the assistant (EN/ZH)
show the finding with its figure; a client without statements is unchanged; a bad file writes nothing.

The sample `samples/acme_other_bank.sta` (made by hand, USD, ACME Holdings #1001) holds, in November 2026:
  +60,000.00 Northwind Traders Inc, -12,500.00 Wells Fargo Bank "Loan repayment 44120",
  -3,000.00 Office Supplies Depot, +25,000.00 Contoso Retail LLC, -8,000.00 Payroll Services Co;
  opening 100,000.00 + movements = closing 161,500.00.
By hand: one payment to another lender (Wells Fargo Bank), USD 12,500.00: amber (policy amber 1, red 6);
the largest payer's share of inflows 60,000 / (60,000 + 25,000) = 70.6 %: red (policy red 70 %).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from crm_adapter.statements.tables import BankStatementRow, BankTransactionRow
from tests.conftest import make_container

SAMPLES = Path(__file__).parent / "samples"
ACME, OTHER = 1001, 1003  # both rm.anna's (team North)
LENDER_FIGURE = "12,500.00"


@pytest.fixture
def home(_demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    shutil.copytree(_demo_template, home)
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    yield home
    common.settings.cache_clear()
    common.container.cache_clear()


def _cli(*args: str):  # type: ignore[no-untyped-def]
    from creditdesk.cli import common
    from creditdesk.cli.main import app

    common.container.cache_clear()  # each command a fresh process, as an officer runs them
    return CliRunner().invoke(app, list(args))


def _analyse(client: int) -> dict:
    result = _cli("clients", "analyse", str(client), "--as", "rm.anna", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _statement_warnings(out: dict) -> dict[str, dict]:
    return {w["indicator"]: w for w in out["warnings"] if w["indicator"].startswith("statement_")}


def test_a_payment_to_another_bank_shows_everywhere(home: Path) -> None:
    before, other_before = _analyse(ACME), _analyse(OTHER)
    assert _statement_warnings(before) == {}
    imported = _cli("statements", "import", str(SAMPLES / "acme_other_bank.sta"), "--client", str(ACME),
                    "--as", "rm.anna", "--json")  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["transactions_added"] == 5

    # clients analyse: the warnings, the EWS level and the analysis
    after = _analyse(ACME)
    found = _statement_warnings(after)
    lender = found["statement_other_lender_payments"]
    assert (lender["level"], lender["value"], lender["threshold"]) == ("amber", 1.0, 1.0)
    assert "USD 12,500.00" in lender["message"] and "Wells Fargo Bank" in lender["message"]
    assert "Loan repayment 44120" in lender["message"] and lender["date"] == "2026-11-05"
    top = found["statement_top_counterparty_share"]
    assert top["level"] == "red" and top["value"] == pytest.approx(60_000 / 85_000)
    assert "60,000.00" in top["message"] and "85,000.00" in top["message"]
    assert after["ews_level"] == "red"
    assert set(found) == {"statement_other_lender_payments", "statement_top_counterparty_share"}
    engine_warnings = [w for w in after["warnings"] if not w["indicator"].startswith("statement_")]
    assert engine_warnings == before["warnings"]  # the engine's own indicators are untouched
    bank = after["bank_statements"]
    assert bank["transactions"] == 5 and bank["currency"] == "USD"
    text_out = _cli("clients", "analyse", str(ACME), "--as", "rm.anna")
    assert "statement_other_lender_payments" in text_out.stdout and "Wells Fargo Bank" in text_out.stdout

    # a client without statements: no new warning, no change
    assert _analyse(OTHER)["warnings"] == other_before["warnings"]
    assert _analyse(OTHER)["ews_level"] == other_before["ews_level"]

    # the memo's bank-flow section, in English and Chinese
    memo_en = _cli("memo", str(ACME), "--as", "rm.anna")
    assert memo_en.exit_code == 0, memo_en.output
    flows_en = memo_en.stdout.split("Bank flows")[-1] if "Bank flows" in memo_en.stdout else memo_en.stdout
    assert "imported bank statements: 1 accounts, 5 transactions" in memo_en.stdout
    assert "payments to other lenders, USD 12,500.00" in flows_en
    memo_zh = _cli("memo", str(ACME), "--as", "rm.anna", "--language", "zh")
    assert memo_zh.exit_code == 0, memo_zh.output
    assert "已导入的银行流水：1 个账户，5 笔交易" in memo_zh.stdout
    assert "向其他金融机构还款 1 笔，合计 USD 12,500.00（Wells Fargo Bank）" in memo_zh.stdout

    # the sidebar's bank-statement panel and the assistant, on a fresh container over the same book
    c = make_container(home)
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.launch import sign_launch

    client = TestClient(create_app(c), raise_server_exceptions=False)
    page = client.get(
        f"/sidebar/{ACME}", params={"token": sign_launch(c.settings.sidebar_key, "rm.anna", str(ACME))}
    )
    assert page.status_code == 200
    html = page.text
    panel = html[html.index('id="bank-statements"') :]
    assert 'data-indicator="statement_other_lender_payments"' in panel and LENDER_FIGURE in panel
    assert "Payments to other lenders" in panel
    page_zh = client.get(f"/sidebar/{ACME}", params={"lang": "zh"})  # the session cookie carries on
    assert (
        page_zh.status_code == 200
        and "银行流水" in page_zh.text
        and "向其他金融机构还款 1 笔" in page_zh.text
    )

    anna = c.actor("rm.anna")
    for question, expected in (
        ("any payments to other banks at ACME Holdings?", ["Wells Fargo Bank", LENDER_FIGURE]),
        ("ACME Holdings 有没有对其他银行的还款?", ["向其他金融机构还款 1 笔", LENDER_FIGURE]),
        (
            "any bounced payments at ACME Holdings?",
            ["ACME Holdings's bank statements: 1 accounts, 5 transactions"],
        ),
        ("ACME Holdings 的银行流水有什么异常", ["ACME Holdings 的银行流水", "最大付款方", "60,000.00"]),
    ):
        reply = c.assistant.answer(anna, f"t-{hash(question)}", question)
        said = "\n".join(reply.text if isinstance(reply.text, list) else [reply.text])
        assert [t.name for t in reply.tool_calls if t.name == "bank_statements"], (question, said)
        for bit in expected:
            assert bit in said, (question, bit, said)


def test_a_bad_file_writes_nothing_and_out_of_scope_is_not_found(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sta"
    good = (SAMPLES / "acme_other_bank.sta").read_text()
    bad.write_text(good.replace(":61:2611051105D12500,00", ":61:2611051105D12X00,00"))  # a malformed amount
    result = _cli("statements", "import", str(SAMPLES / "acme_other_bank.sta"), str(bad), "--client", str(ACME),
                  "--as", "rm.anna")  # fmt: skip
    assert result.exit_code != 0
    c = make_container(home)
    with c.engine.connect() as conn:
        for table in (BankStatementRow, BankTransactionRow):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    assert _statement_warnings(_analyse(ACME)) == {}
    from tools.assistant_tools import Toolbox, call_tool

    tb = Toolbox(adapter=c.adapter, credit_engine=c.credit_engine, today=c.today)
    assert call_tool(tb, c.actor("rm.anna"), "bank_statements", {"client_id": 1002}).outcome == "not_found"
    mine = call_tool(tb, c.actor("rm.anna"), "bank_statements", {"client_id": ACME})
    assert mine.ok and mine.result.imported is False  # type: ignore[union-attr]


def test_the_book_views_read_the_statement_warnings_as_the_card_does(home: Path) -> None:
    """The watch-list (a book view, not the client card) holds ACME's statement warnings, so a card red from
    its statements is never green on the watch-list; the limit proposal reads them too (same frame)."""
    imported = _cli("statements", "import", str(SAMPLES / "acme_other_bank.sta"), "--client", str(ACME),
                    "--as", "rm.anna", "--json")  # fmt: skip
    assert imported.exit_code == 0, imported.output
    c = make_container(home)
    anna = c.actor("rm.anna")
    item = next(w for w in c.credit_engine.watchlist(anna, as_of=c.today(), limit=500) if w.client_id == ACME)
    on_list = {w.indicator for w in item.warnings}
    assert {"statement_other_lender_payments", "statement_top_counterparty_share"} <= on_list
    assert item.ews_level == "red"  # the top payer's 70.6 % share is red by itself
    card = c.credit_engine.assess_client(anna, ACME, as_of=c.today())
    assert {w.indicator for w in card.warnings} == on_list and card.ews_level == item.ews_level
    pa = c.credit_engine.portfolio_for(anna, as_of=c.today())
    rows = pa.warnings[pa.warnings["client_id"] == OTHER]
    assert not rows["indicator"].str.startswith("statement_").any()  # no statements, nothing new
