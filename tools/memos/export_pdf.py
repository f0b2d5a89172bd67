"""Memo → PDF (reportlab platypus): headings, fact and data tables, charts, running header and page numbers.

Every font is embedded (as a subset), so a PDF looks the same on every machine and in an archive:
English uses Bitstream Vera (shipped inside reportlab), Chinese the Noto Sans CJK SC subset shipped with the
app (tools/memos/fonts/, SIL Open Font License; rebuilt by scripts/build_cjk_font.py). Amounts in table cells
never wrap (their column is as wide as the widest amount).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
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

from tools.memos.labels import labels, localised, term
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
KEY_COL_W = 5.2 * cm


# Streams (images, fonts, pages) are written compressed but not ASCII85-encoded: binary PDF streams are what
# every reader expects, and reportlab's pure-Python ASCII85 encoder was a third of an export's time.
rl_config.useA85 = 0

CJK_FONT = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular-subset.ttf"
CJK_NAME = "NotoSansSC"


@cache
def _fonts(language: str) -> tuple[str, str]:
    """(regular, bold) embedded font names for the language (registered once)."""
    if language == "zh":
        pdfmetrics.registerFont(TTFont(CJK_NAME, str(CJK_FONT)))
        registerFontFamily(CJK_NAME, normal=CJK_NAME, bold=CJK_NAME, italic=CJK_NAME, boldItalic=CJK_NAME)
        return CJK_NAME, CJK_NAME  # one weight ships; headings stand out by size and colour
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("Vera-Bold", "VeraBd.ttf"))
    registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera", boldItalic="Vera-Bold")
    return "Vera", "Vera-Bold"


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
    memo = localised(memo)
    L, st = labels(memo.language), _styles(memo.language)
    x = _x if memo.language == "en" else _xz
    story: list[Flowable] = [Paragraph(x(memo.header.title), st["title"])]
    version = "n/a" if memo.version is None else str(memo.version)
    status = term(memo.language, "status", memo.status)
    header_rows = [[f.label, f.value] for f in memo.header.facts] + [[L["version"], f"{version} ({status})"]]
    story.append(_facts(header_rows, st, x))
    story += [Paragraph(x(n), st["small"]) for n in memo.narrative_notes]
    for n, s in enumerate(memo.sections, start=1):
        block: list[Flowable] = [Paragraph(x(f"{n}. {s.title}"), st["h2"])]
        block += [Paragraph(x(p), st["body"]) for p in s.narrative]
        if s.missing:
            block.append(Paragraph(f"<b>{x(L['missing'])}:</b> " + x(" ".join(s.missing)), st["missing"]))
        story.append(KeepTogether(block))  # a heading never ends a page alone
        if s.facts:
            story.append(_facts([[f.label, f.value] for f in s.facts], st, x))
        if s.chart and s.chart in charts:
            story.append(Image(io.BytesIO(charts[s.chart]), width=CHART_W, height=CHART_W * CHART_RATIO))
        for t in s.tables:
            story.append(_grid(t, st, x))
            if t.caption:
                story.append(Paragraph(x(t.caption), st["small"]))
        if s.bullets:
            items = [ListItem(Paragraph(x(b), st["body"]), leftIndent=12) for b in s.bullets]
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontSize=7,
                                       bulletFontName=st["body"].fontName))  # fmt: skip
    story += [Spacer(1, 10), Paragraph(x(L["generated"].format(sha=memo.snapshot_sha256[:12])), st["small"])]

    out = io.BytesIO()
    font = _fonts(memo.language)[0]
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=font, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=memo.header.title, author=memo.created_by,
                            subject=f"snapshot {memo.snapshot_sha256}")  # fmt: skip
    running = f"{memo.client_name} · {L['title']} · {memo.as_of.isoformat()} · {status} v{version}"
    page_label = L["page_n"]

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, PAGE_H - MARGIN + 0.8 * cm, running)
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, PAGE_H - MARGIN + 0.65 * cm, PAGE_W - MARGIN, PAGE_H - MARGIN + 0.65 * cm)
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 0.9 * cm, page_label.format(page=document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


# glyphs Vera lacks, written the way a typist would (the Chinese font has them)
_PLAIN = str.maketrans({"\u2212": "-", "\u2192": "->", "\u2190": "<-", "\u2265": ">=", "\u2264": "<=",
                        "\u2248": "~", "\u2713": "yes"})  # fmt: skip


def _x(text: str) -> str:
    return escape(text.translate(_PLAIN))


def _xz(text: str) -> str:
    return escape(text)


Escape = Callable[[str], str]


def _facts(rows: list[list[str]], st: dict[str, ParagraphStyle], x: Escape = _x) -> RLTable:
    widths = [KEY_COL_W, BODY_W - KEY_COL_W]
    key, val = st["key"], st["val"]
    data = [[_cell(k, key, widths[0], x), _cell(v, val, widths[1], x)] for k, v in rows]
    table = RLTable(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               *_plain_style((0, 0), (0, -1), key), *_plain_style((1, 0), (1, -1), val)]))  # fmt: skip
    return table


def numeric_widths(t: Table, font: str, size: float, *, padding: float = 12) -> list[float]:
    """Per column: the width the widest figure needs on one line (0 for text columns)."""
    numeric = t.numeric or [False] * len(t.columns)
    return [
        max((stringWidth(row[i], font, size) for row in t.rows if i < len(row)), default=0) + padding
        if numeric[i] else 0.0
        for i in range(len(t.columns))
    ]  # fmt: skip


def _grid(t: Table, st: dict[str, ParagraphStyle], x: Escape = _x) -> RLTable:
    numeric = t.numeric or [False] * len(t.columns)
    n_text = sum(1 for n in numeric if not n)
    cell, num, head = st["cell"], st["cell_num"], st["cell_head"]
    need = numeric_widths(t, num.fontName, num.fontSize)
    num_w = [max(min(NUMERIC_COL_W, BODY_W / len(t.columns)), w) for w in need]
    text_w = max(BODY_W - sum(w for w, n in zip(num_w, numeric, strict=True) if n), 0) / max(n_text, 1)
    widths = [w if n else text_w for w, n in zip(num_w, numeric, strict=True)]
    header = [_cell(c, head, widths[i], x) for i, c in enumerate(t.columns)]
    # an amount never wraps: its column is as wide as the widest amount, and it is drawn as one line
    body = [[_plain(v, x) if numeric[i] else _cell(v, cell, widths[i], x) for i, v in enumerate(row)]
            for row in t.rows]  # fmt: skip
    table = RLTable([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *_plain_style((0, 1), (-1, -1), cell),
        *_plain_style((0, 0), (-1, 0), head),
    ]
    for i, n in enumerate(numeric):
        if n:
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


# Table cells are reportlab's plain strings (drawn as one line, no markup parsing) when the text fits its
# column on one line; a Paragraph (wrapping) only where it does not. Same fonts, sizes and colours.
CELL_PADDING = 12  # the table's default left + right padding


def _plain(text: str, x: Escape) -> str:
    return text.translate(_PLAIN) if x is _x else text


def _cell(text: str, style: ParagraphStyle, width: float, x: Escape) -> str | Paragraph:
    plain = _plain(text, x)
    if "\n" not in plain and stringWidth(plain, style.fontName, style.fontSize) <= width - CELL_PADDING:
        return plain
    return Paragraph(x(text), style)


def _plain_style(start: tuple[int, int], stop: tuple[int, int], style: ParagraphStyle) -> list[tuple]:
    """The commands that draw a plain-string cell as the Paragraph style would."""
    return [("FONTNAME", start, stop, style.fontName), ("FONTSIZE", start, stop, style.fontSize),
            ("LEADING", start, stop, style.leading), ("TEXTCOLOR", start, stop, style.textColor)]  # fmt: skip
