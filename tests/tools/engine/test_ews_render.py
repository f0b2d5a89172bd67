"""Eagerly coded warnings are written once per distinct message (tools/engine/ews._rendered)."""

from __future__ import annotations

from kernel.catalogue import render
from tools.engine.ews import _rendered


def test_equal_messages_written_once_with_the_same_text() -> None:
    adverse = {"key": "engine.warning.adverse_signal", "params": {"severity": "high", "category": "legal",
                                                                   "summary": "Lawsuit filed by a supplier"}}  # fmt: skip
    other = {"key": "engine.warning.adverse_signal", "params": {"severity": "severe", "category": "fraud",
                                                                 "summary": "Fraud probe"}}  # fmt: skip
    msgs = [adverse, other, dict(adverse), adverse]
    assert _rendered(msgs) == [render(m, "en") for m in msgs]
    assert "Lawsuit filed by a supplier" in _rendered(msgs)[0]


def test_values_equal_as_keys_but_of_other_types_are_written_apart() -> None:
    # 1 == 1.0 == True as dictionary keys; each is written as its own type writes it
    msgs = [{"key": "engine.warning.limit_excess", "params": {"value": v}} for v in (1, 1.0, True, 0.25)]
    assert _rendered(msgs) == [render(m, "en") for m in msgs]


def test_unhashable_parameters_are_written_each_time() -> None:
    m = {"key": "engine.warning.adverse_signal", "params": {"severity": "low", "category": ["a", "b"],
                                                             "summary": "x"}}  # fmt: skip
    assert _rendered([m, m]) == [render(m, "en")] * 2
