"""Process settings for a long-running server (`creditdesk serve`, and the API benchmark's servers).

The credit engine keeps per-client results in memory; each holds many small Python objects, and with
CPython's default collector thresholds (700, 10, 10) a full collection walks all of them every few
thousand requests: a pause of a few hundred milliseconds that showed as the card's p99 under load.
Objects alive at start-up are frozen out of collection, and the thresholds are raised so full
collections are rare (reference counting still frees almost everything at once; only cycles wait).
"""

from __future__ import annotations

import gc

SERVER_GC_THRESHOLDS = (50_000, 50, 100)


def tune_for_serving() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVER_GC_THRESHOLDS)
