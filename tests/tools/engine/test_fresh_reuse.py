"""A fresh assessment (what raising or approving a request rests on) reads the change counter from the
database and reuses a result kept at the version it reads; a write anywhere moves the version, so the next
fresh assessment computes again (#20: the assistant's "raise" turns assessed the client twice)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import AS_OF, actor_of


def _count_snapshots(monkeypatch: pytest.MonkeyPatch, adapter) -> list[object]:  # type: ignore[no-untyped-def]
    reads: list[object] = []
    original = adapter.snapshot

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(kwargs.get("client_ids"))
        return original(*args, **kwargs)

    monkeypatch.setattr(adapter, "snapshot", counted)
    return reads


def test_a_fresh_assessment_at_the_same_data_version_is_not_computed_again(
    demo_container, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    anna = actor_of(c, "rm.anna")
    engine = c.credit_engine
    cached = engine.assess_client(anna, 1003, as_of=AS_OF)
    reads = _count_snapshots(monkeypatch, c.adapter)
    again = engine.assess_client(anna, 1003, as_of=AS_OF, fresh=True)
    assert reads == [] and again.model_dump(mode="json") == cached.model_dump(mode="json")
    # a write moves the data version: the next fresh assessment reads the client again and sees it
    c.adapter.update_limit("F-1003-1", Decimal("200000"))
    after = engine.assess_client(anna, 1003, as_of=AS_OF, fresh=True)
    assert reads[0] == [1003]  # (then the whole book once, for the aggregates of the new version)
    assert after.exposure.total_limit == cached.exposure.total_limit + Decimal("200000") - next(
        f.limit for f in cached.exposure.facilities if f.facility_id == "F-1003-1"
    )


def test_the_access_check_runs_on_every_fresh_assessment(demo_container) -> None:  # type: ignore[no-untyped-def]
    from tools.access import OutOfScope

    c = demo_container
    engine = c.credit_engine
    rm = actor_of(c, "rm.anna")
    foreign = next(
        x for x in c.adapter.list_clients() if c.adapter.get_officer(x.officer_id).team != rm.team
    )  # fmt: skip
    owner = actor_of(c, foreign.officer_id)
    engine.assess_client(owner, foreign.client_id, as_of=AS_OF, fresh=True)  # kept for this data version
    with pytest.raises(OutOfScope):
        engine.assess_client(rm, foreign.client_id, as_of=AS_OF, fresh=True)
