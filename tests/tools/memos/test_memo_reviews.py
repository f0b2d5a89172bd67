"""Memo review dates and versions (issue #15): the last review date counts, the next review is counted
from this review, and exporting a memo again (another format) is not a new version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from tests.conftest import AS_OF, actor_of

GLOBEX = 1003


def _last_review(c, when: str) -> None:  # type: ignore[no-untyped-def]
    with c.engine.begin() as conn:
        conn.execute(
            text("UPDATE clients SET last_review_date = :d WHERE client_id = :c"), {"d": when, "c": GLOBEX}
        )
    c.adapter.mark_changed()


def test_a_recorded_last_review_is_not_a_first_review(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    _last_review(c, "2026-05-10")  # the CRM records a review; no review run holds its figures
    memo = c.memos.draft_review_memo(actor_of(c, "rm.anna"), GLOBEX, as_of=AS_OF)
    assert "first review" not in memo.header.facts[3].value  # review type
    changes = memo.section("changes")
    assert changes.fact("previous_review").value == "10 May 2026"  # type: ignore[union-attr]
    assert any(
        "The last review was on 10 May 2026" in b and "as of 28 Nov 2026" in b for b in changes.bullets
    )


def test_changes_say_which_run_they_compare_with(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    earlier = dt.date(2026, 3, 31)
    c.review_runs.save(c.credit_engine.assess_portfolio(c.adapter.snapshot(as_of=earlier)))
    _last_review(c, "2026-05-10")  # later than the run: the memo says it compares with the older run
    memo = c.memos.draft_review_memo(actor_of(c, "rm.anna"), GLOBEX, as_of=AS_OF)
    bullets = memo.section("changes").bullets
    assert any("last review was on 10 May 2026" in b and "of 31 Mar 2026" in b for b in bullets)


def test_next_review_is_counted_from_this_review(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    _last_review(c, "2025-01-15")  # long overdue: the engine's due date (2026-01-15) is in the past
    actor = actor_of(c, "rm.anna")
    months = c.credit_engine.assess_client(actor, GLOBEX, as_of=AS_OF).review.frequency_months
    memo = c.memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF)
    # 28 Nov 2026 + 12 months = 28 Nov 2027; + 6 = 28 May 2027; + 3 = 28 Feb 2027 (day 28 exists in each)
    expected = {12: "28 Nov 2027", 6: "28 May 2027", 3: "28 Feb 2027"}[months]
    conditions = memo.section("conditions").bullets
    assert any(f"Next periodic review due {expected}" in b for b in conditions)
    assert not any("Next periodic review due 15 Jan 2026" in b for b in conditions)


def test_exporting_again_in_another_format_is_not_a_new_version(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    actor = actor_of(c, "rm.anna")
    first = c.memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF)
    c.memos.render(first, "md")
    again = c.memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF)  # `creditdesk memo 1003 -o x.html` again
    assert again.memo_id == first.memo_id and again.version == 1
    assert c.memos.render(again, "html").startswith(b"<!")
    assert [v.version for v in c.memos.list_versions(actor, GLOBEX)] == [1]


def test_the_memo_and_its_audit_event_record_the_policy_hash(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    memo = c.memos.draft_review_memo(actor_of(c, "rm.anna"), GLOBEX, as_of=AS_OF)
    digest = c.credit_engine.policy.content_hash
    fact = next(f for f in memo.header.facts if f.key == "policy_version")
    assert fact.value == f"{c.credit_engine.policy.version} #{digest[:12]}"
    (saved,) = c.audit.events_for("memo", str(memo.memo_id))
    assert saved.policy_version == f"{c.credit_engine.policy.version}#{digest[:12]}"
