"""The previous grade of a review run: per client, its grade in the latest stored run dated strictly before
the review's date (tools/engine/review_runs.py), on every backend, and the query served by the covering
index (client_id, as_of, grade) alone (migration 0021)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from tools.engine.review_runs import (
    ReviewRunResultRow,
    ReviewRunRow,
    ReviewRunStore,
    previous_grades_query,
)

INDEX = "ix_review_run_results_client_id_as_of_grade"
SEP, OCT, NOV = dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 30)


def _store_run(engine, run_id: str, as_of: dt.date, grades: dict[int, int]) -> None:  # type: ignore[no-untyped-def]
    """One stored run with these clients' grades (the other columns are not read by the lookup)."""
    with engine.begin() as conn:
        conn.execute(ReviewRunRow.__table__.insert(), {  # type: ignore[attr-defined]
            "run_id": run_id, "as_of": as_of, "created_at": dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
            "policy_version": "p", "model_id": "expert", "scope": "book", "clients": len(grades)})  # fmt: skip
        rows = [
            {"run_id": run_id, "client_id": cid, "as_of": as_of, "grade": g, "score": 0.5, "pd": 0.01,
             "total_limit": 100.0, "outstanding": 50.0, "action": "maintain", "ews_level": "green", "warnings": "[]"}
            for cid, g in grades.items()
        ]  # fmt: skip
        conn.execute(ReviewRunResultRow.__table__.insert(), rows)  # type: ignore[attr-defined]


@pytest.fixture
def three_runs(book_container):  # type: ignore[no-untyped-def]
    """Runs at the end of September, October and November; client 2 is not in November's, 3 not in October's."""
    engine = book_container.engine
    _store_run(engine, "sep", SEP, {1: 3, 2: 5, 3: 4})
    _store_run(engine, "oct", OCT, {1: 4, 2: 6})
    _store_run(engine, "nov", NOV, {1: 7, 3: 2})
    return ReviewRunStore(engine)


def _grades(df: pd.DataFrame) -> dict[int, tuple[float, dt.date]]:
    return {int(c): (float(r.grade), r.run_date.date()) for c, r in df.sort_index().iterrows()}


def test_previous_grade_is_the_latest_run_strictly_before(three_runs: ReviewRunStore) -> None:
    # on November 30th November's own run is not "previous": October's for 1 and 2, September's for 3
    assert _grades(three_runs.previous_grades(before=NOV)) == {1: (4.0, OCT), 2: (6.0, OCT), 3: (4.0, SEP)}
    assert _grades(three_runs.previous_grades(before=OCT)) == {1: (3.0, SEP), 2: (5.0, SEP), 3: (4.0, SEP)}
    # after November: November's for 1 and 3, 2's last is October's
    after = three_runs.previous_grades(before=dt.date(2026, 12, 1))
    assert _grades(after) == {1: (7.0, NOV), 2: (6.0, OCT), 3: (2.0, NOV)}
    assert len(three_runs.previous_grades(before=SEP)) == 0  # nothing before the first run
    df = three_runs.previous_grades(before=NOV)
    assert df["grade"].dtype == "float64" and str(df["run_date"].dtype).startswith("datetime64")


def test_previous_grade_of_some_clients(three_runs: ReviewRunStore) -> None:
    got = three_runs.previous_grades(before=NOV, client_ids=[3, 2, 9])
    assert _grades(got) == {2: (6.0, OCT), 3: (4.0, SEP)}  # 9 has no run
    assert len(three_runs.previous_grades(before=NOV, client_ids=[])) == 0


def test_previous_result_of_one_client(three_runs: ReviewRunStore) -> None:
    r = three_runs.previous_result(3, before=NOV)
    assert r is not None and (r.run_id, r.as_of, r.grade) == ("sep", SEP, 4)
    assert three_runs.previous_result(2, before=SEP) is None


def test_previous_grade_of_a_dense_chunk(book_container) -> None:  # type: ignore[no-untyped-def]
    """More than RANGE_MIN_IDS densely packed ids (a review chunk) are read by id range and filtered."""
    engine = book_container.engine
    _store_run(engine, "aug", dt.date(2026, 8, 31), {c: 1 + c % 10 for c in range(1, 1001)})
    _store_run(engine, "sep", SEP, {c: 10 - c % 10 for c in range(2, 1001, 2)})  # even ids only
    store = ReviewRunStore(engine)
    ids = [c for c in range(200, 901) if c % 7]  # in the range, but not the multiples of 7
    got = store.previous_grades(before=OCT, client_ids=ids)
    assert sorted(got.index) == ids
    for c in (200, 201, 202, 899, 900):  # even: September's 10 − c mod 10; odd: August's 1 + c mod 10
        want = (10 - c % 10, SEP) if c % 2 == 0 else (1 + c % 10, dt.date(2026, 8, 31))
        assert (got.at[c, "grade"], got.at[c, "run_date"].date()) == (float(want[0]), want[1])
    assert got.loc[[c for c in ids if c % 2], "grade"].tolist() == [1.0 + c % 10 for c in ids if c % 2]
    assert got.loc[[c for c in ids if c % 2 == 0], "grade"].tolist() == [
        10.0 - c % 10 for c in ids if c % 2 == 0
    ]


def _plan(engine, stmt) -> str:  # type: ignore[no-untyped-def]
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            return "\n".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        conn.execute(text("ANALYZE review_run_results"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # a few rows: the planner would scan them
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        return "\n".join(str(row[0]) for row in conn.execute(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize("client_ids", [None, [1, 2], list(range(1, 1001))], ids=["book", "in", "range"])
def test_previous_grades_read_only_the_covering_index(three_runs: ReviewRunStore, client_ids) -> None:  # type: ignore[no-untyped-def]
    engine = three_runs.engine
    plan = _plan(engine, previous_grades_query(before=NOV, client_ids=client_ids))
    if engine.dialect.name == "sqlite":
        scans = [line for line in plan.splitlines() if "review_run_results" in line]
        assert len(scans) == 2 and all(f"COVERING INDEX {INDEX}" in line for line in scans), plan
        assert "TEMP B-TREE" not in plan, plan  # the group-by reads the index in client order
    else:
        assert plan.count(f"Index Only Scan using {INDEX}") == 2, plan
