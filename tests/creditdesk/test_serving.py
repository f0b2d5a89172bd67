from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from creditdesk.serving import forget_address, record_address, running_address


def test_the_address_of_a_running_server_is_found_and_a_dead_ones_is_not(tmp_path: Path) -> None:
    assert running_address(tmp_path) is None
    record_address(tmp_path, "http://0.0.0.0:8410")
    assert running_address(tmp_path) == "http://0.0.0.0:8410"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (tmp_path / "server.json").write_text(json.dumps({"url": "http://x:1", "pid": int(dead.stdout)}))
    assert running_address(tmp_path) is None  # that process has exited
    forget_address(tmp_path)  # not ours: left alone
    assert (tmp_path / "server.json").exists()
    (tmp_path / "server.json").write_text("not json")
    assert running_address(tmp_path) is None
