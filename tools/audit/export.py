"""CSV export of the trail for internal audit: one row per event, every stored field, oldest first."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, select

from kernel.errors import InvalidInput
from kernel.spreadsheet import neutralise_row
from tools.audit.models import AuditEventRow

EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
COLUMNS = [c.name for c in EVENTS.columns]


def export_csv(engine: Engine, path: Path, start: dt.date, end: dt.date) -> int:
    """Write events dated start … end (inclusive, UTC days) to `path`; returns how many."""
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}", field="to")
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    stmt = select(EVENTS).where(EVENTS.c.at >= lo, EVENTS.c.at < hi).order_by(EVENTS.c.seq)
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn, path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in conn.execution_options(yield_per=5000).execute(stmt).mappings():
            writer.writerow(
                neutralise_row(
                    [
                        row[c].astimezone(dt.UTC).isoformat()
                        if c == "at"
                        else ("" if row[c] is None else row[c])
                        for c in COLUMNS
                    ]
                )
            )
            count += 1
    return count
