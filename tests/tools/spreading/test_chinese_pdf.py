"""A Chinese text PDF in 万元 (资产负债表, 利润表, 现金流量表 on three pages), drawn here with reportlab in the
CJK font the project ships (tools/memos/fonts), through `creditdesk financials import --preview`.

Expected figures are worked out by hand from the lines drawn below (万元 × 10,000 = yuan):
  货币资金 1,250.50 → 12,505,000;   资产总计 12,600.50 → 126,005,000;   负债合计 7,300.00 → 73,000,000;
  所有者权益合计 5,300.50 → 53,005,000 (7,300.00 + 5,300.50 = 12,600.50: the balance sheet ties out);
  一年内到期的非流动负债 500.00 → 5,000,000;   银行借款 3,200.00 → 32,000,000;
  营业收入 15,800.00 → 158,000,000;   净利润 1,020.50 → 10,205,000 (the same on the cash-flow statement);
  EBITDA = 营业利润 1,450.00 + 折旧与摊销 380.00 = 1,830.00 → 18,300,000 (derived);
  经营活动产生的现金流量净额 1,600.00 → 16,000,000.   2024: 资产总计 11,800.00 → 118,000,000.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

FONT = Path(__file__).parents[3] / "tools" / "memos" / "fonts" / "NotoSansSC-Regular-subset.ttf"
PAGES = [
    ["华夏精密制造有限公司", "资产负债表", "单位：万元", "项目 2025年12月31日 2024年12月31日",
     "货币资金 1,250.50 980.00", "应收账款 2,300.00 2,050.00", "存货 1,800.00 1,650.00",
     "流动资产合计 5,350.50 4,680.00", "资产总计 12,600.50 11,800.00", "银行借款 3,200.00 3,000.00",
     "一年内到期的非流动负债 500.00 450.00", "流动负债合计 4,100.00 3,900.00", "负债合计 7,300.00 7,000.00",
     "所有者权益合计 5,300.50 4,800.00", "负债和所有者权益总计 12,600.50 11,800.00"],
    ["利润表", "单位：万元", "项目 2025年度 2024年度", "一、营业收入 15,800.00 14,200.00",
     "减：营业成本 12,100.00 11,000.00", "财务费用 210.00 190.00", "营业利润 1,450.00 1,200.00",
     "折旧与摊销 380.00 350.00", "四、净利润 1,020.50 860.00"],
    ["现金流量表", "单位：万元", "项目 2025年度 2024年度", "净利润 1,020.50 860.00",
     "经营活动产生的现金流量净额 1,600.00 1,300.00"],
]  # fmt: skip


def chinese_pdf(path: Path) -> Path:
    if "NotoSansSC" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSansSC", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in PAGES:
        c.setFont("NotoSansSC", 11)
        y = 800
        for line in page:
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()
    return path


@pytest.fixture
def cli(demo_cli):  # type: ignore[no-untyped-def]
    return demo_cli


def _statements_count() -> int:
    from creditdesk.cli.common import container
    from crm_adapter.models import FinancialStatementRow

    with container().engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(FinancialStatementRow)).scalar_one()


def test_chinese_text_pdf_in_wan_yuan_previews_with_the_figures_by_hand(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = chinese_pdf(tmp_path / "华夏精密2025年报.pdf")
    before = _statements_count()
    result = cli("financials", "import", str(pdf), "--client", "1001", "--as", "rm.anna", "--currency", "CNY",
                 "--preview", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    assert s["unit"] == 10_000 and "万元" in s["unit_source"]
    assert s["periods"] == ["2025-12-31", "2024-12-31"]
    got = {ln["figure"]: ln for ln in s["lines"]}
    by_hand = {
        "cash": "12505000", "receivables": "23000000", "inventory": "18000000", "current_assets": "53505000",
        "total_assets": "126005000", "total_debt": "32000000", "current_portion_ltd": "5000000",
        "current_liabilities": "41000000", "total_liabilities": "73000000", "equity": "53005000",
        "liabilities_and_equity": "126005000", "revenue": "158000000", "cogs": "121000000",
        "interest_expense": "2100000", "operating_profit": "14500000", "depreciation": "3800000",
        "net_income": "10205000", "ebitda": "18300000", "operating_cash_flow": "16000000",
    }  # fmt: skip
    for figure, amount in by_hand.items():
        assert figure in got, (figure, sorted(got))
        assert float(got[figure]["values"]["2025-12-31"]) == float(amount), figure
    assert float(got["total_assets"]["values"]["2024-12-31"]) == 118_000_000
    assert got["cash"]["source"] == "page 1 line 5" and got["revenue"]["source"] == "page 2 line 4"
    assert got["cash"]["label"] == "货币资金" and got["cash"]["confidence"] == 100
    assert s["tieouts"] == [] and s["written"] == []
    assert _statements_count() == before  # a preview writes nothing
