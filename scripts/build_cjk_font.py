"""Build the Chinese font the memo PDFs embed: tools/memos/fonts/NotoSansSC-Regular-subset.ttf.

Source: Noto Sans CJK SC Regular (SIL Open Font License 1.1) from Debian's `fonts-noto-cjk`
(`apt-get install fonts-noto-cjk`). The face is subset to ASCII, Latin-1, general punctuation, the CJK
symbols and full-width forms and every character of GB 2312 (the 6,763 hanzi of everyday Simplified
Chinese), and its CFF outlines are converted to TrueType quadratics (reportlab embeds TrueType fonts only).
Run once when the font should change; the output is committed with its licence (OFL.txt beside it).

    .venv/bin/python scripts/build_cjk_font.py [path/to/NotoSansCJK-Regular.ttc]
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_FACE = 2  # JP, KR, SC, TC, HK in the collection
OUT = Path(__file__).resolve().parents[1] / "tools" / "memos" / "fonts" / "NotoSansSC-Regular-subset.ttf"


def characters() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x180)}
    chars |= {chr(c) for c in range(0x2000, 0x2070)}  # general punctuation (– — ‘ ’ “ ” … ‰)
    chars |= {chr(c) for c in range(0x2190, 0x2200)}  # arrows (→)
    chars |= {chr(c) for c in range(0x2200, 0x2270)}  # maths (≥ ≤ ≈ −)
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF00, 0xFFF0)}  # full-width forms
    chars |= set("•·×÷°±✓€£¥")
    for hi in range(0xA1, 0xF8):  # every GB 2312 code point
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    return "".join(sorted(chars))


def to_truetype(font: TTFont) -> None:
    """CFF → glyf (the fontTools otf2ttf recipe: cubic curves to quadratics with cu2qu)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, 1.0, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for tag in ("VORG", "vhea", "vmtx"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: Path = SOURCE) -> None:
    font = TTFont(source, fontNumber=SC_FACE)
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.hinting = False
    options.notdef_outline = True
    options.name_languages = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(text=characters())
    sub.subset(font)
    to_truetype(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
