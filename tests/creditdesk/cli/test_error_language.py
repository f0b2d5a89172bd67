"""CLI refusals in the user's language (#18): `CREDITDESK_LANG` (else the locale) picks Chinese; English is the
default. Expected sentences written by hand."""

from __future__ import annotations

import pytest


def test_a_refusal_in_chinese(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_LANG", "zh")
    out = demo_cli("approvals", "show", "AR-999", "--as", "lead.north")
    assert out.exit_code == 3 and "未找到申请 AR-999" in out.output, out.output


def test_the_locale_picks_chinese_too(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CREDITDESK_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = demo_cli("approvals", "show", "AR-999", "--as", "lead.north")
    assert "未找到申请 AR-999" in out.output, out.output


def test_english_by_default(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("CREDITDESK_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    out = demo_cli("approvals", "show", "AR-999", "--as", "lead.north")
    assert out.exit_code == 3 and "request AR-999 not found" in out.output, out.output
