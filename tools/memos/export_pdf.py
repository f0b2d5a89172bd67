"""Memo → PDF (reportlab platypus): headings, fact and data tables, charts, running header and page numbers.

English uses the standard Helvetica faces; Chinese registers reportlab's built-in `STSong-Light` CID font
(no font file needed).
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from tools.memos.labels import labels
from tools.memos.models import Memo, Table

NAVY = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#5a6b7d")
LINE = colors.HexColor("#c9d3df")
HEAD_BG = colors.HexColor("#eef2f7")
AMBER_BG = colors.HexColor("#fff4e5")
PAGE_W, PAGE_H = A4
MARGIN = 2 * cm
BODY_W = PAGE_W - 2 * MARGIN
NUMERIC_COL_W = 2.6 * cm
CHART_W = 16 * cm
CHART_RATIO = 2.3 / 6.4  # the charts' figure height / width


@cache
def _fonts(language: str) -> tuple[str, str]:
    """(regular, bold) font names for the language."""
    if language == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light", "STSong-Light"
    return "Helvetica", "Helvetica-Bold"


@cache
def _styles(language: str) -> dict[str, ParagraphStyle]:
    regular, bold = _fonts(language)
    wrap = "CJK" if language == "zh" else "LTR"
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, spaceAfter=4, wordWrap=wrap)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=bold, fontSize=17, leading=21, textColor=NAVY, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=bold, fontSize=12, leading=15, textColor=NAVY, spaceBefore=10, spaceAfter=4
        ),  # fmt: skip
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
        "cell_num": ParagraphStyle(
            "cell_num", base, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "cell_head": ParagraphStyle("cell_head", base, fontName=bold, fontSize=8, leading=10, spaceAfter=0),
        "key": ParagraphStyle(
            "key", base, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0, textColor=GREY
        ),
        "val": ParagraphStyle("val", base, fontSize=8.5, leading=11, spaceAfter=0),
        "missing": ParagraphStyle(
            "missing", base, backColor=AMBER_BG, borderPadding=4, spaceBefore=4, spaceAfter=8
        ),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=GREY),
    }


def export_pdf(memo: Memo, charts: dict[str, bytes]) -> bytes:
    L, st = labels(memo.language), _styles(memo.language)
    story: list[Flowable] = [Paragraph(_x(memo.header.title), st["title"])]
    version = "n/a" if memo.version is None else str(memo.version)
    header_rows = [[f.label, f.value] for f in memo.header.facts] + [
        [L["version"], f"{version} ({memo.status})"]
    ]
    story.append(_facts(header_rows, st))
    story += [Paragraph(_x(n), st["small"]) for n in memo.narrative_notes]
    for n, s in enumerate(memo.sections, start=1):
        block: list[Flowable] = [Paragraph(_x(f"{n}. {s.title}"), st["h2"])]
        block += [Paragraph(_x(p), st["body"]) for p in s.narrative]
        if s.missing:
            block.append(Paragraph(f"<b>{_x(L['missing'])}:</b> " + _x(" ".join(s.missing)), st["missing"]))
        story.append(KeepTogether(block))  # a heading never ends a page alone
        if s.facts:
            story.append(_facts([[f.label, f.value] for f in s.facts], st))
        if s.chart and s.chart in charts:
            story.append(Image(io.BytesIO(charts[s.chart]), width=CHART_W, height=CHART_W * CHART_RATIO))
        for t in s.tables:
            story.append(_grid(t, st))
            if t.caption:
                story.append(Paragraph(_x(t.caption), st["small"]))
        if s.bullets:
            items = [ListItem(Paragraph(_x(b), st["body"]), leftIndent=12) for b in s.bullets]
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontSize=7))
    story += [Spacer(1, 10), Paragraph(_x(L["generated"].format(sha=memo.snapshot_sha256[:12])), st["small"])]

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=memo.header.title, author=memo.created_by,
                            subject=f"snapshot {memo.snapshot_sha256}")  # fmt: skip
    running = f"{memo.client_name} · {L['title']} · {memo.as_of.isoformat()} · {memo.status} v{version}"
    page_label = L["page"]
    font = _fonts(memo.language)[0]

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, PAGE_H - MARGIN + 0.8 * cm, running)
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, PAGE_H - MARGIN + 0.65 * cm, PAGE_W - MARGIN, PAGE_H - MARGIN + 0.65 * cm)
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 0.9 * cm, f"{page_label} {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


# glyphs the standard PDF fonts lack, written the way a typist would
_PLAIN = str.maketrans({"\u2212": "-", "\u2192": "->", "\u2190": "<-", "\u2265": ">=", "\u2264": "<=",
                        "\u2248": "~", "\u2713": "yes"})  # fmt: skip


def _x(text: str) -> str:
    return escape(text.translate(_PLAIN))


def _facts(rows: list[list[str]], st: dict[str, ParagraphStyle]) -> RLTable:
    data = [[Paragraph(_x(k), st["key"]), Paragraph(_x(v), st["val"])] for k, v in rows]
    table = RLTable(data, colWidths=[5.2 * cm, BODY_W - 5.2 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return table


def _grid(t: Table, st: dict[str, ParagraphStyle]) -> RLTable:
    numeric = t.numeric or [False] * len(t.columns)
    n_text = sum(1 for n in numeric if not n)
    num_w = min(NUMERIC_COL_W, BODY_W / len(t.columns))
    text_w = (BODY_W - num_w * (len(t.columns) - n_text)) / max(n_text, 1)
    widths = [num_w if n else text_w for n in numeric]
    head = [Paragraph(_x(c), st["cell_head"]) for c in t.columns]
    body = [
        [Paragraph(_x(v), st["cell_num" if numeric[i] else "cell"]) for i, v in enumerate(row)]
        for row in t.rows
    ]
    table = RLTable([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("GRID", (0, 0), (-1, -1), 0.4, LINE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ])
    )  # fmt: skip
    return table
