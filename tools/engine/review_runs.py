"""Dated snapshots of review-run results, so later reviews and memos can say what changed.

Tables: `review_runs` (one per run), `review_run_results` (one per client and run) and
`client_reviews` (completed reviews recorded by the review workflow / memos, which drive the calendar).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine, Index, Select, Text, func
from sqlmodel import Field, Session, SQLModel, col, select

from crm_adapter.sql.bulk import bulk_writer
from crm_adapter.sql.changes import ChangeCounter, bump_in

SAVE_BATCH = 50_000  # result rows per bulk insert of a review run


class ReviewRunRow(SQLModel, table=True):
    __tablename__ = "review_runs"

    run_id: str = Field(primary_key=True, max_length=32)
    as_of: dt.date = Field(index=True)
    created_at: dt.datetime
    policy_version: str = Field(max_length=64)
    model_id: str = Field(max_length=64)
    scope: str = Field(default="book", max_length=64)
    clients: int = 0
    seconds: float = 0.0


class ReviewRunResultRow(SQLModel, table=True):
    __tablename__ = "review_run_results"
    # The previous-grade lookup (`previous_grades_query`) and every per-client history read (one client's runs
    # by date) are served by this one index, the grade in it: every stored run adds a row per client, and the
    # lookup reads no table row. No query filters on as_of alone, so there is no as_of index to keep up on
    # each 1M-row insert (migration 0021).
    __table_args__ = (Index("ix_review_run_results_client_id_as_of_grade", "client_id", "as_of", "grade"),)

    run_id: str = Field(foreign_key="review_runs.run_id", primary_key=True, max_length=32)
    client_id: int = Field(primary_key=True)
    as_of: dt.date
    grade: int
    score: float
    pd: float
    total_limit: float
    outstanding: float
    utilisation: float | None = None
    recommended: float | None = None
    action: str = Field(max_length=16)
    ews_level: str = Field(max_length=8)
    debt_to_ebitda: float | None = None
    current_ratio: float | None = None
    interest_coverage: float | None = None
    max_dpd_12m: float | None = None
    warnings: str = Field(
        default="[]",
        sa_type=Text,
        description="JSON list of {indicator, level, value, threshold, date} (codes and numbers; the text is "
        "built when shown)",
    )


class ClientReviewRow(SQLModel, table=True):
    __tablename__ = "client_reviews"

    review_id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(index=True)
    reviewed_on: dt.date
    officer_id: str = Field(max_length=64)
    source: str = Field(default="memo", max_length=32)
    ref: str | None = Field(default=None, max_length=64)


class PreviousResult(BaseModel):
    run_id: str
    as_of: dt.date
    client_id: int
    grade: int
    score: float
    pd: float
    total_limit: float
    outstanding: float
    utilisation: float | None
    recommended: float | None
    action: str
    ews_level: str
    debt_to_ebitda: float | None
    current_ratio: float | None
    interest_coverage: float | None
    max_dpd_12m: float | None
    warnings: list[dict[str, str | float | None]]


RANGE_MIN_IDS = (
    500  # more ids than this, densely packed (a review chunk): select their range, filter in pandas
)


def _dense(client_ids: list[int] | None) -> bool:
    return (
        client_ids is not None
        and len(client_ids) > RANGE_MIN_IDS
        and max(client_ids) - min(client_ids) < 2 * len(client_ids)
    )


def _of_clients(column, client_ids: list[int]):  # type: ignore[no-untyped-def]
    """`column IN ids`, or for a dense chunk of ids `column BETWEEN min AND max` (no 25k bound parameters)."""
    if _dense(client_ids):
        return col(column).between(min(client_ids), max(client_ids))
    return col(column).in_(client_ids)


def _only(df: pd.DataFrame, client_ids: list[int] | None) -> pd.DataFrame:
    if not _dense(client_ids):
        return df
    return df[df["client_id"].isin(pd.Index(client_ids))]


def _json_numbers(values: pd.Series) -> list[str]:
    """Each float as JSON: repr (round-trips the float exactly), null for NaN and infinities."""
    arr = values.astype("float64").to_numpy()
    # each distinct float formatted once (thresholds, day counts and ratios repeat); by bit pattern, so -0.0
    # keeps its sign
    bits, where = np.unique(arr.view(np.int64), return_inverse=True)
    distinct = bits.view(np.float64)
    text = np.array([repr(v) for v in distinct.tolist()] or [""], dtype=object)
    text[~np.isfinite(distinct)] = "null"
    return text[where].tolist()  # type: ignore[no-any-return]


def _json_days(dates: pd.Series) -> list[str]:
    days = np.datetime_as_string(pd.to_datetime(dates).to_numpy().astype("datetime64[D]"), unit="D")
    return ["null" if d == "NaT" else f'"{d}"' for d in days.tolist()]


def warnings_json(w: pd.DataFrame) -> pd.Series:
    """Per client id: the JSON list of its warnings, as codes and numbers (no message text).

    Column-wise: each column's JSON text in one pass (numbers by repr, dates by NumPy), then one f-string
    per warning in client order and a single join of the whole batch, split at the clients' ends (no
    json.dumps and no Python call per client). The adverse-signal row's summary (CRM text) is kept as its
    message.
    """
    if not len(w):
        return pd.Series(dtype=object)
    cid = w["client_id"].to_numpy()
    order = np.argsort(cid, kind="stable")  # a client's warnings stay in their order (worst first)
    w = w.iloc[order] if (order[1:] < order[:-1]).any() else w
    cid = cid[order]
    last = np.append(cid[1:] != cid[:-1], True)  # the last row of each client
    ends = ["]\x1e" if end else "," for end in last.tolist()]  # record separator: JSON escapes it in text
    tails = ["}"] * len(w)
    if "message" in w.columns:
        messages = w["message"]
        for i in np.flatnonzero(messages.notna().to_numpy()).tolist():
            if isinstance(m := messages.iat[i], str):
                tails[i] = f',"message":{json.dumps(m)}}}'
    joined = "".join(
        [
            f'{{"indicator":"{i}","level":"{lv}","value":{v},"threshold":{t},"date":{d}{tail}{end}'
            for i, lv, v, t, d, tail, end in zip(w["indicator"].tolist(), w["level"].tolist(),
                                                 _json_numbers(w["value"]), _json_numbers(w["threshold"]),
                                                 _json_days(w["date"]), tails, ends, strict=True)
        ]
    )  # fmt: skip
    first = np.flatnonzero(np.insert(last[:-1], 0, True))
    return pd.Series(["[" + x for x in joined.split("\x1e")[:-1]], index=cid[first], dtype=object)


def previous_grades_query(*, before: dt.date, client_ids: list[int] | None = None) -> Select:  # type: ignore[type-arg]
    """Per client (of `client_ids`, else all): client_id, grade and as_of of its rows in the latest run dated
    before `before`. Both halves (the latest date per client, then that date's grade) read only the index
    (client_id, as_of, grade), in client order: no table row and no sort (EXPLAIN QUERY PLAN in
    tests/tools/engine/test_review_runs_previous.py)."""
    r = ReviewRunResultRow
    latest = (
        select(r.client_id, func.max(r.as_of).label("as_of"))
        .where(col(r.as_of) < before)
        .group_by(r.client_id)
    )
    if client_ids is not None:
        latest = latest.where(_of_clients(r.client_id, client_ids))
    sub = latest.subquery()
    return select(r.client_id, r.grade, r.as_of).join(
        sub, (r.client_id == sub.c.client_id) & (r.as_of == sub.c.as_of)
    )


class ReviewRunStore:
    def __init__(self, engine: Engine, *, changes: ChangeCounter | None = None) -> None:
        self.engine = engine
        # every write bumps the database's change counter in its transaction and touches this process's copy
        # (share the adapter's: the credit engine keys its caches on it)
        self.changes = changes or ChangeCounter(engine)

    def save(self, pa, *, scope: str = "book", seconds: float = 0.0) -> str:  # type: ignore[no-untyped-def]
        """Store every client's headline results of a PortfolioAssessment; returns the run id."""
        run_id = uuid.uuid4().hex[:16]
        t = pa.table()
        w = pa.warnings
        if len(w) and not w["client_id"].is_monotonic_increasing:
            w = w.iloc[np.argsort(w["client_id"].to_numpy(), kind="stable")]
        w_ids = w["client_id"].to_numpy()
        frame = pd.DataFrame(
            {
                "run_id": run_id,
                "client_id": t.index.to_numpy(),
                "as_of": pd.Timestamp(pa.as_of),
                "grade": t["grade"].to_numpy(),
                "score": t["score"].to_numpy(dtype="float64"),
                "pd": t["pd"].to_numpy(dtype="float64"),
                "total_limit": t["total_limit"].to_numpy(dtype="float64"),
                "outstanding": t["outstanding"].to_numpy(dtype="float64"),
                "utilisation": t["utilisation"].to_numpy(dtype="float64"),
                "recommended": t["recommended"].to_numpy(dtype="float64"),
                "action": t["action"].to_numpy(),
                "ews_level": t["ews_level"].to_numpy(),
                "debt_to_ebitda": t["debt_to_ebitda"].to_numpy(dtype="float64"),
                "current_ratio": t["current_ratio"].to_numpy(dtype="float64"),
                "interest_coverage": t["interest_coverage"].to_numpy(dtype="float64"),
                "max_dpd_12m": t["max_dpd_12m"].to_numpy(dtype="float64"),
            }
        )
        with self.engine.begin() as conn:
            conn.execute(
                ReviewRunRow.__table__.insert(),  # type: ignore[attr-defined]
                {
                    "run_id": run_id,
                    "as_of": pa.as_of,
                    "created_at": dt.datetime.now(dt.UTC),
                    "policy_version": pa.policy_version,
                    "model_id": pa.model_id,
                    "scope": scope,
                    "clients": len(frame),
                    "seconds": seconds,
                },  # fmt: skip
            )
            # PostgreSQL: one COPY, sent by a background thread while the next batch's text is built
            table = ReviewRunResultRow.__table__  # type: ignore[attr-defined]
            with bulk_writer(conn, table, [*frame.columns, "warnings"]) as write:
                for start in range(0, len(frame), SAVE_BATCH):  # bounded Python-object copies of the rows
                    batch = frame.iloc[start : start + SAVE_BATCH]
                    ids = batch["client_id"].to_numpy()
                    lo = int(np.searchsorted(w_ids, ids.min(), side="left")) if len(ids) else 0
                    hi = int(np.searchsorted(w_ids, ids.max(), side="right")) if len(ids) else 0
                    wj = warnings_json(w.iloc[lo:hi])  # this batch's warnings only: bounded text too
                    write(batch.assign(warnings=wj.reindex(ids).fillna("[]").to_numpy()))
            bump_in(conn)
        self.changes.touch()
        return run_id

    def previous_result(self, client_id: int, *, before: dt.date) -> PreviousResult | None:
        """The client's result in the latest run dated strictly before `before`."""
        with Session(self.engine) as s:
            row = s.exec(
                select(ReviewRunResultRow)
                .where(ReviewRunResultRow.client_id == client_id, col(ReviewRunResultRow.as_of) < before)
                .order_by(col(ReviewRunResultRow.as_of).desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        data = row.model_dump()
        data["warnings"] = json.loads(data["warnings"] or "[]")
        return PreviousResult.model_validate(data)

    def previous_grades(self, *, before: dt.date, client_ids: list[int] | None = None) -> pd.DataFrame:
        """Per client: grade and as-of of the latest run before `before` (index client_id)."""
        with self.engine.connect() as conn:
            df = pd.read_sql(previous_grades_query(before=before, client_ids=client_ids), conn)
        df = _only(df, client_ids).drop_duplicates("client_id").set_index("client_id")
        return pd.DataFrame(
            {"grade": df["grade"].astype("float64"), "run_date": pd.to_datetime(df["as_of"])}, index=df.index
        )

    def record_review(self, client_id: int, reviewed_on: dt.date, officer_id: str, *, source: str = "memo",
                      ref: str | None = None) -> None:  # fmt: skip
        """Record a completed credit review (restarts the client's review cycle)."""
        with Session(self.engine) as s:
            s.add(
                ClientReviewRow(
                    client_id=client_id,
                    reviewed_on=reviewed_on,
                    officer_id=officer_id,
                    source=source,
                    ref=ref,
                )
            )
            bump_in(s.connection(), clients=[client_id])
            s.commit()
        self.changes.touch()

    def last_reviews(self, *, on_or_before: dt.date, client_ids: list[int] | None = None) -> pd.Series:
        stmt = select(ClientReviewRow.client_id, func.max(ClientReviewRow.reviewed_on).label("d")).where(
            col(ClientReviewRow.reviewed_on) <= on_or_before
        )
        if client_ids is not None:
            stmt = stmt.where(_of_clients(ClientReviewRow.client_id, client_ids))
        stmt = stmt.group_by(ClientReviewRow.client_id)
        with self.engine.connect() as conn:
            df = _only(pd.read_sql(stmt, conn), client_ids)
        return pd.Series(
            pd.to_datetime(df["d"]).to_numpy(), index=df["client_id"].to_numpy(), dtype="datetime64[ns]"
        )


__all__ = [
    "ClientReviewRow",
    "PreviousResult",
    "ReviewRunResultRow",
    "ReviewRunRow",
    "ReviewRunStore",
    "np",
    "previous_grades_query",
]
