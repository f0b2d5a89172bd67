"""Checks shared by the snapshot reader tests."""

from __future__ import annotations

import pandas as pd

from crm_adapter.snapshot import FRAMES, BookSnapshot


def assert_same_snapshot(a: BookSnapshot, b: BookSnapshot) -> None:
    """Every frame of two snapshots equal, value for value, dtypes and index included."""
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)
