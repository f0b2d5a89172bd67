"""How figures read in a memo: thousands separators, currency, %, multiples, days, dates in the memo's
language; "n/a" when missing."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from kernel.catalogue import fmt_date, fmt_month

NA = "n/a"


def money(value: Decimal | float | None, currency: str) -> str:
    """`USD 1,250,000` — whole units (memos do not show cents)."""
    if value is None:
        return NA
    whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{currency} {whole:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.8734 → `87.3%`."""
    return NA if value is None else f"{value * 100:,.{digits}f}%"


def pct_points(value: float | None) -> str:
    """A change of a fraction in percentage points, signed: +0.052 → `+5.2 pp`."""
    return NA if value is None else f"{_no_negative_zero(value * 100, 1):+,.1f} pp"


def signed(value: float | None, digits: int = 2) -> str:
    """A signed change: +0.25, -1.10; zero reads 0.00 (never -0.00)."""
    return NA if value is None else f"{_no_negative_zero(value, digits):+,.{digits}f}"


def _no_negative_zero(value: float, digits: int) -> float:
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded


def multiple(value: float | None) -> str:
    return NA if value is None else f"{value:,.2f}x"


def days(value: float | int | None) -> str:
    return NA if value is None else f"{value:,.0f} d"


def number(value: float | int | None, digits: int = 0) -> str:
    return NA if value is None else f"{value:,.{digits}f}"


def date(value: dt.date | None, language: str) -> str:
    """A date as the memo's language writes it (`kernel.catalogue.fmt_date`, as the assistant and the pages
    do): `07 Dec 2026` / `2026年12月7日`."""
    return NA if value is None else fmt_date(value, language)


def month(value: dt.date | str | None, language: str) -> str:
    """A month (a date in it, or `2026-10`): `Oct 2026` / `2026年10月`."""
    return NA if value is None else fmt_month(value, language)


# how each ratio of the engine's RatioRow reads
RATIO_FORMATS: dict[str, str] = {
    "debt_to_ebitda": "x",
    "liabilities_to_assets": "%",
    "debt_to_equity": "x",
    "current_ratio": "x",
    "quick_ratio": "x",
    "interest_coverage": "x",
    "dscr": "x",
    "ebitda_margin": "%",
    "net_margin": "%",
    "roa": "%",
    "ocf_to_debt": "%",
    "dso": "d",
    "dio": "d",
    "dpo": "d",
    "ccc": "d",
    "revenue_growth": "%",
    "ebitda_growth": "%",
}


def ratio(name: str, value: float | None) -> str:
    kind = RATIO_FORMATS.get(name, "x")
    if kind == "%":
        return pct(value)
    if kind == "d":
        return days(value)
    return multiple(value)
