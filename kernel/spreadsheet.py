"""Spreadsheet formula injection (OWASP "CSV injection"): the one function every CSV/XLSX writer uses.

A text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return is run as a formula by Excel,
LibreOffice and Google Sheets. `neutralise` prefixes such a cell with a single quote (the spreadsheet
convention for "this is text"); a cell already beginning with a quote gets one more, so that
`restore(neutralise(s)) == s` for every string and our importer reads its own exports back unchanged.
Numbers are never touched (a numeric -5 is not a formula); only text cells are.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: object) -> object:
    """The cell as it is safe to write: text beginning with a trigger (or a quote) gets a leading quote."""
    if isinstance(value, str) and value.startswith((*TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """The inverse of `neutralise`, for reading our own exports back."""
    if len(value) > 1 and value[0] == QUOTE and value[1] in (*TRIGGERS, QUOTE):
        return value[1:]
    return value


def neutralise_row(row: list[object]) -> list[object]:
    return [neutralise(v) for v in row]


def neutralise_frame(frame):  # type: ignore[no-untyped-def]
    """A copy of a pandas DataFrame with every text cell neutralised (numeric columns untouched)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(neutralise)
    if out.index.dtype == object:
        out.index = out.index.map(neutralise)
    return out
