"""A cold `creditdesk ask` imports only what answering needs, and runs without the collector's pauses.

The figure itself (≤ 1.5 s of CPU) is measured by `python -m bench --only cli_ask_cold`, never here: these
tests hold the means (what is imported, how the collector is set), which do not depend on the machine's load.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from tests.conftest import AS_OF

# Libraries and modules a question about a client's utilisation never uses: each was once imported by a
# cold `ask` (the knowledge base's record classes through the access tag, the rest by eager imports).
NOT_IMPORTED = (
    "knowledge.models",
    "chromadb",
    "langchain_core",
    "sklearn",
    "scipy",
    "fastapi",
    "slack_bolt",
    "reportlab",
    "docx",
    "tools.approvals.service",
    "tools.memos.service",
)


def _imported_modules(stderr: str) -> set[str]:
    """Module names from `python -X importtime` output ("import time: self | cumulative | name")."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_a_cold_ask_imports_only_what_answering_needs(demo_container) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITDESK_")}
    env.update(CREDITDESK_HOME=str(demo_container.settings.home), CREDITDESK_AS_OF=AS_OF.isoformat())
    ask = ["-m", "creditdesk.cli.main", "ask", "what is the utilisation of ACME Holdings?", "--as", "rm.anna"]
    # the first question of a new data folder trains the offline brain's classifier (with scikit-learn) and
    # keeps its compiled form; every later cold start loads that
    subprocess.run([sys.executable, *ask], capture_output=True, env=env, check=True)
    out = subprocess.run([sys.executable, "-X", "importtime", *ask], capture_output=True, text=True, env=env,
                         check=True)  # fmt: skip
    assert "utilisation" in out.stdout and "ACME Holdings" in out.stdout
    imported = _imported_modules(out.stderr)
    assert "pandas" in imported and "crm_adapter.sql.store" in imported  # the parse found the imports
    assert sorted(imported & set(NOT_IMPORTED)) == []


def test_the_command_process_runs_with_the_raised_collector_thresholds() -> None:
    code = (
        "import gc; from creditdesk.cli import main; "
        "main.app = lambda: print(gc.get_threshold(), gc.isenabled()); main.run()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(50000, 50, 100) True"


@pytest.mark.parametrize("enabled_before", [True, False])
def test_without_collector_disables_it_and_restores_its_state(enabled_before: bool) -> None:
    from creditdesk.cli.common import without_collector

    was = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        with without_collector():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(KeyError), without_collector():
            raise KeyError("a failing command")
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_ask_runs_its_question_without_the_collector(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from bot.assistant import Assistant

    seen: list[bool] = []
    answer = Assistant.answer

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return answer(self, *args, **kwargs)

    monkeypatch.setattr(Assistant, "answer", spy)
    result = demo_cli("ask", "what is the utilisation of ACME Holdings?", "--as", "rm.anna")
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()  # the test process's collector is back on
