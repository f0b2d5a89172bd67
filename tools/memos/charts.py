"""The memo's small charts (utilisation trend, key ratio trends) as PNG, drawn once per memo.

matplotlib is imported lazily (Agg canvas, no pyplot) and the PNGs are cached by the memo's data
snapshot and language, so rendering the same memo to HTML, DOCX and PDF draws each chart once.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from functools import cache

from tools.memos.labels import EN, RATIO_LABELS
from tools.memos.models import ChartSeries, ChartSpec, Memo

_CACHE: OrderedDict[tuple[str, str], dict[str, bytes]] = OrderedDict()
_CACHE_SIZE = 32
COLOURS = ("#1f3a5f", "#c8102e", "#5b8c5a", "#8a6d3b")
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def chart_pngs(memo: Memo) -> dict[str, bytes]:
    """{chart key: PNG bytes} for every chart of the memo (cached)."""
    cache_key = (memo.snapshot_sha256, memo.language)
    if cache_key not in _CACHE:
        _CACHE[cache_key] = {c.key: _draw(c) for c in memo.charts}
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return _CACHE[cache_key]


@cache
def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for name in CJK_FONTS:
        try:
            font_manager.findfont(name, fallback_to_default=False)
        except ValueError:
            continue
        return name
    return None


def _label(series: ChartSeries) -> str:
    """Legend text: the memo's own words when a font can draw them, else the English label."""
    if series.label.isascii() or _cjk_font():
        return series.label
    return RATIO_LABELS["en"].get(series.key) or EN.get(series.key, series.key)


def _draw(chart: ChartSpec) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(6.4, 2.3), dpi=130)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    font = _cjk_font() if not chart.title.isascii() else None
    for colour, series in zip(COLOURS, chart.series, strict=False):
        xs = [d for d, v in series.points if v is not None]
        ys = [v * 100 if chart.unit == "%" else v for _, v in series.points if v is not None]
        ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=1.6, color=colour,
                label=_label(series))  # fmt: skip
        if ys and len(chart.series) == 1:
            ax.annotate(_tick(ys[-1], chart.unit), (xs[-1], ys[-1]), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, color=colour)  # fmt: skip
    if chart.unit == "%":  # utilisation reads against a full line: 0 … 100 % (or above when over-drawn)
        top = max([100.0] + [v * 100 for s in chart.series for _, v in s.points if v is not None])
        ax.set_ylim(0, top * 1.05)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v, chart.unit)))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7, colors="#444444")
    if len(chart.series) > 1 or chart.unit == "x":
        legend = ax.legend(
            fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=len(chart.series)
        )
        if font:
            for text in legend.get_texts():
                text.set_fontfamily(font)
    fig.autofmt_xdate(rotation=0, ha="center")
    fig.tight_layout(pad=0.4)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _tick(value: float, unit: str) -> str:
    return f"{value:,.0f}%" if unit == "%" else f"{value:,.1f}x"
