"""Fast bulk writes for the demo generator and CSV import: COPY on PostgreSQL, executemany on SQLite.

Frames arrive with columns named like the table's; dates may be ISO strings or datetime64.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table

try:  # optional: without pyarrow, pandas writes the COPY text
    import pyarrow as pa
    import pyarrow.csv as pa_csv
except ImportError:  # pragma: no cover - pyarrow is in the lock
    pa = pa_csv = None


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


@contextmanager
def bulk_writer(
    conn: Connection, table: Table, columns: list[str]
) -> Iterator[Callable[[pd.DataFrame], int]]:
    """`write(frame)` for frames of these columns, one after another, inside the caller's transaction.

    On PostgreSQL the frames pyarrow writes go into one COPY, its data sent by psycopg's background writer
    thread (`QueuedLibpqWriter`): while the caller builds the next frame, the server parses and indexes the
    previous one (one `bulk_insert` per frame waits for the server at the end of each). A frame pyarrow does
    not write ends that COPY and goes through `bulk_insert`. Elsewhere `bulk_insert` per frame."""
    if conn.dialect.name != "postgresql":
        yield lambda frame: bulk_insert(conn, table, frame[columns])
        return
    from psycopg.copy import QueuedLibpqWriter

    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table.name}" ({cols}) FROM STDIN WITH (FORMAT csv)'
    dbapi = conn.connection.driver_connection
    with dbapi.cursor() as cur:  # type: ignore[union-attr]
        open_copy: list[object] = []  # the COPY in progress and its context manager, while frames stream

        def finish() -> None:
            if open_copy:
                manager = open_copy.pop()
                open_copy.clear()
                manager.__exit__(None, None, None)  # type: ignore[attr-defined]

        def write(frame: pd.DataFrame) -> int:
            if frame.empty:
                return 0
            pieces = _arrow_csv(frame, columns)
            if pieces is None:
                finish()
                return bulk_insert(conn, table, frame[columns])
            if not open_copy:
                manager = cur.copy(sql, writer=QueuedLibpqWriter(cur))
                open_copy.extend([manager.__enter__(), manager])
            copy = open_copy[0]
            for piece in pieces:
                copy.write(piece)  # type: ignore[attr-defined]
            return len(frame)

        try:
            yield write
        except BaseException as exc:
            if open_copy:
                manager = open_copy.pop()
                open_copy.clear()
                manager.__exit__(type(exc), exc, exc.__traceback__)  # type: ignore[attr-defined]
            raise
        finish()


def _copy_postgres(conn: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> int:
    cols = ", ".join(f'"{c}"' for c in columns)
    dbapi = conn.connection.driver_connection
    arrow = _arrow_csv(frame, columns)
    if arrow is not None:  # CSV written by Arrow (C++): NULL is an unquoted empty field, text always quoted
        sql = f'COPY "{table.name}" ({cols}) FROM STDIN WITH (FORMAT csv)'
        with dbapi.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
            for chunk in arrow:
                copy.write(chunk)
        return len(frame)
    out = frame.copy()
    for name in columns:
        if out[name].dtype.kind == "b":
            out[name] = out[name].map({True: "t", False: "f"})
    buf = io.StringIO()
    out.to_csv(buf, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d")
    buf.seek(0)
    sql = f'COPY "{table.name}" ({cols}) FROM STDIN WITH (FORMAT csv, NULL ' + "'\\N')"
    with (
        dbapi.cursor() as cur,  # type: ignore[union-attr]
        cur.copy(sql) as copy,
    ):
        while chunk := buf.read(1 << 20):
            copy.write(chunk)
    return len(frame)


def _arrow_csv(frame: pd.DataFrame, columns: list[str]) -> list[memoryview] | None:
    """The frame as COPY CSV text written by pyarrow, in pieces of about a MiB; None when a column is not of a
    kind it writes as the pandas path does (numbers, booleans, naive dates, text; else pandas writes it).

    Same values as the pandas path: floats in their shortest round-trip form (PostgreSQL reads back the same
    double), NaN as NULL, datetimes as their date (`%Y-%m-%d`), booleans as true/false."""
    if pa is None:
        return None
    arrays = []
    for name in columns:
        s = frame[name]
        kind = s.dtype.kind
        if kind in "iufb":
            arrays.append(
                pa.Array.from_pandas(s.to_numpy(), mask=s.isna().to_numpy() if kind == "f" else None)
            )
        elif kind == "M" and getattr(s.dtype, "tz", None) is None:
            days = s.to_numpy().astype("datetime64[D]")
            arrays.append(pa.array(days, pa.date32(), mask=np.isnat(days)))
        elif kind == "O":
            try:
                arrays.append(pa.array(s.to_numpy(), pa.string(), from_pandas=True))
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # not text only (numbers, Decimal): pandas writes it
                return None
        else:
            return None
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(pa.table(arrays, names=columns), sink, pa_csv.WriteOptions(include_header=False))
    data = memoryview(sink.getvalue())
    return [data[i : i + (1 << 20)] for i in range(0, len(data), 1 << 20)]
