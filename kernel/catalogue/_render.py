"""One renderer for the engine's coded messages: a catalogue key and its parameters become a sentence in
the reader's language, with dates, months, values and engine codes (dimension, bucket, factor, level …)
written the way that language writes them.

Parameters are JSON values (results travel as JSON): a date is an ISO string (`2026-03-01`), a month is
`2026-03`; a value with a unit is `{"v": 1.25, "unit": "x"}`; a parameter named like a vocabulary kind
(`dimension`, `bucket`, `factor`, `metric`, `level`, `kind`, `severity`, `category`, `constraint`,
`direction`) is an engine code and is shown by its name in the `vocab` area (an unknown code is shown
with spaces for underscores, never raw).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# parameter name -> vocabulary kind of its code
VOCAB_PARAMS: dict[str, str] = {
    "dimension": "dimension",
    "bucket": "bucket",
    "factor": "factor",
    "metric": "factor",
    "level": "level",
    "kind": "contact_kind",
    "severity": "severity",
    "category": "category",
    "constraint": "constraint",
    "direction": "trend",
    "product": "product",
    "request_kind": "request_kind",
    "request_status": "request_status",
    "facility_status": "facility_status",
    "expected_status": "facility_status",
}
# list parameters joined by semicolons (whole clauses) rather than commas
SEMICOLON_LISTS = frozenset({"reasons", "breaches"})


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return dt.date.fromisoformat(value)
    return None


def fmt_date(value: dt.date | str | None, lang: str) -> str:
    """`11 Oct 2026` / `2026年10月11日`."""
    d = as_date(value)
    if d is None:
        return str(value) if value is not None else ""
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"


def fmt_month(value: dt.date | str, lang: str) -> str:
    """`Oct 2026` / `2026年10月`."""
    d = as_date(value) or (dt.date.fromisoformat(f"{value}-01") if isinstance(value, str) else None)
    if d is None:
        return str(value)
    return f"{d.year}年{d.month}月" if lang == "zh" else f"{_MONTHS[d.month - 1]} {d.year}"


def fmt_value(value: float | None, unit: str, lang: str, no_data: str) -> str:
    """A factor's value: 12.3% / 2.35x (倍) / 45 d (天) / a count; `no_data` when missing."""
    if value is None:
        return no_data
    if unit == "%":
        return f"{value:.1%}"
    if unit == "x":
        return f"{value:.2f} 倍" if lang == "zh" else f"{value:.2f}x"
    if unit == "count":
        return f"{value:,.0f}"
    if unit in ("days", "d"):
        return f"{value:,.0f} 天" if lang == "zh" else f"{value:,.0f} days"
    if unit == "points":
        return f"{value:,.0f} 分" if lang == "zh" else f"{value:,.0f} points"
    if unit == "months":
        return f"{value:,.0f} 个月" if lang == "zh" else f"{value:,.0f} months"
    return f"{value:,.0f} {unit}"


def localise(name: str, value: Any, lang: str, *, has: Any, template: Any) -> Any:
    """One parameter as the reader's language shows it (numbers stay numbers for the format specs)."""
    if isinstance(value, Mapping) and "unit" in value:
        no_data = template("common.no_data", lang)
        return fmt_value(value.get("v"), str(value["unit"]), lang, no_data)
    if isinstance(value, list):  # nested messages or codes, joined the way the language lists them
        sep = (
            ("；" if lang == "zh" else "; ") if name in SEMICOLON_LISTS else ("，" if lang == "zh" else ", ")
        )
        return sep.join(str(localise(name, v, lang, has=has, template=template)) for v in value)
    if isinstance(value, Mapping) and "key" in value:  # a nested message
        return render(str(value["key"]), lang, value.get("params") or {}, has=has, template=template)
    if as_date(value) is not None:
        return fmt_date(value, lang)
    if isinstance(value, str) and _ISO_MONTH.match(value) and name.endswith("month"):
        return fmt_month(value, lang)
    kind = VOCAB_PARAMS.get(name)
    if kind is not None and isinstance(value, str):
        key = f"{kind}.{value}"
        return template(key, lang) if has(key) else value.replace("_", " ")
    return value


def render(key: str, lang: str, params: Mapping[str, Any], *, has: Any, template: Any) -> str:
    values = {k: localise(k, v, lang, has=has, template=template) for k, v in params.items()}
    return template(key, lang).format(**values)
