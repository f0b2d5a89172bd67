"""What a client can still draw (`Exposure.available`), worked out by hand."""

from __future__ import annotations

from decimal import Decimal

from tools.engine.results import Exposure, FacilityLine


def _line(fid: str, status: str, limit: int, outstanding: int) -> FacilityLine:
    return FacilityLine(facility_id=fid, product="revolving", status=status, secured=False, currency="USD",
                        limit=Decimal(limit), outstanding=Decimal(outstanding), utilisation=None,
                        ead=Decimal(outstanding), lgd=0.45, insured=Decimal(0))  # fmt: skip


def test_available_is_the_active_facilities_room_never_below_zero() -> None:
    exposure = Exposure(
        currency="USD", total_limit=Decimal(3_750_000), outstanding=Decimal(2_861_718), utilisation=None,
        ead=Decimal(0), insured=Decimal(0), uninsured=Decimal(0), frozen_facilities=1,
        facilities=[
            _line("F-1", "active", 1_020_000, 1_009_800),  # 10,200 left
            _line("F-2", "active", 500_000, 361_918),  # 138,082 left
            _line("F-3", "active", 230_000, 240_000),  # drawn over its limit: 0, not -10,000
            _line("F-4", "frozen", 2_000_000, 1_250_000),  # frozen: nothing to draw
        ],
    )  # fmt: skip
    assert exposure.available == Decimal(148_282)


def test_no_facilities_nothing_available() -> None:
    empty = Exposure(currency="USD", total_limit=Decimal(0), outstanding=Decimal(0), utilisation=None,
                     ead=Decimal(0), insured=Decimal(0), uninsured=Decimal(0))  # fmt: skip
    assert empty.available == Decimal(0)
