"""Memo → DOCX (python-docx): title, header table, numbered section headings, fact and data tables, charts,
and a footer with the page number ("Page 3 of 7", Word's PAGE and NUMPAGES fields)."""

from __future__ import annotations

import io
import string

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tools.memos.labels import labels, localised, term
from tools.memos.models import Memo, Table
from tools.memos.typeset import bind, unbind, units

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x5A, 0x6B, 0x7D)
AMBER = RGBColor(0x9A, 0x5B, 0x00)
MAX_UNWRAPPED = 32  # a longer value may wrap (a column as wide as it would push the table off the page)


def export_docx(memo: Memo, charts: dict[str, bytes]) -> bytes:
    memo = localised(memo)
    L = labels(memo.language)
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    if memo.language == "zh":
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    footer = section.footer.paragraphs[0]
    footer.text = L["generated"].format(sha=memo.snapshot_sha256[:12])
    footer.runs[0].font.size = Pt(7)
    footer.runs[0].font.color.rgb = GREY
    _page_numbers(section.footer.add_paragraph(), L["page_footer"])

    title = doc.add_heading(memo.header.title, level=0)
    title.runs[0].font.color.rgb = NAVY
    title.runs[0].font.size = Pt(20)
    version = "n/a" if memo.version is None else str(memo.version)
    rows = [[f.label, f.value] for f in memo.header.facts] + [
        [L["version"], f"{version} ({term(memo.language, 'status', memo.status)})"]
    ]
    _table(doc, None, rows, numeric=[False, False], bold_first=True, grid=False)
    for note in memo.narrative_notes:
        _paragraph(doc, note, italic=True, colour=GREY)

    for n, s in enumerate(memo.sections, start=1):
        heading = doc.add_heading(f"{n}. {s.title}", level=1)
        for run in heading.runs:
            run.font.color.rgb = NAVY
            run.font.size = Pt(13)
        for p in s.narrative:
            _paragraph(doc, p)
        if s.missing:
            _paragraph(doc, f"{L['missing']}: " + " ".join(s.missing), colour=AMBER, bold=True)
        if s.facts:
            _table(doc, None, [[f.label, f.value] for f in s.facts], numeric=[False, True], bold_first=True)
        if s.chart and s.chart in charts:
            doc.add_picture(io.BytesIO(charts[s.chart]), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for t in s.tables:
            _data_table(doc, t)
        for b in s.bullets:
            doc.add_paragraph(_bound(b), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _bound(text: str) -> str:
    """Memo text as Word lays it out: an amount and an English date held together by no-break spaces
    (typeset.bind). Word has no reliable word joiner: a table cell holding a Chinese date is kept on one
    line instead (`_no_wrap`); in running text a Chinese date keeps Word's own line breaking."""
    return unbind(bind(text))


def _one_piece(value: str) -> bool:
    """A short cell value that is one unbreakable unit (typeset.units): a date, an amount, an id, a word."""
    return 0 < len(value) <= MAX_UNWRAPPED and len(units(bind(value))) == 1


def _no_wrap(cell: object) -> None:
    """The cell's text stays on one line and Word widens the column for it (`w:noWrap`): Word breaks a
    Chinese date (2026年11月28日) beside any of its characters, and a word joiner is not one it keeps."""
    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))  # type: ignore[attr-defined]


def _field(paragraph: object, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {instruction} "
        else:
            node = OxmlElement("w:t")
            node.text = text
        run._r.append(node)
    run.font.size = Pt(8)


def _page_numbers(paragraph: object, template: str) -> None:
    """'Page {page} of {pages}' with the placeholders as PAGE and NUMPAGES fields."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # type: ignore[attr-defined]
    fields = {"page": "PAGE", "pages": "NUMPAGES"}
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            paragraph.add_run(literal).font.size = Pt(8)  # type: ignore[attr-defined]
        if name:
            _field(paragraph, fields[name])


def _paragraph(doc: Document, text: str, *, italic: bool = False, bold: bool = False,  # type: ignore[valid-type]
               colour: RGBColor | None = None) -> None:  # fmt: skip
    run = doc.add_paragraph().add_run(_bound(text))  # type: ignore[attr-defined]
    run.italic, run.bold = italic, bold
    if colour is not None:
        run.font.color.rgb = colour


def _data_table(doc: Document, t: Table) -> None:  # type: ignore[valid-type]
    _table(doc, t.columns, t.rows, numeric=t.numeric)
    if t.caption:
        _paragraph(doc, t.caption, italic=True, colour=GREY)


def _table(doc: Document, columns: list[str] | None, rows: list[list[str]], *,  # type: ignore[valid-type]
           numeric: list[bool], bold_first: bool = False, grid: bool = True) -> None:  # fmt: skip
    width = len(columns) if columns else len(rows[0]) if rows else 0
    if not width:
        return
    table = doc.add_table(rows=0, cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid" if grid else table.style
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    size = Pt(8) if width > 5 else Pt(9)
    for r, values in enumerate(([columns] if columns else []) + rows):
        cells = table.add_row().cells
        head = columns is not None and r == 0
        for c, value in enumerate(values):
            para = cells[c].paragraphs[0]
            is_number = bool(numeric) and c < len(numeric) and numeric[c] and not head
            run = para.add_run(
                value.replace(" ", "\u00a0") if is_number else _bound(value)
            )  # figures never wrap
            if _one_piece(value):
                _no_wrap(cells[c])
            run.font.size = size
            run.bold = head or (bold_first and c == 0)
            if is_number:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
