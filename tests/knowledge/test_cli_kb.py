"""`creditdesk kb` through the real Typer app, in a temporary home."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.knowledge.conftest import REVIEW_POLICY, RISK_MEMO


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., object]]:
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app

    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    common.settings.cache_clear()
    common.container.cache_clear()


def test_ingest_list_search_remove(cli, write: Callable[[str, str], Path]) -> None:  # type: ignore[no-untyped-def]
    review = write("review.md", REVIEW_POLICY)
    write("watch.md", RISK_MEMO)
    (review.parent / "broken.docx").write_bytes(b"nope")
    result = cli("kb", "ingest", str(review.parent))
    assert result.exit_code == 2
    assert "broken.docx: " in result.output and "2 added" in result.output and "1 failed" in result.output

    listed = json.loads(cli("kb", "list", "--json").output)
    ids = {d["document_id"] for d in listed}
    assert {"review", "watch", "credit-policy-manual", "credit-policy-summary-zh"} == ids  # defaults seeded

    hits = json.loads(cli("kb", "search", "who approves exceptions", "--k", "2", "--json").output)
    assert len(hits) == 2 and {"document", "section", "page", "text", "score"} <= set(hits[0])

    text = cli("kb", "search", "restricted risk forum", "--k", "1")
    assert text.exit_code == 0 and "[1] Watch-list Handbook § 1 Restricted procedures" in text.output

    assert cli("kb", "remove", "watch").exit_code == 0
    assert cli("kb", "remove", "watch").exit_code == 3


def test_search_as_an_officer_sees_only_their_documents(cli, write: Callable[[str, str], Path]) -> None:  # type: ignore[no-untyped-def]
    from creditdesk.cli.common import container

    assert cli("init", "--demo-if-empty", "--clients", "20").exit_code == 0
    assert cli("kb", "ingest", str(write("watch.md", RISK_MEMO))).exit_code == 0
    officers = {o.role.value: o.officer_id for o in container().adapter.list_officers()}
    query = ("kb", "search", "restricted risk forum watch-list", "--k", "10", "--json")
    as_rm = json.loads(cli(*query, "--as", officers["rm"]).output)
    as_risk = json.loads(cli(*query, "--as", officers["risk"]).output)
    assert all(h["document_id"] != "watch" for h in as_rm)
    assert as_risk[0]["document_id"] == "watch"
