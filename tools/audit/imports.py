"""CSV imports on the record: the import and its audit events commit together, or neither does.

One `book.imported` event (files, counts, OS user) and one event per change of an officer's authority or a
facility's limit / status / currency (`crm_adapter.csv_import.AUDITED_FIELDS`), with before and after.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from sqlalchemy import Connection, Engine

from crm_adapter.csv_import import ImportResult, import_folder
from tools.actor import Actor
from tools.audit.trail import AuditTrail


def audited_import(engine: Engine, audit: AuditTrail, folder: Path, *, policy_version: str,
                   actor: Actor | None = None) -> ImportResult:  # fmt: skip
    def record(conn: Connection, result: ImportResult) -> None:
        for change in result.changes:
            kind = "officer" if change.file == "officers.csv" else "facility"
            audit.record_in(conn, actor=actor, channel="import", action=f"{kind}.{change.kind}_by_import",
                            object_type=kind, object_id=change.key, before=change.before, after=change.after,
                            policy_version=policy_version)  # fmt: skip
        audit.record_in(conn, actor=actor, channel="import", action="book.imported", object_type="import",
                        object_id=str(result.folder), policy_version=policy_version,
                        after={"os_user": getpass.getuser(), "files": [f.model_dump() for f in result.files]})  # fmt: skip

    return import_folder(engine, folder, record=record)
