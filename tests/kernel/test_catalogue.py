from __future__ import annotations

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
    ],
)
def test_detect_language(question: str, expected: str) -> None:
    assert catalogue.detect_language(question) == expected
