"""Integer ids written as strings by Arrow's cast are the strings `astype(str)` writes (tools/engine/frames)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tools.engine.frames import id_strings


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=30))
def test_same_strings_and_dtype_as_astype_str(ids: list[int]) -> None:
    idx = pd.Index(np.array(ids, dtype="int64"), name="client_id")
    pd.testing.assert_index_equal(id_strings(idx), idx.astype(str), exact=True)


def test_hand_written() -> None:
    assert id_strings(pd.Index(np.array([7, -12, 1001]))).tolist() == ["7", "-12", "1001"]
