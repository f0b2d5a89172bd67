from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_adapter.csv_import import import_folder
from crm_adapter.csv_import.export import export_folder
from crm_adapter.models import ClientRow, FacilityRow
from kernel.errors import InvalidInput

EXAMPLES = Path(__file__).parents[2] / "examples"


def _count(container, table) -> int:  # type: ignore[no-untyped-def]
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_example_book_imports_and_reimport_changes_nothing(book_container) -> None:  # type: ignore[no-untyped-def]
    first = import_folder(book_container.engine, EXAMPLES / "small-book")
    assert first.changed > 0 and _count(book_container, ClientRow) == 12
    second = import_folder(book_container.engine, EXAMPLES / "small-book")
    assert second.changed == 0
    assert all(f.unchanged == f.rows for f in second.files)


def test_changed_rows_update(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    shutil.copytree(EXAMPLES / "small-book", folder)
    import_folder(container.engine, folder)
    text = (folder / "facilities.csv").read_text()
    first_line = text.splitlines()[1]
    fields = first_line.split(",")
    fields[4] = "999000.0"
    (folder / "facilities.csv").write_text(text.replace(first_line, ",".join(fields)))
    result = import_folder(container.engine, folder)
    by_file = {f.file: f for f in result.files}
    assert by_file["facilities.csv"].updated == 1 and result.changed == 1
    assert str(container.adapter.get_facility(fields[0]).limit_amount) == "999000.00"


def test_bad_rows_are_all_reported_and_nothing_is_written(container) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as err:
        import_folder(container.engine, EXAMPLES / "bad-rows")
    lines = err.value.details
    assert "clients.csv:5: size_segment" in lines[0] and "gigantic" in lines[0]
    assert any(line.startswith("facilities.csv:2: limit_amount") for line in lines)  # negative limit
    assert any(line.startswith("facilities.csv:3: opened") for line in lines)  # bad date
    assert any(line.startswith("facilities.csv:4: limit_amount") for line in lines)  # not a number
    assert any("facilities.csv:6: client_id: unknown client_id '7777'" in line for line in lines)
    assert _count(container, ClientRow) == 0 and _count(container, FacilityRow) == 0


def test_header_problems_unknown_files_and_duplicates(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    shutil.copytree(EXAMPLES / "small-book", folder)
    (folder / "officers.csv").write_text(
        (folder / "officers.csv").read_text().replace("approval_level", "approval_lvl", 1)
    )
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    lines = (folder / "groups.csv").read_text().splitlines()
    (folder / "groups.csv").write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(InvalidInput) as err:
        import_folder(container.engine, folder)
    details = err.value.details
    assert any("officers.csv:1: approval_lvl: unknown column" in d for d in details)
    assert any(d.startswith("notes.csv:0: unknown file") for d in details)
    assert any("groups.csv:4: group_id: duplicate key" in d for d in details)
    assert _count(container, ClientRow) == 0


def test_non_utf8_file_and_missing_folder(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    shutil.copytree(EXAMPLES / "small-book", folder)
    (folder / "clients.csv").write_bytes("client_id,name\n1,Caf\xe9".encode("latin-1"))
    with pytest.raises(InvalidInput) as err:
        import_folder(container.engine, folder)
    assert any("clients.csv:1: file is not UTF-8" in d for d in err.value.details)
    with pytest.raises(InvalidInput, match="not a folder"):
        import_folder(container.engine, tmp_path / "nope")


def test_export_round_trip(demo_container, container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counts = export_folder(demo_container.engine, tmp_path / "out")
    result = import_folder(container.engine, tmp_path / "out")
    assert {f.file: f.inserted for f in result.files} == counts
    a = demo_container.adapter.snapshot(as_of=container.today())
    b = container.adapter.snapshot(as_of=container.today())
    assert a.facilities["limit_amount"].sum() == pytest.approx(b.facilities["limit_amount"].sum())


def test_data_format_doc_lists_every_column() -> None:
    from crm_adapter.csv_import.spec import SPECS

    doc = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text()
    for spec in SPECS:
        assert f"`{spec.file}`" in doc
        for column in spec.record.model_fields:
            assert f"| `{column}` |" in doc, f"{spec.file}: {column} is not documented"


def test_imports_are_audited_authority_changes_one_by_one(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    shutil.copytree(EXAMPLES / "small-book", folder)
    first = container.import_book(folder)
    assert first.changes and all(c.kind == "inserted" for c in first.changes)
    officers = (folder / "officers.csv").read_text().splitlines()
    header = officers[0].split(",")
    row = officers[1].split(",")
    row[header.index("approval_level")] = "4"  # an officer quietly given committee authority
    (folder / "officers.csv").write_text("\n".join([officers[0], ",".join(row), *officers[2:]]) + "\n")
    second = container.import_book(folder)
    (change,) = second.changes
    assert change.file == "officers.csv" and change.key == row[header.index("officer_id")]
    assert change.before["approval_level"] != 4 and change.after["approval_level"] == 4  # type: ignore[index]
    events = container.audit.events_for("officer", change.key)
    assert [e.action for e in events] == ["officer.inserted_by_import", "officer.updated_by_import"]
    assert events[-1].after["approval_level"] == 4 and events[-1].channel == "import"
    assert container.audit.verify().ok
    assert len(container.audit.events_for("import", str(folder))) == 2  # one summary per import


def test_a_failing_audit_write_imports_nothing(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def broken(conn, result) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("audit store unavailable")

    with pytest.raises(RuntimeError):
        import_folder(container.engine, EXAMPLES / "small-book", record=broken)
    assert _count(container, ClientRow) == 0
