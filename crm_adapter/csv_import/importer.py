"""CSV import: validate every row of every file first, then write everything in one transaction.

Idempotent by natural keys: a row equal to the stored one is left alone, a changed one is updated,
a new one inserted. Any bad row anywhere means nothing is written, and every bad row is reported
as `file:line: column: reason`.
"""

from __future__ import annotations

import csv
import io
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, Table, and_, bindparam, func, select, update
from sqlmodel import SQLModel

from crm_adapter.csv_import.spec import SPECS, EntitySpec
from crm_adapter.models import ClientRow
from crm_adapter.sql.bulk import bulk_insert
from crm_adapter.sql.changes import bump_in
from kernel.errors import InvalidInput
from kernel.spreadsheet import restore

_CHUNK = 500


# Fields whose change alters who may do what, or a credit line itself: each change is listed (and the
# application shell writes it to the audit trail in the import's own transaction).
AUDITED_FIELDS: dict[str, tuple[str, ...]] = {
    "officers.csv": ("role", "approval_level", "team", "active", "slack_user_id"),
    "facilities.csv": ("limit_amount", "status", "currency"),
}


class AuthorityChange(BaseModel):
    file: str
    key: str
    kind: str  # inserted | updated
    before: dict[str, object] | None
    after: dict[str, object]


class FileResult(BaseModel):
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int


class ImportResult(BaseModel):
    folder: str
    files: list[FileResult]
    changes: list[AuthorityChange] = []

    @property
    def changed(self) -> int:
        return sum(f.inserted + f.updated for f in self.files)


class _Parsed(BaseModel):
    spec_file: str
    lines: list[int]
    records: list[SQLModel]


def _decimal_fields(record: type[SQLModel]) -> set[str]:
    hints = typing.get_type_hints(record)
    return {name for name, hint in hints.items() if Decimal in (typing.get_args(hint) or (hint,))}


def _read(path: Path, spec: EntitySpec, errors: list[str]) -> _Parsed:
    parsed = _Parsed(spec_file=spec.file, lines=[], records=[])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(f"{spec.file}:1: file is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return parsed
    reader = csv.DictReader(io.StringIO(text, newline=""))  # quoted line breaks stay inside their cell
    fields = spec.record.model_fields
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in fields]
    missing = [n for n, f in fields.items() if f.is_required() and n not in header]
    for h in unknown:
        errors.append(f"{spec.file}:1: {h}: unknown column (expected: {', '.join(fields)})")
    for n in missing:
        errors.append(f"{spec.file}:1: {n}: missing required column")
    if unknown or missing:
        return parsed
    money_cols = _decimal_fields(spec.record)
    seen: dict[tuple[object, ...], int] = {}
    for line, raw in enumerate(reader, start=2):
        if None in raw:
            errors.append(f"{spec.file}:{line}: row has more values than the header has columns")
            continue
        values = {k.strip(): (restore(v.strip()) if isinstance(v, str) else v) for k, v in raw.items()}
        values = {k: v for k, v in values.items() if v not in ("", None)}
        for k in money_cols & values.keys():
            values[k] = values[k].replace(",", "").replace(" ", "")
        try:
            record = spec.record.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else "row"
                got = values.get(column)
                suffix = f" (got '{got}')" if got is not None else ""
                errors.append(f"{spec.file}:{line}: {column}: {err['msg']}{suffix}")
            continue
        key = tuple(getattr(record, k) for k in spec.key)
        if key in seen:
            errors.append(
                f"{spec.file}:{line}: {', '.join(spec.key)}: duplicate key {key} (first on line {seen[key]})"
            )
            continue
        seen[key] = line
        parsed.lines.append(line)
        parsed.records.append(record)
    return parsed


def _existing_values(conn: Connection, table: Table, column: str, values: Iterable[object]) -> set[object]:
    wanted = list(set(values))
    found: set[object] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        found |= set(conn.execute(select(table.c[column]).where(table.c[column].in_(chunk))).scalars())
    return found


def _check_references(conn: Connection, parsed: dict[str, _Parsed], errors: list[str]) -> None:
    for spec in SPECS:
        data = parsed.get(spec.file)
        if data is None:
            continue
        for ref in spec.references:
            in_file = {
                getattr(r, ref.target_column)
                for r in (parsed[ref.target].records if ref.target in parsed else [])
            }
            wanted = {getattr(r, ref.column) for r in data.records} - in_file - {None}
            target_table = next(s for s in SPECS if s.file == ref.target).table.__table__  # type: ignore[attr-defined]
            known = in_file | _existing_values(conn, target_table, ref.target_column, wanted)
            for line, record in zip(data.lines, data.records, strict=True):
                value = getattr(record, ref.column)
                if value is None and ref.optional:
                    continue
                if value not in known:
                    errors.append(
                        f"{spec.file}:{line}: {ref.column}: unknown {ref.target_column} '{value}' "
                        f"(not in {ref.target} nor in the book)"
                    )


