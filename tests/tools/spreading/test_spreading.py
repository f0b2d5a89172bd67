"""Spreading statements the way clients send them: workbooks and PDFs made here, figures checked by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select
from typer.testing import CliRunner

from crm_adapter.models import FinancialStatementRow
from kernel.errors import InvalidInput
from tools.spreading import match_line, spread_file
from tools.spreading.tables import FinancialSpreadRow

EXAMPLES = Path(__file__).parents[3] / "examples"


def english_workbook(path: Path, *, equity_2025: float = 420) -> Path:
    wb = Workbook()
    bs = wb.active
    bs.title = "Balance sheet"
    rows = [["Northwind Foods Ltd — Balance sheet", None, None], ["(in thousands)", None, None],
            ["", "FY2025", "FY2024"], ["Cash and cash equivalents", 120, 90], ["Trade receivables", 300, 260],
            ["Inventories", 180, 200], ["Total current assets", 600, 550], ["Property, plant and equipment", 400, 380],
            ["Total assets", 1000, 930], ["Trade payables", 150, 140], ["Total current liabilities", 280, 260],
            ["Borrowings", 300, 310], ["Total liabilities", 580, 570], ["Total equity", equity_2025, 360],
            ["Total liabilities and equity", 1000, 930]]  # fmt: skip
    for r in rows:
        bs.append(r)
    pl = wb.create_sheet("Income statement")
    for r in [["", "2025", "2024"], ["Revenue", 2400, 2100], ["Cost of sales", -1500, -1320],
              ["Operating profit", 110, 95], ["Depreciation and amortisation", -40, -38],
              ["Finance costs", 25, 28], ["Profit for the year", 60, 45], ["Marketing gimmicks", 5, 4]]:  # fmt: skip
        pl.append(r)
    wb.save(path)
    return path


def chinese_workbook(path: Path) -> Path:
    """万元, with the period header in merged cells over two columns each (期末余额 / 年初余额 style)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "资产负债表"
    ws.append(["资产负债表", None, None, None, None])
    ws.append(["编制单位：上海恒丰贸易有限公司", None, None, "单位：万元", None])
    ws.append(["项目", "2025年12月31日", None, "2024年12月31日", None])
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    for r in [["货币资金", 500, None, 420, None], ["应收账款", 1200, None, 1000, None], ["存货", 800, None, 760, None],
              ["流动资产合计", 2600, None, 2300, None], ["资产总计", 5000, None, 4600, None],
              ["应付账款", 700, None, 650, None], ["流动负债合计", 1500, None, 1400, None],
              ["负债合计", 3000, None, 2800, None], ["所有者权益合计", 2000, None, 1800, None],
              ["负债和所有者权益总计", 5000, None, 4600, None]]:  # fmt: skip
        ws.append(r)
    is_ = wb.create_sheet("利润表")
    for r in [["项目", "2025年度", "2024年度"], ["一、营业收入", 9000, 8200], ["减：营业成本", 7000, 6400],
              ["财务费用", 120, 110], ["四、净利润", 400, 350]]:  # fmt: skip
        is_.append(r)
    cf = wb.create_sheet("现金流量表")
    for r in [
        ["项目", "2025年度", "2024年度"],
        ["净利润", 400, 350],
        ["经营活动产生的现金流量净额", 650, 520],
    ]:
        cf.append(r)
    wb.save(path)
    return path


def text_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in ["Globex Trading Inc. Statement of financial position", "USD millions", "                 2025    2024",
                 "Cash 12.5 10.0", "Total current assets 80.0 75.0", "Total assets 200.0 190.0",
                 "Total liabilities 120.0 118.0", "Total equity 80.0 72.0", "Revenue 310.0 290.0",
                 "Net income 14.2 11.0"]:  # fmt: skip
        c.drawString(50, y, line)
        y -= 18
    c.save()
    return path


def image_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(40):  # a "scan": shapes, no text
        c.rect(50, 800 - i * 18, 300 + (i % 5) * 20, 10, fill=1)
    c.save()
    return path


