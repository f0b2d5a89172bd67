"""Every kind of CLI misuse gets a message and an exit code, never a traceback.

Click's usage errors exit 2 with click's message; domain errors keep their own codes (kernel/errors.py);
an unexpected error prints an error id, and its traceback goes to the log file only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

EXAMPLES = Path(__file__).parents[3] / "examples"

Cli = Callable[..., Result]


def _runner(home: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def book_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the small example book (imported once for the module)."""
    home = tmp_path_factory.mktemp("book")
    with pytest.MonkeyPatch.context() as mp:
        result = _runner(home, mp)("import", str(EXAMPLES / "small-book"))
        assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def cli(book_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    yield _runner(book_home, monkeypatch)
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["approvls", "list"], "No such command 'approvls'"),  # a typo'd command
        (["memo", "--as", "rm.anna"], "Missing argument"),  # a missing argument
        (["clients", "list"], "Missing option '--as'"),  # a missing --as
        (["clients", "list", "--as"], "requires an argument"),  # --as without its value
        (["clients", "list", "--as", ""], "give an officer id"),  # an empty --as
        (["clients", "list", "--as", "   "], "give an officer id"),
        (["clients", "list", "--as", "rm.anna", "--bogus"], "No such option: --bogus"),  # an unknown option
        (
            ["audit", "export", "--from", "2026-13-01", "--to", "2026-12-31", "--as", "audit.ravi"],
            "2026-13-01",
        ),
        (["clients", "list", "--as", "rm.anna", "--limit", "many"], "Invalid value"),  # a bad number
    ],
)
def test_usage_errors_print_clicks_message_and_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    _no_traceback(result)


def test_domain_errors_keep_their_exit_codes(cli: Cli) -> None:
    unknown = cli("clients", "list", "--as", "nobody")
    assert unknown.exit_code == 3 and "no officer 'nobody'" in unknown.output  # NotFound
    out_of_scope = cli("clients", "show", "1002", "--as", "rm.anna")  # rm.south.001's client
    assert out_of_scope.exit_code == 3, out_of_scope.output  # NotFound: out of scope looks like unknown (#17)
    assert "client 1002 not found" in out_of_scope.output
    bad_format = cli("memo", "1001", "--as", "rm.anna", "--format", "rtf")
    assert bad_format.exit_code == 2 and "--format" in bad_format.output  # InvalidInput
    for result in (unknown, out_of_scope, bad_format):
        _no_traceback(result)


