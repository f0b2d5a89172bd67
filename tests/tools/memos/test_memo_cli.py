"""`creditdesk memo` through the Typer runner on a copy of the demo book."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cli(demo_cli):  # type: ignore[no-untyped-def]
    return demo_cli


def test_memo_by_name_to_pdf_and_by_id_to_markdown(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "globex.pdf"
    result = cli("memo", "Globex Trading", "--as", "rm.anna", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"%PDF"
    md = cli("memo", "1004", "--as", "rm.anna")
    assert md.exit_code == 0 and "# Periodic Credit Review — Initech Systems" in md.output


def test_memo_unknown_or_ambiguous_client(cli) -> None:  # type: ignore[no-untyped-def]
    missing = cli("memo", "Nonexistent Widgets", "--as", "rm.anna")
    assert missing.exit_code == 3
    bad = cli("memo", "1003", "--as", "rm.anna", "--format", "rtf")
    assert bad.exit_code == 2


def test_memo_ambiguous_name_lists_the_choices(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("memo", "ACME", "--as", "risk.lee")
    assert result.exit_code == 2
    assert "ACME Holdings" in result.output and "ACME Logistics" in result.output
