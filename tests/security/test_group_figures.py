"""The what-if must not let an RM work out another team's client's exact limit: ACME Holdings (1001, North,
rm.anna) and ACME Logistics (1002, South) are one group, so Anna sees the group's figures only as a band."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from tools.access import band_ceiling
from tools.assistant_tools import Toolbox, call_tool


def test_band_ceilings_by_hand() -> None:
    assert band_ceiling(Decimal("999999")) == Decimal("1000000")
    assert band_ceiling(Decimal("5000000")) == Decimal("5000000")
    assert band_ceiling(Decimal("5000001")) == Decimal("10000000")
    assert band_ceiling(Decimal("1200000000")) == Decimal("2000000000")


def _exact_group_after(container, new_limit: Decimal) -> Decimal:  # type: ignore[no-untyped-def]
    """Worked out from the data: the new limit of 1001 plus 1002's current total limit."""
    other = sum(f.limit_amount for f in container.adapter.get_facilities(1002))  # demo book: USD facilities
    return new_limit + Decimal(other)


def test_api_what_if_bands_the_group_for_an_rm(
    client: TestClient, anna: dict[str, str], demo_container
) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/v1/clients/1001/what-if", headers=anna, json={"new_limit": "3000000"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    exact = _exact_group_after(demo_container, Decimal("3000000"))
    shown = Decimal(body["group_exposure_after"])
    assert shown == band_ceiling(exact) and shown != exact
    assert any("band" in m for m in body["messages"])
    group_lines = [pair for pair in body["lines"] if pair[1]["dimension"] == "group"]
    assert group_lines
    for before, after in group_lines:
        assert (
            Decimal(after["exposure"]) % Decimal("1000000") == 0
            and Decimal(before["exposure"]) % 1000000 == 0
        )
        assert after["headroom"] is None


def test_book_wide_roles_see_exact_figures(demo_container) -> None:  # type: ignore[no-untyped-def]
    tb = Toolbox(adapter=demo_container.adapter, credit_engine=demo_container.credit_engine,
                 today=demo_container.today)  # fmt: skip
    risk = call_tool(
        tb, demo_container.actor("risk.lee"), "what_if_limit", {"client_id": 1001, "new_limit": "3000000"}
    )
    anna = call_tool(
        tb, demo_container.actor("rm.anna"), "what_if_limit", {"client_id": 1001, "new_limit": "3000000"}
    )
    exact = _exact_group_after(demo_container, Decimal("3000000"))
    assert risk.result.group_exposure_after == exact  # type: ignore[union-attr]
    assert anna.result.group_exposure_after == band_ceiling(exact)  # type: ignore[union-attr]