def _audited(spec: EntitySpec, key: tuple[object, ...], old: dict[str, object] | None,
             new: dict[str, object]) -> AuthorityChange | None:  # fmt: skip
    fields = AUDITED_FIELDS.get(spec.file)
    if not fields:
        return None
    after = {f: new.get(f) for f in fields if f in new}
    before = None if old is None else {f: old.get(f) for f in fields if f in new}
    if before is not None and all(_same(before[f], after[f]) for f in after):
        return None
    return AuthorityChange(file=spec.file, key="/".join(map(str, key)), kind="inserted" if old is None else "updated",
                           before=_jsonable(before), after=_jsonable(after))  # type: ignore[arg-type]  # fmt: skip


def _same(a: object, b: object) -> bool:
    return str(a) == str(b) if isinstance(a, Decimal) or isinstance(b, Decimal) else a == b


def _jsonable(values: dict[str, object] | None) -> dict[str, object] | None:
    if values is None:
        return None
    return {k: (str(v) if isinstance(v, Decimal) else getattr(v, "value", v)) for k, v in values.items()}


def _write(conn: Connection, spec: EntitySpec, data: _Parsed, changes: list[AuthorityChange]) -> FileResult:
    table: Table = spec.table.__table__  # type: ignore[attr-defined]
    first = spec.key[0]
    existing: dict[tuple[object, ...], dict[str, object]] = {}
    keys = list({getattr(r, first) for r in data.records})
    for i in range(0, len(keys), _CHUNK):
        rows = conn.execute(select(table).where(table.c[first].in_(keys[i : i + _CHUNK]))).mappings()
        for row in rows:
            existing[tuple(row[k] for k in spec.key)] = dict(row)
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    unchanged = 0
    columns = [c.name for c in table.columns]
    for record in data.records:
        values = record.model_dump()
        key = tuple(values[k] for k in spec.key)
        old = existing.get(key)
        if old is None:
            inserts.append(record.model_dump(mode="json"))
        elif any(values.get(c) != old.get(c) for c in columns if c in values):
            updates.append({f"b_{c}": v for c, v in values.items() if c in columns})
        else:
            unchanged += 1
            continue
        if (change := _audited(spec, key, old, values)) is not None:
            changes.append(change)
    if inserts:
        bulk_insert(conn, table, pd.DataFrame(inserts, columns=[c for c in columns if c in inserts[0]]))
    if updates:
        stmt = (
            update(table)
            .where(and_(*(table.c[k] == bindparam(f"b_{k}") for k in spec.key)))
            .values({c: bindparam(f"b_{c}") for c in columns if f"b_{c}" in updates[0] and c not in spec.key})
        )
        conn.execute(stmt, updates)
    return FileResult(
        file=spec.file,
        rows=len(data.records),
        inserted=len(inserts),
        updated=len(updates),
        unchanged=unchanged,
    )


def import_folder(
    engine: Engine, folder: Path, *, record: Callable[[Connection, ImportResult], None] | None = None
) -> ImportResult:
    """Import every known CSV in `folder`. Raises InvalidInput listing every bad row; writes nothing then.

    `record(conn, result)` runs inside the import's transaction once the rows are written (the shell
    passes the audit trail's writer): if it fails, nothing is imported."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"'{folder}' is not a folder", field="folder")
    errors: list[str] = []
    parsed: dict[str, _Parsed] = {}
    with engine.connect() as conn:
        empty_book = not conn.execute(select(func.count()).select_from(ClientRow)).scalar_one()
    for spec in SPECS:
        path = folder / spec.file
        if path.exists():
            parsed[spec.file] = _read(path, spec, errors)
        elif spec.required and empty_book:
            errors.append(f"{spec.file}:0: file missing (required for a first import into an empty book)")
    known = {p.name for p in folder.glob("*.csv")}
    for extra in sorted(known - {s.file for s in SPECS}):
        errors.append(f"{extra}:0: unknown file (expected: {', '.join(s.file for s in SPECS)})")
    if not parsed and not errors:
        raise InvalidInput(f"no CSV files to import in '{folder}'", field="folder")
    with engine.begin() as conn:
        _check_references(conn, parsed, errors)
        if errors:
            raise InvalidInput(f"{len(errors)} problem(s) in {folder}; nothing was imported", details=errors)
        changes: list[AuthorityChange] = []
        results = [_write(conn, spec, parsed[spec.file], changes) for spec in SPECS if spec.file in parsed]
        result = ImportResult(folder=str(folder), files=results, changes=changes)
        if record is not None:
            record(conn, result)
        bump_in(conn)  # every process's caches see the import
    return result
