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


def test_demo_contacts_follow_the_policy_cadence_and_tell_stories(demo_container) -> None:  # type: ignore[no-untyped-def]
    """Issue #15: no '3,510 days late' contacts for good clients; a believable history per client."""
    c = demo_container
    pa = c.credit_engine.assess_portfolio(c.adapter.snapshot(as_of=AS_OF))
    t = pa.table().join(pa.contact[["contact_days_overdue", "last_contact"]])
    good = t[(t["grade"] <= 4) & (t["ews_level"] == "green")]
    # good clients are seen every 180 days by policy; the demo visits them every ~150 days, one in ten late
    # by up to 60 more days: never more than ~60 days overdue. Warnings shorten the policy's cadence (45 / 14
    # days), so those clients may be late, but never by years; nobody's last contact is years ago either.
    assert len(good) and good["contact_days_overdue"].max() <= 60
    assert t["contact_days_overdue"].max() <= 150
    assert (pd.Timestamp(AS_OF) - t["last_contact"].dropna()).dt.days.max() <= 400
    contacts = pa.snapshot.contacts
    per_client = contacts.groupby("client_id")
    assert per_client.size().median() >= 3  # a history, not a single call
    # notes read as a story: the weak clients' histories talk about arrears, in order
    arrears = contacts[contacts["notes"].str.contains("Instalment paid late")]
    follow = contacts[
        contacts["client_id"].isin(arrears["client_id"]) & contacts["notes"].str.contains("catch-up")
    ]
    assert len(arrears) and len(follow)
    first, later = (
        arrears.groupby("client_id")["contact_date"].min(),
        follow.groupby("client_id")["contact_date"].min(),
    )
    assert (first.reindex(later.index) < later).all()
