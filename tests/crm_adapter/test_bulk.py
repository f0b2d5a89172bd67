"""Bulk writes (crm_adapter/sql/bulk.py): on PostgreSQL the COPY text written by pyarrow stores exactly what the
pandas path stores, for the values that are easy to get wrong (NaN, ±inf, -0.0, the smallest subnormal, 1/3,
empty text, quotes, commas, newlines, NULL text, a datetime with a time of day, booleans)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Boolean, Column, Date, Float, Integer, MetaData, String, Table, create_engine, select

import crm_adapter.sql.bulk as bulk

pytestmark = pytest.mark.postgres

FRAME = pd.DataFrame(
    {
        "id": np.array([1, 2, 3, 4], dtype=np.int64),
        "x": [0.1, np.nan, np.inf, -0.0],
        "y": [1e20, 1 / 3, 5e-324, -np.inf],
        "day": pd.to_datetime(["2026-11-28 13:45", None, "1999-12-31 23:59", "2026-01-01 00:00"]),
        "flag": [True, False, True, False],
        "note": ["", 'say "hi", then\nleave', "plain", None],
    }
)


def _table(name: str) -> Table:
    return Table(name, MetaData(), Column("id", Integer, primary_key=True), Column("x", Float),
                 Column("y", Float), Column("day", Date), Column("flag", Boolean), Column("note", String))  # fmt: skip


def _stored(engine, name: str) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(_table(name)).order_by("id")).all()]


def test_arrow_copy_text_stores_what_the_pandas_path_stores(pg_schema_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(pg_schema_url)
    tables = {"via_arrow": _table("via_arrow"), "via_pandas": _table("via_pandas")}
    for t in tables.values():
        t.metadata.create_all(engine)
    sent: list[str] = []
    arrow_csv = bulk._arrow_csv
    with engine.begin() as conn:
        monkeypatch.setattr(bulk, "_arrow_csv", lambda *a: sent.append("arrow") or arrow_csv(*a))
        assert bulk.bulk_insert(conn, tables["via_arrow"], FRAME) == 4
        monkeypatch.setattr(bulk, "_arrow_csv", lambda *a: None)  # the pandas text
        assert bulk.bulk_insert(conn, tables["via_pandas"], FRAME) == 4
    assert sent == ["arrow"]
    a, p = _stored(engine, "via_arrow"), _stored(engine, "via_pandas")
    assert len(a) == 4
    for ra, rp in zip(a, p, strict=True):
        for va, vp in zip(ra, rp, strict=True):
            if isinstance(va, float) and isinstance(vp, float):
                assert va == vp or (math.isnan(va) and math.isnan(vp))
                assert math.copysign(1, va) == math.copysign(1, vp)  # -0.0 keeps its sign
            else:
                assert va == vp
    # worked by hand: NaN is NULL, the datetime's date, the text as written
    assert a[1][1] is None and a[3][5] is None and a[0][5] == ""
    assert str(a[0][3]) == "2026-11-28" and str(a[2][3]) == "1999-12-31" and a[1][3] is None
    assert a[2][1] == math.inf and a[3][2] == -math.inf and a[2][2] == 5e-324 and a[1][2] == 1 / 3
    assert a[1][5] == 'say "hi", then\nleave'
    engine.dispose()


def test_columns_arrow_does_not_write_as_pandas_does_go_the_pandas_way() -> None:
    from decimal import Decimal

    assert bulk._arrow_csv(pd.DataFrame({"v": [Decimal("1.10")]}), ["v"]) is None
    assert (
        bulk._arrow_csv(pd.DataFrame({"d": pd.to_datetime(["2026-01-01"]).tz_localize("UTC")}), ["d"]) is None
    )
    assert bulk._arrow_csv(pd.DataFrame({"v": ["a"]}), ["v"]) is not None


def test_bulk_writer_streams_frames_into_one_copy(pg_schema_url) -> None:  # type: ignore[no-untyped-def]
    """Three frames: two through one streamed COPY, one (Decimal text: not pyarrow's) the pandas way between
    them; the rows are the frames' rows. An error inside the writer rolls the transaction back: nothing stored."""
    from decimal import Decimal

    engine = create_engine(pg_schema_url)
    t = _table("streamed")
    t.metadata.create_all(engine)
    cols = list(FRAME.columns)
    second = FRAME.assign(id=FRAME["id"] + 10, note=[Decimal("1.5"), None, "x", ""])  # object, not all text
    third = FRAME.assign(id=FRAME["id"] + 20)
    with engine.begin() as conn, bulk.bulk_writer(conn, t, cols) as write:
        assert [write(FRAME), write(second), write(third), write(FRAME.iloc[:0])] == [4, 4, 4, 0]
    rows = _stored(engine, "streamed")
    assert [r[0] for r in rows] == [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]
    assert rows[4][5] == "1.5" and rows[8][1:] == rows[0][1:]
    with (
        pytest.raises(RuntimeError, match="mid-way"),
        engine.begin() as conn,
        bulk.bulk_writer(conn, t, cols) as write,
    ):
        write(FRAME.assign(id=FRAME["id"] + 30))
        raise RuntimeError("mid-way")
    assert len(_stored(engine, "streamed")) == 12
    engine.dispose()
