"""Spreading a client's financial statements (Excel or text PDF) onto the standard chart.

A source is read into rows of cells, each cell knowing where it came from (`Sheet!B7`, `page 2 line 14`).
The header row is the first with two or more period labels (2025, FY2025, 2025-12-31, 2025年, 2025年度,
2025年12月31日); every row whose first text cell names a line item and that has numbers under the
period columns is a line. Lines are mapped by the synonym catalogue (exact = confidence 100, else rapidfuzz),
amounts scaled by the unit (given, or found: 万元, 千元, thousands, millions …). Tie-outs are checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from kernel.errors import InvalidInput
from tools.spreading.synonyms import MIN_SCORE, SYNONYMS, UNITS

_PERIOD = re.compile(
    r"^(?:FY\s*)?(?P<y>(?:19|20)\d{2})(?:[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?)?(?:年度?|年末)?(?:\s*\(?audited\)?|\s*A)?$",
    re.I,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Cell(BaseModel):
    value: str | float | int | None
    where: str


class SpreadLine(BaseModel):
    figure: str
    label: str
    source: str
    confidence: float
    values: dict[str, str]  # period end (ISO) -> amount in units


class Spread(BaseModel):
    file: str
    sha256: str
    unit: int
    unit_source: str
    periods: list[dt.date]
    lines: list[SpreadLine]
    unmapped: list[str]
    tieouts: list[str]

    def figure(self, name: str, period: dt.date) -> Decimal | None:
        line = next((ln for ln in self.lines if ln.figure == name and period.isoformat() in ln.values), None)
        return Decimal(line.values[period.isoformat()]) if line else None


def _norm(label: str) -> str:
    label = re.sub(r"^[\s\d.、()（）一二三四五六七八九十:：]+", "", label.strip())
    label = re.sub(r"^(减|加|其中|减少|增加)[:：]?", "", label)
    return re.sub(r"[\s:：*]+", " ", label.lower()).strip(" .")


_CHOICES = {syn: fig for fig, syns in SYNONYMS.items() for syn in syns}


def match_line(label: str) -> tuple[str, float] | None:
    """The chart figure for a line label and the confidence (0-100), or None when nothing is close."""
    norm = _norm(label)
    if not norm:
        return None
    if norm in _CHOICES:
        return _CHOICES[norm], 100.0
    scorer = fuzz.ratio if _CJK.search(norm) else fuzz.token_sort_ratio
    best = process.extractOne(norm, list(_CHOICES), scorer=scorer)
    if best and best[1] >= MIN_SCORE:
        return _CHOICES[best[0]], round(float(best[1]), 1)
    return None


def _period(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime | dt.date):
        return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()  # type: ignore[union-attr]
    if isinstance(value, int | float) and 1990 <= value <= 2100 and float(value).is_integer():
        return dt.date(int(value), 12, 31)
    m = _PERIOD.match(str(value or "").strip())
    if not m:
        return None
    year, month, day = int(m["y"]), int(m["m"] or 12), m["d"]
    if day is None:
        day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    try:
        return dt.date(year, month, int(day))
    except ValueError:
        return None


def _number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    s = str(value).strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
    if s in ("", "-", "—", "–"):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return -d if negative else d


def detect_unit(texts: list[str]) -> tuple[int, str]:
    """The unit a short heading line gives (单位：万元, (in thousands), USD millions …); 1 when none does."""
    for t in texts:
        low = t.lower()
        if len(low) > 60:
            continue
        for word, factor in UNITS:
            if word in low and (word != "元" or "单位" in low):
                return factor, t.strip()[:80]
    return 1, "none found: units"


def spread_rows(rows: list[list[Cell]], file: str, sha256: str, unit: int | None = None) -> Spread:
    texts = [str(c.value) for row in rows for c in row if isinstance(c.value, str)]
    factor, unit_source = (unit, "given") if unit else detect_unit(texts)
    periods: dict[int, dt.date] = {}
    lines: list[SpreadLine] = []
    unmapped: list[str] = []
    disagreements: list[str] = []
    for row in rows:
        found = {i: p for i, c in enumerate(row) if (p := _period(c.value)) is not None}
        other_numbers = any(_number(c.value) is not None for i, c in enumerate(row) if i not in found)
        if found and not other_numbers and (len(found) >= 2 or not periods):
            periods = found
            continue
        label_at = next(
            (
                i
                for i, c in enumerate(row)
                if isinstance(c.value, str) and c.value.strip() and _number(c.value) is None
            ),
            None,
        )
        if label_at is None or not periods:
            continue
        label = str(row[label_at].value).strip()
        values = {}
        for i, period in periods.items():
            if i < len(row) and (n := _number(row[i].value)) is not None:
                values[period.isoformat()] = str(n * factor)
        if not values:
            continue
        hit = match_line(label)
        if hit is None:
            unmapped.append(f"{row[label_at].where}: {label}")
            continue
        figure, confidence = hit
        first = next((ln for ln in lines if ln.figure == figure), None)
        if first is not None:
            for period, value in values.items():
                if period in first.values and Decimal(first.values[period]) != Decimal(value):
                    disagreements.append(f"{period}: {figure} is {first.values[period]} at {first.source} but "
                                         f"{value} at {row[label_at].where} ({label})")  # fmt: skip
            continue
        lines.append(
            SpreadLine(
                figure=figure, label=label, source=row[label_at].where, confidence=confidence, values=values
            )
        )
    if not periods:
        raise InvalidInput(f"{file}: no header with periods found (expected columns like 2025, FY2025, 2025-12-31, 2025年)",
                           field="file")  # fmt: skip
    spread = Spread(file=file, sha256=sha256, unit=factor, unit_source=unit_source,
                    periods=sorted(set(periods.values()), reverse=True), lines=lines, unmapped=unmapped, tieouts=[])  # fmt: skip
    _derive_ebitda(spread)
    spread.tieouts = disagreements + tieouts(spread)
    return spread


def _derive_ebitda(spread: Spread) -> None:
    """EBITDA = operating profit + depreciation when the statements do not give it (the engine's ratios need it)."""
    if any(ln.figure == "ebitda" for ln in spread.lines):
        return
    values = {}
    for p in spread.periods:
        op, dep = spread.figure("operating_profit", p), spread.figure("depreciation", p)
        if op is not None and dep is not None:
            values[p.isoformat()] = str(op + abs(dep))
    if values:
        sources = [ln.source for ln in spread.lines if ln.figure in ("operating_profit", "depreciation")]
        spread.lines.append(SpreadLine(figure="ebitda", label="operating profit + depreciation (derived)",
                                       source=" + ".join(sources), confidence=min(
                                           ln.confidence for ln in spread.lines if ln.figure in ("operating_profit", "depreciation")),
                                       values=values))  # fmt: skip


def tieouts(spread: Spread) -> list[str]:
    """Failed tie-outs, one line each: A = L + E, subtotals within totals, net income across statements."""
    problems = []
    for p in spread.periods:
        f = {name: spread.figure(name, p) for name in SYNONYMS}
        tol = max(Decimal(spread.unit), abs(f["total_assets"] or Decimal(0)) * Decimal("0.001"))
        a, li, e, le = f["total_assets"], f["total_liabilities"], f["equity"], f["liabilities_and_equity"]
        if a is not None and li is not None and e is not None and abs(a - (li + e)) > tol:
            problems.append(f"{p}: total assets {a} ≠ total liabilities {li} + equity {e} (= {li + e})")
        if a is not None and le is not None and abs(a - le) > tol:
            problems.append(f"{p}: total assets {a} ≠ total liabilities and equity {le}")
        for part, whole in (("current_assets", "total_assets"), ("current_liabilities", "total_liabilities"),
                            ("cash", "current_assets"), ("inventory", "current_assets"), ("receivables", "current_assets")):  # fmt: skip
            if f[part] is not None and f[whole] is not None and f[part] > f[whole] + tol:
                problems.append(f"{p}: {part} {f[part]} is more than {whole} {f[whole]}")
    return problems


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
