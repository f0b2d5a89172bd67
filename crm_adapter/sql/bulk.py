"""Fast bulk writes for the demo generator and CSV import: COPY on PostgreSQL, executemany on SQLite.

Frames arrive with columns named like the table's; dates may be ISO strings or datetime64.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table


def _column_values(series: pd.Series) -> list[object]:
    """A column as Python values with missing values as None (column-wise, not per cell)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(series.notna(), None).tolist()
    if series.dtype.kind in "iub":
        return series.tolist()
    if series.dtype.kind == "f":
        values = series.to_numpy()
        out = values.astype(object)
        out[np.isnan(values)] = None
        return out.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of `frame` inside the caller's transaction; returns the row count."""
    if frame.empty:
        return 0
    columns = list(frame.columns)
    if conn.dialect.name == "postgresql":
        return _copy_postgres(conn, table, frame, columns)
    placeholders = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({placeholders})'
    rows = list(zip(*(_column_values(frame[c]) for c in columns), strict=True))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
    return len(rows)


def _copy_postgres(conn: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> int:
    out = frame.copy()
    for name in columns:
        if out[name].dtype.kind == "b":
            out[name] = out[name].map({True: "t", False: "f"})
    buf = io.StringIO()
    out.to_csv(buf, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d")
    buf.seek(0)
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table.name}" ({cols}) FROM STDIN WITH (FORMAT csv, NULL ' + "'\\N')"
    dbapi = conn.connection.driver_connection
    with (
        dbapi.cursor() as cur,  # type: ignore[union-attr]
        cur.copy(sql) as copy,
    ):
        while chunk := buf.read(1 << 20):
            copy.write(chunk)
    return len(frame)
