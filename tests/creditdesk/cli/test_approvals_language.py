"""`approvals raise --preview`, `show` and `list` in the user's language (#18): every line from the message
catalogue, engine codes by their names (no `no_increase`, `increase`, `pending`), users' text never read as
console markup. Expected sentences written by hand from the demo book: ACME Holdings (1001), grade 8,
facilities F-1001-1 (limit 240,000) and F-1001-2 (250,000); at grade 8 no increase is allowed, so the
recommendation is the current total, 490,000."""

from __future__ import annotations

import re

import pytest

RAISE = ("approvals", "raise", "1001", "--facility", "F-1001-1", "--new-limit", "300k", "--as", "rm.anna")
# what may stay in Latin letters on a Chinese screen: names, ids, currency, officer ids, the policy version
LATIN_OK = re.compile(
    r"ACME|Holdings|Anna|Keller|rm\.anna|USD|AR-\d+|F-1001-\d|default|UTC|\[bold\]|seasonal"
)


def _latin_words(out: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z_]{3,}", LATIN_OK.sub(" ", out))]


def test_the_preview_in_chinese(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_LANG", "zh")
    out = demo_cli(*RAISE, "--reason", "seasonal", "--preview")
    assert out.exit_code == 0, out.output
    assert "预览（未保存）：ACME Holdings（1001）额度 F-1001-1 的提额申请" in out.output
    assert "额度 USD 240,000.00 → 300,000.00" in out.output
    assert "建议：USD 490,000.00（该评级不得提额）" in out.output
    assert "第 1 步：" in out.output and "审批路径：" in out.output
    assert _latin_words(out.output) == [], out.output


def test_the_preview_in_english_names_codes_by_their_names(demo_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_LANG", "en")
    out = demo_cli(*RAISE, "--reason", "seasonal", "--preview")
    assert out.exit_code == 0, out.output
    assert "Preview (nothing written): increase for ACME Holdings (1001), facility F-1001-1" in out.output
    assert "recommendation: USD 490,000.00 (No increase at this grade)" in out.output
    assert "no_increase" not in out.output


def test_show_and_list_in_chinese_and_the_reason_is_printed_as_written(
    demo_cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_LANG", "zh")
    raised = demo_cli(*RAISE, "--reason", "[bold]seasonal[/bold] stock", "--json")
    assert raised.exit_code == 0, raised.output
    request_id = re.search(r'"request_id": "(AR-\d+)"', raised.output).group(1)  # type: ignore[union-attr]
    out = demo_cli("approvals", "show", request_id, "--as", "rm.anna")
    assert out.exit_code == 0, out.output
    assert f"{request_id} ACME Holdings（1001）额度 F-1001-1 的提额申请" in out.output
    assert "[bold]seasonal[/bold] stock" in out.output  # the officer's own words, not console markup
    assert "— 审批中，已批准 0/1" in out.output  # the open first step
    assert "状态：审批中" in out.output
    assert _latin_words(out.output.replace("[/bold]", " ").replace("stock", " ")) == [], out.output
    mine = demo_cli("approvals", "list", "--mine", "--as", "rm.anna")
    assert mine.exit_code == 0 and "审批中" in mine.output and "提额" in mine.output, mine.output
    assert "pending" not in mine.output and "increase" not in mine.output


def test_remind_lists_an_overdue_step_in_chinese(
    demo_cli, demo_container, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    monkeypatch.setenv("CREDITDESK_LANG", "zh")
    none = demo_cli("approvals", "remind")
    assert none.exit_code == 0 and "没有超时的审批步骤" in none.output, none.output
    raised = demo_cli(*RAISE, "--reason", "seasonal", "--json")
    request_id = re.search(r'"request_id": "(AR-\d+)"', raised.output).group(1)  # type: ignore[union-attr]
    with demo_container.engine.begin() as conn:  # the open step's SLA passed a day ago
        conn.execute(
            sa.text("UPDATE approval_steps SET due_at = '2026-01-01 09:30:00' WHERE status = 'open'")
        )
    out = demo_cli("approvals", "remind")
    assert out.exit_code == 0, out.output
    assert request_id in out.output and "审批中" in out.output and "自 2026-01-01 09:30 起超时" in out.output
