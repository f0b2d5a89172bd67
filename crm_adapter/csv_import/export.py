"""Write the book out in the import format (one CSV per entity): backups, examples, round trips.

Text cells that a spreadsheet would run as a formula are neutralised (`kernel.spreadsheet`); the importer
restores them, so an export imports back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from crm_adapter.csv_import.spec import SPECS
from kernel.spreadsheet import neutralise_frame


def export_folder(engine: Engine, folder: Path, *, client_ids: list[int] | None = None) -> dict[str, int]:
    """Export every entity (optionally only some clients and what they reference); returns rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    officer_ids: set[str] | None = None
    group_ids: set[str] | None = None
    with engine.connect() as conn:
        for spec in SPECS:
            table = spec.table.__table__  # type: ignore[attr-defined]
            stmt = select(table)
            if client_ids is not None and "client_id" in table.c:
                stmt = stmt.where(table.c.client_id.in_(client_ids))
            frame = pd.read_sql(stmt, conn)
            if spec.file == "clients.csv" and client_ids is not None:
                officer_ids = set(frame["officer_id"])
                group_ids = set(frame["group_id"].dropna())
            frame = frame[[c for c in spec.record.model_fields if c in frame.columns]]
            counts[spec.file] = len(frame)
            neutralise_frame(frame).to_csv(
                folder / spec.file, index=False, date_format="%Y-%m-%d", lineterminator="\r\n"
            )
    if client_ids is not None:  # keep only the officers and groups the exported clients need
        for name, keep, col in (
            ("officers.csv", officer_ids, "officer_id"),
            ("groups.csv", group_ids, "group_id"),
        ):
            frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
            frame = frame[frame[col].isin(keep or set()) | (name == "officers.csv") & frame["role"].ne("rm")]
            frame.to_csv(folder / name, index=False, lineterminator="\r\n")  # as read: already neutralised
            counts[name] = len(frame)
    return counts