def test_an_unexpected_error_shows_an_id_and_logs_the_traceback(
    cli: Cli, book_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creditdesk.wiring import Container

    def boom(self: Container, officer_id: str, **_: object) -> None:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(Container, "actor", boom)
    result = cli("clients", "list", "--as", "rm.anna")
    assert result.exit_code == 70
    assert "unexpected error (error id " in result.output and "the disk caught fire" not in result.output
    _no_traceback(result)
    error_id = result.output.split("error id ")[1].split(")")[0]
    logged = (book_home / "creditdesk-cli.log").read_text(encoding="utf-8")
    assert error_id in logged and "Traceback" in logged and "the disk caught fire" in logged


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.output.strip() == "creditdesk 0.1.0"


def test_a_client_by_id_or_by_name(cli: Cli) -> None:
    by_id = cli("clients", "show", "1003", "--as", "rm.anna")
    by_name = cli("clients", "show", "Globex Trading", "--as", "rm.anna")
    assert by_id.exit_code == by_name.exit_code == 0, by_name.output
    assert "Globex Trading (#1003)" in by_name.output and by_id.output == by_name.output
    missing = cli("clients", "show", "Nonesuch Ltd", "--as", "rm.anna")
    assert missing.exit_code == 3 and "Nonesuch Ltd" in missing.output


def test_a_lower_limit_is_a_decrease_written_as_3m_and_the_preview_is_readable(cli: Cli) -> None:
    # Globex Trading (1003) has one facility, F-1003-1, with a limit of 8,120,000 (small-book/facilities.csv)
    result = cli("approvals", "raise", "Globex Trading", "--new-limit", "3M", "--reason", "smaller need",
                 "--preview", "--as", "rm.anna")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not result.output.lstrip().startswith("{")  # not raw JSON
    assert "decrease for Globex Trading (1003), facility F-1003-1" in result.output
    assert "limit USD 8,120,000.00 → 3,000,000.00" in result.output
    assert "step 1:" in result.output
    as_json = cli("approvals", "raise", "1003", "--new-limit", "9.5M", "--reason", "growth",
                  "--preview", "--json", "--as", "rm.anna")  # fmt: skip
    assert as_json.exit_code == 0, as_json.output
    import json

    prepared = json.loads(as_json.output)
    assert prepared["kind"] == "increase" and prepared["new_limit"] == "9500000.00"
    same = cli("approvals", "raise", "1003", "--new-limit", "8,120,000", "--reason", "x", "--as", "rm.anna")
    assert same.exit_code == 2 and "equals the current limit" in same.output
    not_an_amount = cli(
        "approvals", "raise", "1003", "--new-limit", "lots", "--reason", "x", "--as", "rm.anna"
    )
    assert not_an_amount.exit_code == 2 and "not an amount" in not_an_amount.output
    wrong_currency = cli("approvals", "raise", "1003", "--new-limit", "EUR 3M", "--reason", "x",
                         "--as", "rm.anna")  # fmt: skip
    assert wrong_currency.exit_code == 2 and "facility F-1003-1 is in USD" in wrong_currency.output
    with_currency = cli("approvals", "raise", "1003", "--new-limit", "usd 3m", "--reason", "x", "--preview",
                        "--json", "--as", "rm.anna")  # fmt: skip
    assert with_currency.exit_code == 0 and json.loads(with_currency.output)["kind"] == "decrease"


def test_an_unwritable_memo_path_is_refused_before_a_draft_is_stored(cli: Cli, book_home: Path) -> None:
    import sqlite3

    def memos() -> int:
        with sqlite3.connect(book_home / "creditdesk.db") as db:
            return db.execute("select count(*) from memos").fetchone()[0]

    before = memos()
    result = cli("memo", "1001", "--as", "rm.anna", "-f", "pdf", "-o", "/no/such/dir/x.pdf")
    assert result.exit_code == 2 and "/no/such/dir does not exist" in result.output
    _no_traceback(result)
    assert memos() == before


def test_a_command_without_a_database_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "empty"
    cli = _runner(home, monkeypatch)
    for args in (
        ["ask", "hello", "--as", "rm.anna"],
        ["clients", "list", "--as", "rm.anna"],
        ["review", "run"],
    ):
        result = cli(*args)
        assert result.exit_code == 3, result.output
        assert "creditdesk init" in result.output and str(home) in result.output.replace("\n", "")
        _no_traceback(result)
    assert not (home / "creditdesk.db").exists()


def test_a_real_process_from_another_folder_shows_no_traceback(tmp_path: Path) -> None:
    """Run as a user would, from a folder that is not the checkout, with no data folder set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITDESK_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # platformdirs' user data folder on Linux
    for args, code in ((["approvls"], 2), (["clients", "list", "--as", "rm.anna"], 3)):
        out = subprocess.run([sys.executable, "-m", "creditdesk.cli.main", *args], capture_output=True,
                             text=True, env=env, cwd=tmp_path)  # fmt: skip
        assert out.returncode == code, out.stderr
        assert "Traceback" not in out.stderr + out.stdout
    assert not (tmp_path / ".creditdesk").exists()  # nothing conjured in the current folder
    assert "creditdesk init" in out.stderr and str(tmp_path / "data" / "creditdesk") in out.stderr.replace(
        "\n", ""
    )


def test_token_link_uses_the_running_servers_address(
    cli: Cli, book_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creditdesk.serving import forget_address, record_address

    record_address(book_home, "http://127.0.0.1:8410")  # what `creditdesk serve --port 8410` notes
    try:
        result = cli("token", "link", "--officer", "rm.anna")
        assert result.exit_code == 0, result.output
        assert result.output.startswith("http://127.0.0.1:8410/dashboard?token=")
        monkeypatch.setenv("CREDITDESK_PUBLIC_URL", "https://credit.bank.example")
        from creditdesk.cli import common

        common.settings.cache_clear()
        common.container.cache_clear()
        behind_proxy = cli("token", "link", "--officer", "rm.anna", "--client", "1001")
        # client 1001 is linked by its CRM id, CRM-0001001 (small-book/clients.csv), as the CRM links it
        assert behind_proxy.output.startswith("https://credit.bank.example/sidebar/CRM-0001001?token=")
    finally:
        forget_address(book_home)
    assert not (book_home / "server.json").exists()


def test_an_invalid_configuration_is_a_message(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITDESK_ENV", "prod")  # without a real sidebar secret: refused
    monkeypatch.delenv("CREDITDESK_SIDEBAR_SECRET", raising=False)
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    result = cli("clients", "list", "--as", "rm.anna")
    assert result.exit_code == 2 and "CREDITDESK_SIDEBAR_SECRET must be a real secret" in result.output
    _no_traceback(result)
