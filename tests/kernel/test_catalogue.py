from __future__ import annotations

import re

import pytest

from kernel import catalogue


def test_every_key_in_both_languages_with_the_same_placeholders() -> None:
    for key in sorted(catalogue.keys()):
        en = catalogue.template(key, "en")
        zh = catalogue.template(key, "zh")
        assert en.strip() and zh.strip(), key
        assert catalogue.placeholders(en) == catalogue.placeholders(zh), key


def test_text_fills_placeholders_and_unknown_key_raises() -> None:
    assert catalogue.text("common.shown_of_total", "en", shown=20, total=73) == "20 of 73"
    assert catalogue.text("common.shown_of_total", "zh-CN", shown=20, total=73) == "共 73 项，显示 20 项"
    with pytest.raises(catalogue.MissingMessage):
        catalogue.text("common.no_such_key", "en")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is ACME's utilisation?", "en"),
        ("ACME 最近风险怎么样?", "zh"),
        ("那 Globex 呢?", "zh"),
        ("帮我起草一份季度复审报告", "zh"),
        ("util for globex pls", "en"),
        # a Chinese question that is mostly Latin (names, abbreviations) is still Chinese
        ("Iron Distribution LLC 的DSCR", "zh"),
        ("Sterling Stores 呢？", "zh"),
        ("F-1003-2 余额", "zh"),
        # a Chinese name quoted in an English question is not
        ("is '华为技术' one of our clients?", "en"),
        ("any client called “中远”", "en"),
    ],
)
def test_detect_language(question: str, expected: str) -> None:
    assert catalogue.detect_language(question) == expected


def test_english_messages_hold_no_chinese_and_chinese_ones_are_chinese() -> None:
    cjk = re.compile(r"[\u3400-\u9fff]")
    switch = {"pages.lang_switch"}  # the language switch names the other language in that language: 中文
    for key in sorted(catalogue.keys() - switch):
        assert not cjk.search(catalogue.template(key, "en")), key
    # every engine message (warnings, notes, reasons, limits, proposals) has Chinese words in Chinese
    every = set(catalogue.keys())
    for key in sorted(k for k in every if k.startswith("engine.")):
        assert cjk.search(catalogue.template(key, "zh")), key


def test_a_warning_and_a_reason_code_rendered_from_code_and_params() -> None:
    # the engine stores codes and JSON parameters; the sentences below are written by hand
    warning = {"key": "engine.warning.review_overdue", "params": {"value": 155.0, "date": "2026-06-26"}}
    assert catalogue.render(warning, "zh") == "定期复审已逾期 155 天（应于 2026年6月26日 完成）"
    assert catalogue.render(warning, "en") == "periodic review 155 days overdue (due 26 Jun 2026)"
    reason = {"key": "engine.reason.factor",
              "params": {"factor": "debt_to_ebitda", "shown": {"v": 1.79, "unit": "x"}, "lost": 3.0}}  # fmt: skip
    assert catalogue.render(reason, "zh") == "债务 / EBITDA 1.79 倍（扣 3 分）"
    assert catalogue.render(reason, "en") == "Debt / EBITDA 1.79x (−3 points)"
    na = {"key": "engine.reason.factor",
          "params": {"factor": "debt_to_ebitda", "shown": {"key": "engine.na.ebitda_not_positive"}, "lost": 12.0}}  # fmt: skip
    assert catalogue.render(na, "zh") == "债务 / EBITDA 不适用（EBITDA 非正）（扣 12 分）"


def test_render_names_codes_dates_and_lists_in_the_readers_language() -> None:
    room = {"key": "constraint.conc_sector_room",
            "params": {"dimension": "size_segment", "bucket": "small", "ccy": "USD", "room": 1250000.0, "limit": 0.5}}  # fmt: skip
    assert (
        catalogue.render(room, "zh") == "企业规模“小型”距 50.0% 上限尚余 USD 1,250,000：额度最多可增加该金额"
    )
    assert "size segment 'small'" in catalogue.render(room, "en")
    blocked = {"key": "engine.proposal.room_but", "params": {"blockers": [
        {"key": "engine.proposal.blocker.warnings"}, {"key": "engine.proposal.blocker.utilisation", "params": {"min": 0.6}}]}}  # fmt: skip
    assert catalogue.render(blocked, "zh") == "有提额空间，但存在未解除的预警，使用率低于 60%"
    assert catalogue.render(blocked, "en") == "room to increase, but warnings are open, utilisation below 60%"
    assert (
        catalogue.fmt_month("2026-10", "zh") == "2026年10月"
        and catalogue.fmt_date("2026-03-01", "en") == "01 Mar 2026"
    )


def test_a_message_stored_under_an_older_entry_falls_back_to_its_stored_text() -> None:
    from kernel.catalogue import render_each, render_or

    # stored before `engine.note.cover_gap` gained its currency: {"gap": …} only
    old = {"key": "engine.note.cover_gap", "params": {"gap": 823031}}
    assert render_or(old, "coverage gap of 823,031", "zh") == "coverage gap of 823,031"
    assert render_each([old], ["coverage gap of 823,031"], "zh") == ["coverage gap of 823,031"]
    new = {"key": "engine.note.cover_gap", "params": {"gap": 823031, "ccy": "USD"}}
    assert render_or(new, "unused", "zh") == "保障缺口 USD 823,031"
