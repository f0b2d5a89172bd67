"""Policy passages quoted as plain sentences, cut between words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.passages import excerpt, plain_text


def test_markdown_tables_in_policy_excerpts_read_as_plain_text() -> None:
    zh = "| 评级 | 评估频率 |\n|---|---|\n| 9–10级 | 每3个月 |"
    assert plain_text(zh, "zh") == "评级：9–10级；评估频率：每3个月。"
    en = "| Grades | Review every |\n|:---|---:|\n| 9–10 | 3 months |\n| 1–6 | 12 months |"
    assert (
        plain_text(en, "en") == "Grades: 9–10; Review every: 3 months. Grades: 1–6; Review every: 12 months."
    )
    assert (
        plain_text("- Increase: above 15%.\n- Decrease: below.", "en")
        == "Increase: above 15%. Decrease: below."
    )


@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=1, max_size=80))
def test_policy_excerpts_end_between_words(words: list[str]) -> None:
    text = " ".join(words)
    out = excerpt(text, limit=60)
    assert len(out) <= 60
    if len(text) <= 60:
        assert out == text
        return
    kept = out.removesuffix("…").split(" ")
    prefix = words[: len(kept)]
    # every word kept is whole, except a single word longer than half the limit (cut, with an ellipsis)
    assert kept[:-1] == prefix[:-1]
    assert kept[-1] == prefix[-1] or (len(kept) == 1 and len(words[0]) > 30)


def test_the_assistant_quotes_a_policy_table_as_sentences() -> None:
    from bot.brains.offline.templates import policy
    from tools.assistant_tools.models import PolicyPassage, PolicySearch

    table = "| 预警指标 | 黄色 | 红色 |\n|---|---|---|\n| 信用保险 | 60天内到期 | 保险失效而额度仍在使用 |"
    listed = "- 增加:建议额度高于现有额度15%以上时,提出增额建议。\n- 冻结:逾期60天及以上时,冻结额度。"
    found = PolicySearch(
        query="超额",
        passages=[PolicyPassage(document="d", text=table), PolicyPassage(document="d", text=listed)],
    )
    head, first, second = policy(found, 1, "zh")
    assert (
        "预警指标：信用保险；黄色：60天内到期；红色：保险失效而额度仍在使用。" in first and "|" not in first
    )
    assert "增加:建议额度高于现有额度15%以上时,提出增额建议。 冻结:逾期60天及以上时,冻结额度。" in second
    assert "- " not in second
