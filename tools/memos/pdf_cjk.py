"""A reportlab Paragraph for Chinese whose lines end only where `typeset.breaks` allows.

reportlab's `wordWrap='CJK'` cuts a line at any character once it is full (it looks back for a space only
as far as half the line), so it splits `USD 500,000` after the currency, a date between 月 and 日 and a
Latin word inside a narrow cell, and a no-break space is a space to it. This paragraph keeps reportlab's
glyph model (`cjkU`) and line objects (`makeCJKParaLine`) and only chooses the line ends: the last break
opportunity that fits; a single unit wider than the whole line is cut where the line is full (nothing
else can fit it).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from tools.memos.typeset import WORD_JOINER, breaks


class CJKParagraph(Paragraph):
    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_lines(self.frags, list(maxWidths), auto not in ("", "off"))


def split_lines(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        glyphs.extend(cjkU(t, f, "utf8") for t in text) if text else glyphs.append(cjkU("", f, "utf8"))
    can = breaks("".join(str(g) or "\n" for g in glyphs))  # an empty glyph is a <br/> or an image
    kept = [(g, c) for g, c in zip(glyphs, can, strict=True) if str(g) != WORD_JOINER]
    lines = []
    start, n = 0, len(kept)
    while start < n:
        width = max_widths[min(len(lines), len(max_widths) - 1)]
        used, end, last, forced = 0.0, start, None, False
        while end < n:
            g, c = kept[end]
            if hasattr(g.frag, "lineBreak"):
                forced = True
                end += 1
                break
            if used + g.width > width + _FUZZ and end > start:
                break
            used += g.width
            end += 1
            if c:
                last = end
        stop = end if forced or end >= n or last is None else last
        line = [g for g, _ in kept[start:stop] if not hasattr(g.frag, "lineBreak")]
        while line and str(line[-1]).isspace():  # a line ends at its last visible glyph
            line.pop()
        drawn = sum(g.width for g in line)
        lines.append(makeCJKParaLine(line, width, drawn, width - drawn, forced, calc_bounds))
        start = stop
        while start < n and str(kept[start][0]).isspace() and not hasattr(kept[start][0].frag, "lineBreak"):
            start += 1  # nor starts with a space
    return ParaLines(kind=1, lines=lines)
