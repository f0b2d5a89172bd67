"""Process settings for a long-running server (`creditdesk serve`, and the API benchmark's servers), and
the note of where it listens (read by `creditdesk token link`).

The credit engine keeps per-client results in memory; each holds many small Python objects, and with
CPython's default collector thresholds (700, 10, 10) a full collection walks all of them every few
thousand requests: a pause of a few hundred milliseconds that showed as the card's p99 under load.
Objects alive at start-up are frozen out of collection, and the thresholds are raised so full
collections are rare (reference counting still frees almost everything at once; only cycles wait).
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

SERVER_GC_THRESHOLDS = (50_000, 50, 100)


def tune_for_serving() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVER_GC_THRESHOLDS)


ADDRESS_FILE = "server.json"


def record_address(home: Path, url: str) -> Path:
    """Note where this server listens (HOME/server.json) so `creditdesk token link` builds links to it."""
    path = home / ADDRESS_FILE
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return path


def forget_address(home: Path) -> None:
    path = home / ADDRESS_FILE
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def running_address(home: Path) -> str | None:
    """The address of the `creditdesk serve` running on this data folder, if one is."""
    try:
        noted = json.loads((home / ADDRESS_FILE).read_text(encoding="utf-8"))
        pid, url = int(noted["pid"]), str(noted["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # it exists, under another user
    return url
