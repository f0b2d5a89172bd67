from __future__ import annotations

import pandas as pd
import pytest

from crm_adapter.demo import generate_demo
from kernel.errors import Conflict, InvalidInput
from tests.conftest import AS_OF, make_container


def _book(tmp_path, name: str, seed: int):  # type: ignore[no-untyped-def]
    c = make_container(tmp_path / name)
    generate_demo(c.engine, n_clients=150, seed=seed, as_of=AS_OF, chunk_size=40)
    return c.adapter.snapshot(as_of=AS_OF)


def test_demo_is_deterministic_for_a_seed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = _book(tmp_path, "a", 11), _book(tmp_path, "b", 11)
    c = _book(tmp_path, "c", 12)
    pd.testing.assert_frame_equal(a.facilities, b.facilities)
    pd.testing.assert_frame_equal(a.repayments, b.repayments)
    assert not a.facilities["limit_amount"].equals(c.facilities["limit_amount"])


def test_demo_book_is_realistic(demo_container) -> None:  # type: ignore[no-untyped-def]
    snap = demo_container.adapter.snapshot(as_of=AS_OF)
    clients = snap.clients
    assert clients["industry"].nunique() >= 6 and clients["region"].nunique() == 5
    assert clients["industry"].value_counts(normalize=True).iloc[0] > 0.15  # uneven mix
    assert 0.01 < clients["defaulted"].mean() < 0.2  # a latent outcome to learn from
    late = snap.repayments["paid_date"].isna() | (snap.repayments["paid_date"] > snap.repayments["due_date"])
    assert 0 < late.mean() < 0.5
    assert len(snap.covers) and len(snap.signals) and len(snap.contacts)
    # weaker clients (defaulted) are visibly weaker: higher utilisation on average
    util = snap.facilities.groupby("client_id")[["outstanding", "limit_amount"]].sum()
    ratio = (util["outstanding"] / util["limit_amount"]).rename("u")
    joined = clients.set_index("client_id").join(ratio)
    assert joined.loc[joined["defaulted"], "u"].mean() > joined.loc[~joined["defaulted"], "u"].mean()


def test_demo_refuses_a_non_empty_book_and_bad_sizes(demo_container) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        generate_demo(demo_container.engine, n_clients=20, seed=1, as_of=AS_OF)
    with pytest.raises(InvalidInput):
        generate_demo(demo_container.engine, n_clients=3, seed=1, as_of=AS_OF)
