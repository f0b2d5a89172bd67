"""How memos look: embedded fonts (a Chinese PDF renders on a machine without CJK fonts), Chinese words for
codes, no internal identifiers, amounts on one line, policy excerpts cut between words, DOCX page numbers."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from tests.conftest import AS_OF, actor_of
from tools.memos.export_pdf import CJK_FONT, _grid, _styles
from tools.memos.models import Table

GLOBEX = 1003
CJK = re.compile(r"[\u3400-\u9fff]")
POPPLER = all(shutil.which(b) for b in ("pdftoppm", "pdffonts", "pdftotext"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftoppm, pdffonts) not installed: run scripts/ensure_browser.sh"
)


@pytest.fixture
def zh_memo(demo_container):  # type: ignore[no-untyped-def]
    return demo_container.memos.draft_review_memo(
        actor_of(demo_container, "rm.anna"), GLOBEX, as_of=AS_OF, language="zh"
    )


def _pdffonts(pdf: Path) -> list[dict[str, str]]:
    lines = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    rows = []
    for line in lines[2:]:  # name type encoding emb sub uni object ID
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "object": parts[-2]})
    return rows


def test_the_shipped_chinese_font_is_small_licensed_and_covers_the_memo(zh_memo) -> None:  # type: ignore[no-untyped-def]
    assert CJK_FONT.stat().st_size < 5_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (CJK_FONT.parent / "OFL.txt").read_text()
    cmap = TTFont(CJK_FONT).getBestCmap()
    missing = {ch for ch in zh_memo.text if CJK.match(ch) and ord(ch) not in cmap}
    assert not missing, f"characters without a glyph: {''.join(sorted(missing))}"
    for ch in "定期信用审查报告执行摘要额度：，（）。—→≥·":
        assert ord(ch) in cmap, ch


@needs_poppler
def test_chinese_pdf_embeds_its_fonts_and_renders_without_system_fonts(
    demo_container, zh_memo, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "memo-zh.pdf"
    pdf.write_bytes(demo_container.memos.render(zh_memo, "pdf"))

    fonts = _pdffonts(pdf)
    cjk = [f for f in fonts if "NotoSansCJKsc" in f["name"]]
    assert cjk and all(f["emb"] == "yes" for f in cjk), fonts
    # every font a page actually draws with is embedded (reportlab lists an unused Helvetica resource)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        used = set(re.findall(r"/(F[\w+]+)\s+[\d.]+\s+Tf", page.get_contents().get_data().decode("latin-1")))
        for name in used:
            font = resources[f"/{name}"].get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            assert descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ), f"{name} ({font.get('/BaseFont')}) is not embedded"

    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "定期信用审查报告" in text and "执行摘要" in text

    # a machine without any font: fontconfig with no font directories at all
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, env=env, capture_output=True)  # fmt: skip
    from PIL import Image

    png = next(tmp_path.glob("page*.png"))
    shots = Path(
        os.environ.get("CREDITDESK_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "artifacts"
    )
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, shots / "memo-zh-page1.png")
    page = Image.open(png).convert("L")
    w, h = page.size
    title = page.crop((int(w * 0.08), int(h * 0.06), int(w * 0.6), int(h * 0.11)))  # the title line
    dark = sum(1 for v in title.getdata() if v < 128)
    assert dark > 400, "the title's Chinese glyphs are drawn"


def test_chinese_memo_uses_chinese_words_for_codes_and_no_internal_identifiers(
    demo_container, zh_memo
) -> None:  # type: ignore[no-untyped-def]
    header = {f.key: f.value for f in zh_memo.header.facts}
    assert not re.search(r"[A-Za-z]", header["ews_level"]), header["ews_level"]  # 绿色, not green
    assert re.fullmatch(r"\d+ \([^A-Za-z]+\)", header["grade"]), header["grade"]  # 2 (很强)
    exposure = zh_memo.section("exposure").tables[0]
    assert all(not re.search(r"[A-Za-z]", row[1] + row[2]) for row in exposure.rows)  # product, status
    latin = re.compile(r"(?!EBITDA)\b[A-Za-z]{3,}")
    rating = zh_memo.section("rating")
    for row in rating.tables[0].rows:
        assert not latin.search(row[0] + row[3]), row  # factor names and comments
    for bullet in rating.bullets:
        assert not latin.search(bullet), bullet  # reason codes: 最长逾期天数（12 个月）：扣 8 分
    md = demo_container.memos.render(zh_memo, "md").decode()
    assert "(草稿)" in md and "(draft)" not in md
    en = demo_container.memos.draft_review_memo(actor_of(demo_container, "rm.anna"), GLOBEX, as_of=AS_OF)
    for memo in (zh_memo, en):
        text = demo_container.memos.render(memo, "md").decode()
        for code in ("[max_dpd_12m]", "[debt_to_ebitda]", "cap_ebitda", "size_segment", "trade_credit",
                     "single_name", "conc_"):  # fmt: skip
            assert code not in text, f"{code} shown in the {memo.language} memo"
    limit_rows = en.section("limit").tables[0].rows
    assert limit_rows[0][0] == "Business need"


def test_amounts_fit_their_cells_on_one_line() -> None:
    table = Table(
        columns=["Constraint", "Value", "Share", "Headroom", "Limit", "Outstanding", "Explanation"],
        rows=[["Concentration: size segment", "USD 300,422,900", "6.67%", "USD 84,035,162,000", "USD 1,000",
               "EUR 12,345,678,901", "largest limit keeping the size segment within 50.0% of book limits"]],
        numeric=[False, True, True, True, True, True, False],
    )  # fmt: skip
    for language in ("en", "zh"):
        grid = _grid(table, _styles(language))
        widths = grid._colWidths
        font = _styles(language)["cell_num"]
        for i, cell in enumerate(grid._cellvalues[1]):
            if table.numeric[i]:  # drawn as one plain line, which fits inside the cell's padding
                assert isinstance(cell, str), f"{table.rows[0][i]} may wrap in {language}"
                size = grid._cellStyles[1][i].fontsize  # a table too wide at 8 pt is set smaller
                width = stringWidth(cell, font.fontName, size)
                assert width <= widths[i] - 12, f"{table.rows[0][i]} overflows in {language}"
        # the long explanation wraps (a Paragraph); a short heading is one plain line
        assert isinstance(grid._cellvalues[1][6], Paragraph)
        assert grid._cellvalues[0][1] == "Value"


def test_docx_has_page_numbers(demo_container, zh_memo) -> None:  # type: ignore[no-untyped-def]
    en = demo_container.memos.draft_review_memo(actor_of(demo_container, "rm.anna"), GLOBEX, as_of=AS_OF)
    for memo, words in ((en, ["Page ", " of "]), (zh_memo, ["第 ", " 页，共 ", " 页"])):
        docx = demo_container.memos.render(memo, "docx")
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footers)
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footers)
        for w in words:
            assert f">{w}<" in footers or f'preserve">{w}<' in footers, w
