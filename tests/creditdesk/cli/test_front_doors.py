"""Issue #18, the CLI a newcomer trusts: one `--as`, help in capitals, a client by id or name everywhere,
dates and paths refused in plain words, a data folder that is a file named as such.

Expected texts are written from the issue and the catalogue's wording, not read back from the code.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer import _click as click
from typer.testing import CliRunner

from tests.creditdesk.cli.test_misuse import Cli, _no_traceback, _runner, book_home, cli  # noqa: F401
from tests.tools.spreading.test_spreading import english_workbook

SAMPLES = Path(__file__).parents[2] / "crm_adapter" / "statements" / "samples"
AS_HELP = "The officer you act as (an officer id such as rm.anna; authority comes from the officers table)"


def _commands() -> list[tuple[list[str], click.Command]]:
    """Every command and group of the CLI (e.g. ["review", "run"], ["review"], [] the root), found by walking
    the built command tree."""
    from typer.main import get_command

    from creditdesk.cli.main import app

    paths: list[tuple[list[str], click.Command]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        paths.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return paths


def _help(path: list[str]) -> str:
    from creditdesk.cli.main import app

    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def _flat(out: str) -> str:
    """The text of a rich help or error panel on one line: box characters dropped, whitespace collapsed."""
    return " ".join(out.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


TREE = _commands()
COMMANDS = [path for path, _ in TREE]
WITH_AS = [path for path, command in TREE if any("--as" in p.opts for p in command.params)]
TYPE_METAVAR = re.compile(
    r"<[a-z%][^<>\s]*>"
)  # `<str>`, `<list[Path]>`, `<%Y-%m-%d>`; not a range `1<=x<=50`


def test_the_tree_is_walked() -> None:
    assert ["memo"] in COMMANDS and ["review", "run"] in COMMANDS and ["token", "create"] in COMMANDS
    assert len(COMMANDS) >= 39 + 10  # 39 commands (the check of main counted them) and their groups
    # the commands the check of main found with other wordings are among those with --as
    for path in (["review", "run"], ["import"], ["statements", "import"], ["financials", "import"],
                 ["token", "create"], ["kb", "ingest"], ["kb", "remove"]):  # fmt: skip
        assert path in WITH_AS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_names_values_in_capitals(path: list[str]) -> None:
    out = _help(path)
    assert not TYPE_METAVAR.search(out) and "{" not in out, out  # no `<str>` …; no `{CLIENT}` in the usage


@pytest.mark.parametrize("path", WITH_AS, ids=" ".join)
def test_every_as_option_has_one_wording(path: list[str]) -> None:
    out = _flat(_help(path))
    assert "--as OFFICER" in out and AS_HELP in out, out
    assert "Admin officer id" not in out and "Act as this officer" not in out


def test_help_shows_the_capital_names_the_issue_asks_for() -> None:
    memo = _flat(_help(["memo"]))
    assert "Usage: creditdesk memo [OPTIONS] CLIENT" in memo
    statements = _flat(_help(["statements", "import"]))
    assert "Usage: creditdesk statements import [OPTIONS] FILES..." in statements
    assert (
        "--client CLIENT" in statements and "--json Print the result as JSON" in statements
    )  # a flag: no value
    export = _flat(_help(["audit", "export"]))
    assert "--from DATE" in export and "--to DATE" in export


@pytest.mark.parametrize("path", WITH_AS, ids=" ".join)
def test_an_empty_as_is_a_usage_error_in_every_command(cli: Cli, path: list[str]) -> None:  # noqa: F811
    result = cli(*path, "--as", "")
    assert result.exit_code == 2, result.output
    assert "give an officer id, such as rm.anna" in result.output
    _no_traceback(result)


def test_statements_import_takes_a_client_by_name(cli: Cli) -> None:  # noqa: F811
    result = cli("statements", "import", str(SAMPLES / "ing.sta"), "--client", "ACME Holdings", "--as", "rm.anna",
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["statements"][0]["account"] == "NL20INGB0001234567EUR"
    with _db() as db:
        clients = {row[0] for row in db.execute("select client_id from bank_statements")}
    assert clients == {1001}  # ACME Holdings (small-book/clients.csv)


def _db() -> sqlite3.Connection:
    """The database of the data folder the `cli` fixture runs on."""
    import os

    return sqlite3.connect(Path(os.environ["CREDITDESK_HOME"]) / "creditdesk.db")


def test_financials_import_takes_a_client_by_name(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = english_workbook(tmp_path / "fs.xlsx")
    result = cli("financials", "import", str(book), "--client", "Globex Trading", "--as", "rm.anna",
                 "--currency", "USD", "--preview", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"] == []
    unknown = cli("financials", "import", str(book), "--client", "Nonesuch Ltd", "--as", "rm.anna",
                  "--currency", "USD", "--preview")  # fmt: skip
    assert unknown.exit_code == 3 and "no client in your portfolio matches 'Nonesuch Ltd'" in unknown.output


def test_token_link_resolves_the_client_to_its_crm_id(cli: Cli) -> None:  # noqa: F811
    for given in ("ACME Holdings", "1001", "CRM-0001001"):  # name, our id, CRM id (small-book/clients.csv)
        result = cli("token", "link", "--officer", "rm.anna", "--client", given)
        assert result.exit_code == 0, result.output
        link = result.output.strip()
        assert link.startswith("http://127.0.0.1:8000/sidebar/CRM-0001001?token="), link
    assert " " not in link


def test_token_link_url_encodes_the_crm_id_and_falls_back_to_our_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _runner(tmp_path / "home", monkeypatch)
    assert run("import", str(Path(__file__).parents[3] / "examples" / "small-book")).exit_code == 0
    with sqlite3.connect(tmp_path / "home" / "creditdesk.db") as db:
        db.execute("update clients set external_id = 'CRM 1/3' where client_id = 1003")
        db.execute("update clients set external_id = null where client_id = 1001")
    encoded = run("token", "link", "--officer", "rm.anna", "--client", "Globex Trading")
    assert encoded.exit_code == 0, encoded.output
    assert encoded.output.strip().startswith("http://127.0.0.1:8000/sidebar/CRM%201%2F3?token=")
    ours = run("token", "link", "--officer", "rm.anna", "--client", "ACME Holdings")
    assert ours.output.strip().startswith("http://127.0.0.1:8000/sidebar/1001?id_type=ours&token=")


def test_an_impossible_date_is_named_plainly(cli: Cli) -> None:  # noqa: F811
    result = cli("audit", "export", "--from", "2026-02-30", "--to", "2026-03-31", "--as", "audit.ravi")
    assert result.exit_code == 2, result.output
    said = _flat(result.output)
    assert "Invalid value for '--from': '2026-02-30' is not a date (YYYY-MM-DD)" in said
    assert "Value error" not in said and "%Y" not in said


def test_a_data_folder_that_is_a_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    afile = tmp_path / "passwd"
    afile.write_text("root:x:0:0\n")
    result = _runner(afile, monkeypatch)("clients", "list", "--as", "rm.anna")
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"CREDITDESK_HOME {afile} is a file, not a folder" in said
    _no_traceback(result)


def test_a_read_only_command_leaves_no_stray_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "mistyped"
    result = _runner(home, monkeypatch)("clients", "list", "--as", "rm.anna")
    assert result.exit_code == 3 and "creditdesk init" in result.output
    assert not home.exists()  # neither the folder nor its sidebar secret was made


# commands that read (or act on what must already be there) and once made an empty data folder: a seeded
# knowledge base (kb), an empty database (token, approvals remind/deliver), an audit key (model, approvals
# show/decide); `audit anchor` even failed with an unexpected error
WITHOUT_A_FOLDER = [
    ["kb", "list"], ["kb", "list", "--json"], ["kb", "search", "collateral"], ["kb", "remove", "watch"],
    ["token", "list"], ["token", "list", "--json"], ["token", "link", "--officer", "rm.anna"],
    ["token", "revoke", "1"], ["model", "list"], ["model", "show", "sme-v1"],
    ["model", "monitor", "--from-book", "--as", "risk.lee"], ["audit", "anchor"],
    ["approvals", "show", "AR-1", "--as", "rm.anna"], ["approvals", "decide", "AR-1", "approve", "--as", "cco"],
    ["approvals", "remind"], ["approvals", "deliver"],
]  # fmt: skip


@pytest.mark.parametrize("args", WITHOUT_A_FOLDER, ids=" ".join)
def test_without_a_data_folder_a_command_says_how_to_make_one_and_makes_none(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    home = tmp_path / "user" / "no-such-folder"
    result = _runner(home, monkeypatch)(*args)
    assert result.exit_code == 3, result.output  # not found (README: "also: no database yet")
    assert _flat(result.output) == (
        f"error: no Credit Desk database in {home}: run `creditdesk init` there (add --demo-if-empty for a "
        "demo book), or point CREDITDESK_HOME at an existing data folder"
    )
    assert not home.exists()
    _no_traceback(result)


def test_a_file_name_too_long_is_refused_before_a_draft_is_stored(cli: Cli) -> None:  # noqa: F811
    def memos() -> int:
        with _db() as db:
            return int(db.execute("select count(*) from memos").fetchone()[0])

    before = memos()
    result = cli("memo", "1001", "--as", "rm.anna", "-f", "pdf", "-o", "m" * 300 + ".pdf")
    assert result.exit_code == 2, result.output
    assert "File name too long" in _flat(result.output)
    _no_traceback(result)
    assert memos() == before
