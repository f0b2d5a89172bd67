"""Review memos: built from the engine's results, rendered in every format, guarded narrative, versions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from kernel.errors import Conflict, Forbidden, InvalidInput
from tests.conftest import AS_OF, actor_of
from tools.access import OutOfScope
from tools.memos.builder import sha256_of
from tools.memos.models import Memo
from tools.memos.narrative import TemplateNarrator, apply_narrative, invented_numbers, memo_numbers
from tools.memos.service import MemoService

ACME, GLOBEX, INITECH = 1001, 1003, 1004
SECTIONS = [
    "executive_summary", "changes", "exposure", "financials", "flows", "repayment", "reputation", "rating",
    "warnings", "concentration", "insurance", "contacts", "limit", "policy_refs", "conditions", "signoff",
]  # fmt: skip


@pytest.fixture
def memos(demo_container) -> MemoService:  # type: ignore[no-untyped-def]
    return demo_container.memos


def test_memo_has_every_section_and_its_figures_are_the_engines(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    actor = actor_of(demo_container, "rm.anna")
    memo = memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF)
    assessment = demo_container.credit_engine.assess_client(actor, GLOBEX, as_of=AS_OF)

    assert [s.key for s in memo.sections] == SECTIONS
    assert (memo.memo_id, memo.version, memo.status) == (memo.memo_id, 1, "draft")
    assert memo.data["assessment"] == assessment.model_dump(mode="json")
    assert memo.snapshot_sha256 == sha256_of(memo.data)
    summary = memo.section("executive_summary")
    assert summary.fact("current_limit").raw == assessment.limit.current_limit  # type: ignore[union-attr]
    assert summary.fact("grade").raw == assessment.rating.grade  # type: ignore[union-attr]
    assert f"{assessment.exposure.total_limit:,.0f}" in memo.section("exposure").facts[0].value
    limit_rows = memo.section("limit").tables[0].rows
    assert [r[0] for r in limit_rows] == [c.label for c in assessment.limit.constraints]
    assert memo.section("financials").tables and memo.section("financials").narrative
    assert "Executive summary" in memo.text and "Globex Trading" in memo.text


def test_sparse_client_gets_a_complete_memo_that_says_what_is_missing(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    memo = memos.draft_review_memo(actor_of(demo_container, "rm.anna"), ACME, as_of=AS_OF)  # no statements
    assert memo.section("financials").missing
    # the CRM records ACME's last review but no figures were stored with it: not a "first review" (issue #15)
    assert "the last review was on" in memo.section("changes").bullets[0].lower()
    assert "nothing to compare" in memo.section("changes").bullets[0]
    refs = memo.section("policy_refs")  # the shipped policy manual is cited, clause by clause
    assert refs.bullets and refs.bullets[0].startswith("[1] Credit Policy Manual")
    risk = actor_of(demo_container, "risk.lee")
    adapter = demo_container.adapter
    no_flows = next(c.client_id for c in adapter.list_clients() if not adapter.get_bank_flows(c.client_id))
    sparse = memos.draft_review_memo(risk, no_flows, as_of=AS_OF)
    assert sparse.section("flows").missing
    assert [s.key for s in sparse.sections] == SECTIONS
    for fmt in ("md", "html", "docx", "pdf"):
        assert memos.render(sparse, fmt)


def test_changes_since_the_previous_review_run_and_utilisation_chart(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    engine = demo_container.credit_engine
    earlier = dt.date(2026, 5, 28)
    demo_container.review_runs.save(engine.assess_portfolio(demo_container.adapter.snapshot(as_of=earlier)))
    memo = memos.draft_review_memo(actor_of(demo_container, "rm.anna"), INITECH, as_of=AS_OF)
    changes = memo.section("changes")
    assert changes.fact("previous_review").value == "28 May 2026"  # type: ignore[union-attr]
    assert changes.tables[0].rows[0][0] == "Grade"
    assert {c.key for c in memo.charts} >= {"utilisation"}
    assert memo.data["previous"]["as_of"] == earlier.isoformat()


def test_renders_md_html_docx_pdf_in_english_and_chinese(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    actor = actor_of(demo_container, "rm.anna")
    memo = memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF)
    html = memos.render(memo, "html").decode()
    assert "data:image/png;base64," in html and "http://" not in html and "https://" not in html
    assert memos.render(memo, "docx")[:2] == b"PK"
    pdf = memos.render(memo, "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Globex Trading" in text and "Limit recommendation" in text and "Page 1" in text
    zh = memos.draft_review_memo(actor, GLOBEX, as_of=AS_OF, language="zh")
    assert "执行摘要" in memos.render(zh, "md").decode()
    assert "执行摘要" in memos.render(zh, "html").decode()
    assert memos.render(zh, "pdf")[:4] == b"%PDF"
    with pytest.raises(InvalidInput):
        memos.render(memo, "rtf")  # type: ignore[arg-type]


class _Fake:
    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text

    def write(self, memo: Memo) -> dict[str, list[str]]:
        return {"executive_summary": [self.text]}


def test_number_guard_refuses_invented_figures_and_keeps_grounded_ones(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    memo = memos.draft_review_memo(actor_of(demo_container, "rm.anna"), GLOBEX, as_of=AS_OF)
    template = TemplateNarrator().write(memo)
    assert invented_numbers(template, memo_numbers(memo)) == []  # the template itself is grounded

    invented = apply_narrative(memo, _Fake("fake", "Utilisation jumped to 73.9% on sales of USD 9,999,999."))
    assert invented.narrator == "template"
    assert invented.section("executive_summary").narrative == template["executive_summary"]
    assert "9999999" in invented.narrative_notes[-1] and "73.9" in invented.narrative_notes[-1]

    limit = memo.section("executive_summary").fact("current_limit").value  # type: ignore[union-attr]
    grounded = apply_narrative(memo, _Fake("fake", f"The current limit of {limit} is well used."))
    assert grounded.narrator == "fake"
    assert grounded.section("executive_summary").narrative == [f"The current limit of {limit} is well used."]

    class _Down(_Fake):
        def write(self, memo: Memo) -> dict[str, list[str]]:
            raise TimeoutError("model endpoint timed out")

    assert apply_narrative(memo, _Down("down", "")).narrator == "template"


def test_versions_submit_approve_and_attach(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    rm, lead = actor_of(demo_container, "rm.anna"), actor_of(demo_container, "lead.north")
    first = memos.draft_review_memo(rm, GLOBEX, as_of=AS_OF)
    # the same figures again are the same draft (issue #15: exporting again made a new version) ...
    assert memos.draft_review_memo(rm, GLOBEX, as_of=AS_OF).memo_id == first.memo_id
    # ... unless a new version is asked for
    second = memos.draft_review_memo(rm, GLOBEX, as_of=AS_OF, new_version=True)
    assert [v.version for v in memos.list_versions(rm, GLOBEX)] == [2, 1]
    assert memos.get(rm, first.memo_id).snapshot_sha256 == first.snapshot_sha256  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        memos.attachable(rm, second.memo_id, client_id=GLOBEX)  # type: ignore[arg-type]
    with pytest.raises(Forbidden, match="author"):
        memos.submit(lead, second.memo_id)  # type: ignore[arg-type]  # only the author submits
    submitted = memos.submit(rm, second.memo_id)  # type: ignore[arg-type]
    assert submitted.status == "submitted"
    assert memos.attachable(rm, second.memo_id, client_id=GLOBEX).status == "submitted"  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        memos.attachable(rm, second.memo_id, client_id=ACME)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        memos.submit(rm, second.memo_id)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        memos.approve(rm, second.memo_id)  # type: ignore[arg-type]
    assert memos.approve(lead, second.memo_id).status == "approved"  # type: ignore[arg-type]
    reviews = demo_container.review_runs.last_reviews(on_or_before=AS_OF, client_ids=[GLOBEX])
    assert reviews.index.tolist() == [GLOBEX]


def test_the_clients_rm_submits_an_analysts_draft_and_it_never_changes_after(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    analyst, rm = actor_of(demo_container, "analyst.north"), actor_of(demo_container, "rm.anna")
    assert demo_container.adapter.get_client(GLOBEX).officer_id == "rm.anna"
    draft = memos.draft_review_memo(analyst, GLOBEX, as_of=AS_OF)
    submitted = memos.submit(rm, draft.memo_id)  # type: ignore[arg-type]  # the client's RM, not the author
    assert (submitted.status, submitted.snapshot_sha256) == ("submitted", draft.snapshot_sha256)
    actions = [e.action for e in demo_container.audit.events_for("memo", str(draft.memo_id))]
    assert actions == ["memo.saved", "memo.submitted"]
    again = memos.draft_review_memo(analyst, GLOBEX, as_of=AS_OF)  # same figures, but no longer a draft
    assert (again.version, again.status) == (draft.version + 1, "draft")
    assert memos.get(rm, draft.memo_id).status == "submitted"  # type: ignore[arg-type]


def test_scope_is_enforced(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    other_team = next(
        o for o in demo_container.adapter.list_officers() if o.role == "rm" and o.team != "North"
    )
    with pytest.raises(OutOfScope):  # a NotFound, exactly like a missing client (issue 17)
        memos.draft_review_memo(actor_of(demo_container, other_team.officer_id), GLOBEX, as_of=AS_OF)


def test_auditors_read_memos_but_do_not_draft_them(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden, match="drafting a review memo"):
        memos.draft_review_memo(actor_of(demo_container, "audit.ravi"), GLOBEX, as_of=AS_OF)


def test_a_memo_cites_only_documents_everyone_who_reads_it_may_read(demo_container, memos, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from knowledge.ingest import ingest_paths

    doc = tmp_path / "risk-review-annex.md"
    doc.write_text(
        "# Risk review annex\n\n## 1 Periodic credit review frequency\n\n"
        + " ".join(
            f"Periodic credit review frequency for grade {g}: restricted risk guidance." for g in range(1, 11)
        )
        + "\n"
    )
    assert not ingest_paths(demo_container.policy_store, [doc], access="risk").failed
    risk = actor_of(demo_container, "risk.lee")
    hits = demo_container.policy_store.search(
        "periodic credit review frequency for grade 2", k=2, access_tags=frozenset({"all", "risk"})
    )
    assert any("annex" in str(h.document).lower() for h in hits)  # risk would be shown it in a search
    memo = memos.draft_review_memo(risk, GLOBEX, as_of=AS_OF)
    refs = " ".join(memo.section("policy_refs").bullets)
    assert refs and "annex" not in refs.lower()  # but the memo, read by Globex's team too, does not cite it


def test_concurrent_drafts_and_approvals_of_one_client(demo_container, memos) -> None:  # type: ignore[no-untyped-def]
    import threading

    rm, lead, bu = (actor_of(demo_container, o) for o in ("rm.anna", "lead.north", "bu.head"))
    drafts: list[Memo] = []
    workers = [threading.Thread(target=lambda: drafts.append(memos.draft_review_memo(rm, INITECH, as_of=AS_OF, new_version=True)))
               for _ in range(3)]  # fmt: skip
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(d.version for d in drafts) == [1, 2, 3]  # each got its own number, none failed
    memo_id = drafts[0].memo_id
    memos.submit(rm, memo_id)  # type: ignore[arg-type]
    outcomes: list[str] = []

    def approve(who) -> None:  # type: ignore[no-untyped-def]
        try:
            memos.approve(who, memo_id)  # type: ignore[arg-type]
            outcomes.append("approved")
        except Conflict:
            outcomes.append("conflict")

    pair = [threading.Thread(target=approve, args=(a,)) for a in (lead, bu)]
    for t in pair:
        t.start()
    for t in pair:
        t.join()
    assert sorted(outcomes) == ["approved", "conflict"]