def test_english_workbook_is_spread_in_thousands(tmp_path: Path) -> None:
    s = spread_file(english_workbook(tmp_path / "northwind.xlsx"))
    assert s.unit == 1000 and s.periods == [dt.date(2025, 12, 31), dt.date(2024, 12, 31)]
    assert s.figure("total_assets", dt.date(2025, 12, 31)) == Decimal(1_000_000)
    assert s.figure("revenue", dt.date(2024, 12, 31)) == Decimal(2_100_000)
    line = next(ln for ln in s.lines if ln.figure == "equity")
    assert line.source == "Balance sheet!A14" and line.confidence == 100
    assert any("Marketing gimmicks" in u for u in s.unmapped)
    assert any("Property, plant and equipment" in u for u in s.unmapped)
    assert s.tieouts == []  # 1000 = 580 + 420; 930 = 570 + 360
    # not given: EBITDA = operating profit 110 + depreciation 40 (thousands)
    assert s.figure("ebitda", dt.date(2025, 12, 31)) == Decimal(150_000)
    ebitda = next(ln for ln in s.lines if ln.figure == "ebitda")
    assert ebitda.source == "Income statement!A4 + Income statement!A5"


def test_chinese_workbook_in_wan_yuan_with_merged_headers(tmp_path: Path) -> None:
    s = spread_file(chinese_workbook(tmp_path / "hengfeng.xlsx"))
    assert s.unit == 10_000 and s.unit_source == "单位：万元"
    end = dt.date(2025, 12, 31)
    assert s.figure("total_assets", end) == Decimal(50_000_000)
    assert s.figure("revenue", end) == Decimal(90_000_000)  # "一、营业收入"
    assert s.figure("cogs", end) == Decimal(70_000_000)  # "减：营业成本"
    assert s.figure("net_income", dt.date(2024, 12, 31)) == Decimal(3_500_000)
    assert s.figure("operating_cash_flow", end) == Decimal(6_500_000)
    assert s.tieouts == []  # 5000 = 3000 + 2000; net income 400 in both statements


def test_failed_tieout_blocks_the_write_unless_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = english_workbook(tmp_path / "bad.xlsx", equity_2025=400)
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app

    run = lambda *a: CliRunner().invoke(app, list(a))  # noqa: E731
    assert run("import", str(EXAMPLES / "small-book")).exit_code == 0
    args = ["financials", "import", str(book), "--client", "1003", "--as", "rm.anna", "--currency", "USD"]
    preview = run(*args, "--preview", "--json")
    assert preview.exit_code == 0 and json.loads(preview.stdout)["written"] == []
    blocked = run(*args)
    assert blocked.exit_code == 2
    assert (
        "2025-12-31: total assets 1000000 ≠ total liabilities 580000 + equity 400000 (= 980000)"
        in blocked.output
    )
    ok = run(*args, "--accept-tieouts")
    assert ok.exit_code == 0, ok.output
    with common.container().engine.connect() as conn:
        row = conn.execute(select(FinancialStatementRow).where(FinancialStatementRow.client_id == 1003,
                                                               FinancialStatementRow.period_end == dt.date(2025, 12, 31))).one()  # fmt: skip
        spread = conn.execute(select(FinancialSpreadRow).where(FinancialSpreadRow.client_id == 1003)).all()
    assert row.total_assets == Decimal("1000000.00") and row.equity == Decimal("400000.00")
    assert len(spread) == 2 and spread[0].source_sha256 and spread[0].tieouts_accepted
    assert any(m["source"] == "Balance sheet!A9" for m in spread[0].mapping)
    [event] = [
        e for e in common.container().audit.events_for("client", "1003") if e.action == "financials.imported"
    ]
    assert event.after["tieouts_accepted"]
    common.settings.cache_clear()
    common.container.cache_clear()


def test_text_pdf_in_millions(tmp_path: Path) -> None:
    s = spread_file(text_pdf(tmp_path / "globex.pdf"))
    assert s.unit == 1_000_000
    assert s.figure("total_assets", dt.date(2025, 12, 31)) == Decimal("200000000.0")
    assert s.figure("net_income", dt.date(2024, 12, 31)) == Decimal("11000000.0")
    assert next(ln for ln in s.lines if ln.figure == "cash").source.startswith("page 1 line")


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no text layer"):
        spread_file(image_pdf(tmp_path / "scan.pdf"))


@pytest.mark.parametrize(("label", "figure"), [("Net Sales", "revenue"), ("Total Assets:", "total_assets"),
                                               ("Trade recievables", "receivables"), ("资产合计", "total_assets"),
                                               ("  三、流动负债合计", "current_liabilities")])  # fmt: skip
def test_line_matching(label: str, figure: str) -> None:
    hit = match_line(label)
    assert hit is not None and hit[0] == figure
