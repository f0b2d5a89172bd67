"""The book's bulk read path: queries answered as Arrow tables by the database's ADBC driver.

A snapshot read of 100k clients is millions of values; through the DB-API cursor each becomes a Python
object, then pandas infers every column again (`DataFrame.from_records`). PostgreSQL's ADBC driver (COPY,
binary) hands back typed columns instead. `ArrowReader.for_engine` gives
a reader for PostgreSQL, else None: the cursor path (SQLite, or no driver installed). A SQLite file is read
in columns only by a separate process (`reader_process.py`, the review run's bulk read); `arrow_frame` turns
either's Arrow tables into the cursor path's frames.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pandas as pd
from sqlalchemy import Engine

try:  # optional: without the drivers the store reads through the DB-API cursor
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - pyarrow is in the lock
    pa = pc = None


class ArrowReader:
    def __init__(self, kind: str, target: str) -> None:
        self.kind, self.target = kind, target

    @classmethod
    def for_engine(cls, engine: Engine) -> ArrowReader | None:
        url = engine.url
        backend = url.get_backend_name()
        if pa is None:
            return None
        # Not SQLite: the ADBC driver bundles its own copy of the SQLite library, and two copies in one process
        # do not see each other's locks (POSIX locks are per process; SQLite tracks them per library). Measured:
        # after a write through sqlite3 the driver read the old rows (WAL), and SQLite warns such a mix can
        # corrupt the database. SQLite keeps the cursor path in process (a review run reads through a reader
        # process: reader_process.py).
        if backend == "postgresql":
            if importlib.util.find_spec("adbc_driver_postgresql") is None:
                return None
            return cls("postgresql", url.set(drivername="postgresql").render_as_string(hide_password=False))
        return None

    def connect(self) -> Any:
        import adbc_driver_postgresql.dbapi as dbapi

        return dbapi.connect(self.target)

    @staticmethod
    def table(conn: Any, sql: str) -> Any:
        """The query's rows as a pyarrow Table."""
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetch_arrow_table()


def arrow_frame(table: Any, date_cols: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """An Arrow table as the cursor path's DataFrame; `date_cols` (ISO text) parsed to datetime64[s] in Arrow.

    None when there are no rows: the caller builds the empty frame as the cursor path does."""
    if table.num_rows == 0:
        return None
    # NULL in every row: the cursor path's object column of None (SQLite types nothing)
    unknown: list[str] = []
    for i, f in enumerate(table.schema):  # the cursor path's dtypes: 64-bit numbers (PostgreSQL has int4)
        if f.name not in date_cols and table.column(i).null_count == table.num_rows:
            unknown.append(f.name)
        elif pa.types.is_integer(f.type) and f.type != pa.int64():
            table = table.set_column(i, f.name, pc.cast(table.column(i), pa.int64()))
        elif pa.types.is_floating(f.type) and f.type != pa.float64():
            table = table.set_column(i, f.name, pc.cast(table.column(i), pa.float64()))
    for name in date_cols:
        i = table.schema.get_field_index(name)
        column = table.column(i)
        if column.type == pa.timestamp("s"):  # parsed already (the SQLite reader process does)
            continue
        try:
            if not pa.types.is_date(column.type):
                column = pc.cast(pc.cast(column, pa.string()), pa.date32())
            table = table.set_column(i, name, pc.cast(column, pa.timestamp("s")))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # not plain ISO dates: pandas parses them
            pass
    df = table.to_pandas()
    for name in unknown:
        df[name] = pd.Series([None] * len(df), dtype=object)
    for name in date_cols:
        if df[name].dtype != "datetime64[s]":
            df[name] = pd.to_datetime(df[name], format="ISO8601").astype("datetime64[s]")
    return df
