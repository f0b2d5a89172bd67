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

from kernel.catalogue import fmt_date
from tools.memos.labels import labels, localised, term
from tools.memos.models import Memo, Table
from tools.memos.pdf_cjk import CJKParagraph
from tools.memos.typeset import bind, unbind, units

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
    story: list[Flowable] = [_para(x(memo.header.title), st["title"])]
    version = "n/a" if memo.version is None else str(memo.version)
    status = term(memo.language, "status", memo.status)
    header_rows = [[f.label, f.value] for f in memo.header.facts] + [[L["version"], f"{version} ({status})"]]
    story.append(_facts(header_rows, st, x))
    story += [_para(x(n), st["small"]) for n in memo.narrative_notes]
    for n, s in enumerate(memo.sections, start=1):
        block: list[Flowable] = [_para(x(f"{n}. {s.title}"), st["h2"])]
        block += [_para(x(p), st["body"]) for p in s.narrative]
        if s.missing:
            block.append(_para(f"<b>{x(L['missing'])}:</b> " + x(" ".join(s.missing)), st["missing"]))
        story.append(KeepTogether(block))  # a heading never ends a page alone
        if s.facts:
            story.append(_facts([[f.label, f.value] for f in s.facts], st, x))
        if s.chart and s.chart in charts:
            story.append(Image(io.BytesIO(charts[s.chart]), width=CHART_W, height=CHART_W * CHART_RATIO))
        for t in s.tables:
            story.append(_grid(t, st, x))
            if t.caption:
                story.append(_para(x(t.caption), st["small"]))
        if s.bullets:
            items = [ListItem(_para(x(b), st["body"]), leftIndent=12) for b in s.bullets]
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontSize=7,
                                       bulletFontName=st["body"].fontName))  # fmt: skip
    story += [Spacer(1, 10), _para(x(L["generated"].format(sha=memo.snapshot_sha256[:12])), st["small"])]

    out = io.BytesIO()
    font = _fonts(memo.language)[0]
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=font, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=memo.header.title, author=memo.created_by,
                            subject=f"snapshot {memo.snapshot_sha256}")  # fmt: skip
    running = (
        f"{memo.client_name} · {L['title']} · {fmt_date(memo.as_of, memo.language)} · {status} v{version}"
    )
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
    """English memo text as paragraph markup: no-break spaces bind amounts and dates (reportlab keeps them)."""
    return escape(unbind(bind(text)).translate(_PLAIN))


def _xz(text: str) -> str:
    """Chinese memo text as paragraph markup: amounts and dates bound for CJKParagraph's line breaking."""
    return escape(bind(text))


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


def _width(text: str, style: ParagraphStyle) -> float:
    return stringWidth(text, style.fontName, style.fontSize)


def column_widths(t: Table, cell: ParagraphStyle, num: ParagraphStyle, head: ParagraphStyle,
                  x: Escape = _x) -> list[float] | None:  # fmt: skip
    """Each column's width, the way a browser lays out an automatic table: never narrower than its widest
    unbreakable unit (`column_floors`), the room left shared in proportion to what the longer cells would
    need on one line, the whole body width used. None when the floors alone do not fit the page."""
    numeric = t.numeric or [False] * len(t.columns)
    lo = column_floors(t, cell, num, head, x)
    if sum(lo) > BODY_W + 0.01:
        return None
    hi = []  # the width that sets every cell, and the heading, on one line
    for i, n in enumerate(numeric):
        line = 0.0 if n else max((_width(_plain(r[i], x), cell) for r in t.rows if i < len(r)), default=0.0)
        hi.append(max(lo[i], line + PAD, _width(_plain(t.columns[i], x), head) + PAD))
    if sum(hi) <= BODY_W:  # everything fits on one line: the spare room goes to the text columns
        grow = [h if not n else 0.0 for h, n in zip(hi, numeric, strict=True)]
        grow = grow if sum(grow) else list(hi)
        return [h + (BODY_W - sum(hi)) * g / sum(grow) for h, g in zip(hi, grow, strict=True)]
    # the room above the floors, shared out like water: a column that wants less than an equal share gets
    # all it wants (a short heading stays on one line), the rest share what is left in proportion
    widths, room = list(lo), BODY_W - sum(lo)
    open_ = sorted((i for i in range(len(lo)) if hi[i] > lo[i]), key=lambda i: hi[i] - lo[i])
    while open_ and hi[open_[0]] - lo[open_[0]] <= room / len(open_):
        i = open_.pop(0)
        widths[i], room = hi[i], room - (hi[i] - lo[i])
    want = sum(hi[i] - lo[i] for i in open_)
    for i in open_:
        widths[i] += room * (hi[i] - lo[i]) / want
    return widths


