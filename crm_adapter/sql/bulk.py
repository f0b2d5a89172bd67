"""Fast bulk writes for the demo generator and CSV import: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table


def _py(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of `frame` (columns named like the table's) inside the caller's transaction."""
    if frame.empty:
        return 0
    columns: Sequence[str] = list(frame.columns)
    if conn.dialect.name == "postgresql":
        return _copy_postgres(conn, table, frame, columns)
    placeholders = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({placeholders})'
    rows = [tuple(_py(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    dbapi = conn.connection.driver_connection
    cur = dbapi.cursor()  # type: ignore[union-attr]
    try:
        cur.executemany(sql, rows)
    finally:
        cur.close()
    return len(rows)


def _copy_postgres(conn: Connection, table: Table, frame: pd.DataFrame, columns: Sequence[str]) -> int:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=False, na_rep="\\N", sep="\t", date_format="%Y-%m-%d")
    buf.seek(0)
    dbapi = conn.connection.driver_connection
    cols = ", ".join(f'"{c}"' for c in columns)
    with (
        dbapi.cursor() as cur,
        cur.copy(  # type: ignore[union-attr]
            f'COPY "{table.name}" ({cols}) FROM STDIN WITH (FORMAT text)'
        ) as copy,
    ):
        while chunk := buf.read(1 << 20):
            copy.write(chunk)
    return len(frame)
