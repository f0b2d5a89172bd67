"""How memo text breaks across lines (#18): an amount (currency + figure) and a date are one unbreakable unit,
a word is never cut (table columns are never narrower than their widest word), policy excerpts that are
Markdown tables read as plain text, and every amount carries its currency. The PDFs are read back with
pdftotext; the expectations are written by hand."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import AS_OF, actor_of
from tools.memos.export_pdf import _styles, _xz
from tools.memos.pdf_cjk import CJKParagraph
from tools.memos.typeset import NBSP, WORD_JOINER, bind, breaks, units

ACME = 1001
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils not installed: run scripts/ensure_browser.sh"
)
WJ = WORD_JOINER
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# a figure with thousands separators (an amount), not part of a longer number or a date
AMOUNT = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?![\d,])")


# --- the rules, by hand -------------------------------------------------------------------------------


def test_bind_joins_currency_and_figure_and_the_parts_of_a_date() -> None:
    assert bind("limit USD 500,000, gap EUR -63,245") == f"limit USD{NBSP}500,000, gap EUR{NBSP}-63,245"
    assert (
        bind("statements of 31 Dec 2025; Oct 2026") == f"statements of 31{NBSP}Dec{NBSP}2025; Oct{NBSP}2026"
    )
    assert bind("于 2026年12月11日 再次") == f"于 2026{WJ}年{WJ}12{WJ}月{WJ}11{WJ}日 再次"
    assert bind("2026年10月") == f"2026{WJ}年{WJ}10{WJ}月"
    assert bind("grade 9: 65 days") == "grade 9: 65 days"  # no currency, no date: unchanged


def test_lines_break_between_words_and_beside_chinese_characters_only() -> None:
    assert units("ACME Holdings 制造业") == ["ACME", "Holdings", "制", "造", "业"]
    assert units(bind("最多 USD 48,979,929；")) == [
        "最",
        "多",
        f"USD{NBSP}48,979,929；",
    ]  # ； never starts a line
    assert units(bind("（2026年4月5日 完成）")) == ["（2026年4月5日", "完", "成）"]  # （ never ends one
    assert units("manufacturing") == ["manufacturing"]
    assert breaks("ab cd") == [False, False, True, False, True]


@pytest.mark.parametrize("width", range(80, 320, 9))  # the widest unit (the date) is 72 pt
def test_a_chinese_paragraph_never_cuts_an_amount_a_date_or_a_word(width: int) -> None:
    text = "政策建议额度为 USD 500,000，客户经理已计划于 2026年12月11日 再次联系 ACME Holdings 的财务总监。"
    para = CJKParagraph(_xz(text), _styles("zh")["body"])
    para.wrap(width, 10_000)
    lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)  # nothing lost, no word joiner drawn
    flat = "\n".join(lines)
    for unit in (f"USD{NBSP}500,000", "2026年12月11日", "ACME", "Holdings"):
        assert unit in flat, (unit, lines)


# --- the demo book's memo, as a reader sees it --------------------------------------------------------


def _pdf_text(container, memo, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    pdf = tmp_path / f"memo-{memo.language}.pdf"
    pdf.write_bytes(container.memos.render(memo, "pdf"))
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout.replace(NBSP, " ")


def _section(text: str, start: str, stop: str) -> str:
    return text[text.index(start) : text.index(stop)]


@pytest.fixture
def acme(demo_container):  # type: ignore[no-untyped-def]
    actor = actor_of(demo_container, "rm.anna")
    return {lang: demo_container.memos.draft_review_memo(actor, ACME, as_of=AS_OF, language=lang)
            for lang in ("en", "zh")}  # fmt: skip


@needs_pdftotext
@pytest.mark.parametrize("language", ["en", "zh"])
def test_pdf_never_breaks_an_amount_or_a_date_across_lines(demo_container, acme, tmp_path, language) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(demo_container, acme[language], tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    for a, b in zip(lines, lines[1:], strict=False):
        assert not (re.search(r"\b[A-Z]{3}$", a) and re.match(r"-?\d", b)), f"amount split: {a!r} / {b!r}"
        assert not (re.search(r"\d{4}年(\d{1,2}月)?$", a) and re.match(r"\d{1,2}[月日]", b)), (a, b)
        assert not (re.search(r"\d{4}$", a) and b.startswith("年")), (a, b)
        assert not (re.search(r"\d{4}-\d{2}-?\d?$", a) and re.match(r"\d", b)), f"date cut: {a!r} / {b!r}"
        assert not (
            re.search(rf"\b\d{{1,2}}$|\b({MONTHS})$", a) and re.match(rf"({MONTHS})\b|\d{{4}}\b", b)
        ), (a, b)
    assert not re.search(r"\d{4}年\d{1,2}月\s*\n\s*\d{1,2}日", text)


@needs_pdftotext
def test_concentration_table_words_are_whole(demo_container, acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    en = _section(_pdf_text(demo_container, acme["en"], tmp_path), "10. Concentration impact", "11. Credit")
    tokens = set(en.split())
    for word in ("industry", "manufacturing", "region", "North", "size", "segment", "group", "single",
                 "name", "ACME", "Group", "Holdings", "green"):  # fmt: skip
        assert word in tokens, f"{word!r} is cut in the English concentration table:\n{en}"
    zh = _section(_pdf_text(demo_container, acme["zh"], tmp_path), "10. 集中度影响", "11. 信用保险")
    for name in ("ACME Group", "ACME Holdings", "制造业"):
        assert name in zh, f"{name!r} is cut in the Chinese concentration table:\n{zh}"
    assert "占组合比例" in zh and "剩余空间" in zh  # short headings stay on one line


@needs_pdftotext
@pytest.mark.parametrize("language", ["en", "zh"])
def test_policy_excerpts_show_no_markdown(demo_container, acme, tmp_path, language) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(demo_container, acme[language], tmp_path)
    assert "|---" not in text and "|" not in text
    md = demo_container.memos.render(acme[language], "md").decode()
    start, stop = ("14. ", "15. ") if language == "en" else ("十四、", "十五、")
    refs = md[md.index(start) : md.index(stop)]
    assert "|---" not in refs and "| |" not in refs


@needs_pdftotext
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_amount_carries_its_currency(demo_container, acme, tmp_path, language) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(demo_container, acme[language], tmp_path)
    refs = "14. Policy references" if language == "en" else "14. 政策依据"
    after = "15. Conditions" if language == "en" else "15. 需监控"
    memo_text = text[: text.index(refs)] + text[text.index(after) :]  # quoted policy passages are as written
    for m in AMOUNT.finditer(memo_text):
        before = memo_text[max(0, m.start() - 4) : m.start()]
        assert re.fullmatch(r"[A-Z]{3}\s", before), (
            f"{m.group()} without a currency: …{memo_text[m.start() - 40 : m.end()]}"
        )
    gap = "coverage gap of USD " if language == "en" else "保障缺口 USD "
    assert gap in memo_text


def test_docx_holds_amounts_and_english_dates_together(demo_container, acme) -> None:  # type: ignore[no-untyped-def]
    for memo in acme.values():
        doc = Document(io.BytesIO(demo_container.memos.render(memo, "docx")))
        texts = [p.text for p in doc.paragraphs]
        texts += [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
        joined = "\n".join(texts)
        assert f"USD{NBSP}" in joined
        assert not re.search(r"\b[A-Z]{3} -?\d", joined), "an amount with a breakable space"
        assert not re.search(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}", joined), (
            "an English date with breakable spaces"
        )
        assert WORD_JOINER not in joined


# --- dates as the memo's language writes them (kernel.catalogue.fmt_date) ---------------------------------

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _docx_cells(container, memo):  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(container.memos.render(memo, "docx")))
    cells = [c for t in doc.tables for row in t.rows for c in row.cells]
    kept = [c._tc.tcPr is not None and c._tc.tcPr.find(qn("w:noWrap")) is not None for c in cells]
    return doc, [c.text for c in cells], kept


def test_a_chinese_memo_writes_its_dates_in_chinese(demo_container, acme) -> None:  # type: ignore[no-untyped-def]
    # as of 28 Nov 2026; ACME is reviewed half-yearly, so the next review is due 28 May 2027; its bank flows
    # run to October 2026 (the last whole month)
    md = demo_container.memos.render(acme["zh"], "md").decode()
    assert "| **数据截止日** | 2026年11月28日 |" in md
    assert "| **银行流水截至** | 2026年10月 |" in md
    assert "- 下次定期审查到期日 2027年5月28日。" in md
    assert ISO_DATE.findall(md) == []
    doc, cells, _ = _docx_cells(demo_container, acme["zh"])
    assert "2026年11月28日" in cells
    assert ISO_DATE.findall("\n".join([p.text for p in doc.paragraphs] + cells)) == []
    en = demo_container.memos.render(acme["en"], "md").decode()
    assert "| **Data as of** | 28 Nov 2026 |" in en and "- Next periodic review due 28 May 2027." in en


def test_a_docx_table_cell_holding_a_chinese_date_is_kept_on_one_line(demo_container, acme) -> None:  # type: ignore[no-untyped-def]
    _, cells, kept = _docx_cells(demo_container, acme["zh"])
    dates = [i for i, text in enumerate(cells) if ZH_DATE.fullmatch(text)]
    assert len(dates) >= 5  # the header's dates, the facilities' maturities, the warnings', the contacts'
    assert all(kept[i] for i in dates), [cells[i] for i in dates if not kept[i]]
    assert all(cells[i] == cells[i].replace("\u2060", "") for i in dates)  # read back as written
    sentences = [i for i, text in enumerate(cells) if ZH_DATE.search(text) and "，" in text]
    assert sentences and not any(kept[i] for i in sentences)  # a sentence in a cell still wraps


@needs_pdftotext
def test_the_chinese_pdf_dates_read_in_chinese_even_in_its_running_header(
    demo_container, acme, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(demo_container, acme["zh"], tmp_path)
    assert ISO_DATE.findall(text) == []
    header = next(line for line in text.splitlines() if "ACME Holdings ·" in line)
    assert "· 2026年11月28日 ·" in header, header