def column_floors(t: Table, cell: ParagraphStyle, num: ParagraphStyle, head: ParagraphStyle,
                  x: Escape = _x) -> list[float]:  # fmt: skip
    """Each column's narrowest width: its widest unbreakable unit (a word, an amount, a date; in a figure
    column the widest cell, drawn on one line) in the body or the heading, plus the cell padding."""
    numeric = t.numeric or [False] * len(t.columns)
    out = []
    for i, n in enumerate(numeric):
        cells = [row[i] for row in t.rows if i < len(row)]
        pieces = [_plain(c, x) for c in cells] if n else [u for c in cells for u in units(_bound(c, x))]
        widest = max((_width(p, num if n else cell) for p in pieces), default=0.0)
        heading = max((_width(u, head) for u in units(_bound(t.columns[i], x))), default=0.0)
        out.append(max(widest, heading) + PAD)
    return out


GRID_SIZES = (8.0, 7.5, 7.0, 6.5)  # a table too wide for the page at 8 pt is set smaller, never cut mid-word


def _grid(t: Table, st: dict[str, ParagraphStyle], x: Escape = _x) -> RLTable:
    numeric = t.numeric or [False] * len(t.columns)
    for size in GRID_SIZES:
        cell, num, head = (ParagraphStyle(f"{s.name}_{size}", s, fontSize=size, leading=size * 1.25)
                           for s in (st["cell"], st["cell_num"], st["cell_head"]))  # fmt: skip
        widths = column_widths(t, cell, num, head, x)
        if widths is not None:
            break
    else:  # a unit wider than the page: the smallest size, columns scaled to the page
        lo = column_floors(t, cell, num, head, x)
        widths = [w * BODY_W / sum(lo) for w in lo]
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
PAD = CELL_PADDING + 1  # and a point to spare


def _bound(text: str, x: Escape) -> str:
    """The text as it is laid out: amounts and dates bound (typeset.bind), Vera's missing glyphs replaced."""
    return bind(" ".join(text.split())).translate(_PLAIN) if x is _x else bind(" ".join(text.split()))


def _plain(text: str, x: Escape) -> str:
    """The text as a plain (one-line) cell draws it."""
    return unbind(_bound(text, x))


def _cell(text: str, style: ParagraphStyle, width: float, x: Escape) -> str | Paragraph:
    plain = _plain(text, x)
    if "\n" not in text and stringWidth(plain, style.fontName, style.fontSize) <= width - CELL_PADDING:
        return plain
    return _para(x(text), style)


def _para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of (escaped) memo text: Chinese lines end where typeset.breaks allows (pdf_cjk)."""
    return CJKParagraph(markup, style) if style.wordWrap == "CJK" else Paragraph(markup, style)


def _plain_style(start: tuple[int, int], stop: tuple[int, int], style: ParagraphStyle) -> list[tuple]:
    """The commands that draw a plain-string cell as the Paragraph style would."""
    return [("FONTNAME", start, stop, style.fontName), ("FONTSIZE", start, stop, style.fontSize),
            ("LEADING", start, stop, style.leading), ("TEXTCOLOR", start, stop, style.textColor)]  # fmt: skip
