"""The memo service: draft a periodic review memo from tool results, render it, keep its versions.

memos = MemoService(engine=db, adapter=adapter, credit_engine=credit_engine, policy_store=kb, audit=audit)
memo = memos.draft_review_memo(actor, 1001, as_of=d, language="en")   # saved as a new draft version
pdf = memos.render(memo, "pdf")                                         # md | html | docx | pdf → bytes
memos.submit(actor, memo.memo_id)                                       # draft → submitted (review recorded)
memos.approve(actor, memo.memo_id)                                      # submitted → approved (maker-checker)
memos.attachable(actor, memo_id, client_id=1001)                        # for an approval request
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine

from crm_adapter.enums import Role
from crm_adapter.protocol import CRMAdapter
from kernel.catalogue import code_name, text
from kernel.errors import Conflict, Forbidden, InvalidInput
from knowledge.access import PUBLIC_ACCESS
from tools.access import get_client_for, require_role
from tools.actor import Actor
from tools.engine.results import ClientAssessment
from tools.engine.review_runs import PreviousResult, ReviewRunStore
from tools.engine.service import CreditEngine
from tools.memos.builder import MemoInputs, build_memo
from tools.memos.models import FORMATS, LANGUAGES, Citation, Format, Language, Memo, MemoVersion
from tools.memos.narrative import Narrator, apply_narrative
from tools.memos.render_md_html import render_markdown
from tools.memos.store import MemoStore
from tools.statements.indicators import analysis_of

MAX_HISTORY = 8  # earlier review runs shown in the utilisation trend
MAX_CONTACTS = 5
MAX_CITATIONS = 6
HITS_PER_QUERY = 2
APPROVER_ROLES = (Role.APPROVER, Role.ADMIN)
MEMO_AUTHORS = (Role.RM, Role.ANALYST, Role.APPROVER, Role.RISK, Role.ADMIN)


class PolicySearch(Protocol):
    def search(self, query: str, *, k: int = 5, access_tags: Any = None) -> list[Any]: ...


class Audit(Protocol):
    def record(
        self, *, actor: Actor | None, action: str, object_type: str, object_id: str, **kwargs: Any
    ) -> Any: ...


class MemoService:
    def __init__(
        self,
        *,
        engine: Engine,
        adapter: CRMAdapter,
        credit_engine: CreditEngine,
        policy_store: PolicySearch | None = None,
        audit: Audit | None = None,
        narrator: Narrator | None = None,
        runs: ReviewRunStore | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.store = MemoStore(engine)
        self.adapter = adapter
        self.credit_engine = credit_engine
        self.policy_store = policy_store
        self.audit = audit
        self.narrator = narrator
        self.runs = runs if runs is not None else credit_engine.runs
        self.today = today

    # --- drafting -------------------------------------------------------------------------------
    def draft_review_memo(
        self,
        actor: Actor,
        client_id: int,
        *,
        as_of: dt.date | None = None,
        language: Language = "en",
        new_version: bool = False,
    ) -> Memo:
        """Build the memo from the engine's assessment and history, narrate it, save it as a new draft.

        A draft built from the same figures (same data snapshot, language and as-of date) as the client's
        latest version, still a draft, is that version: exporting a memo again, in another format, does not
        make a new version. `new_version=True` saves a new one regardless."""
        require_role(actor, MEMO_AUTHORS, "drafting a review memo")  # auditors read, they do not write
        if language not in LANGUAGES:
            raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}", field="language")
        as_of = as_of or self.today()
        assessment = self.credit_engine.assess_client(actor, client_id, as_of=as_of)  # checks scope
        inputs = MemoInputs(
            assessment=assessment,
            history=self._history(client_id, as_of),
            contacts=self._contacts(client_id, as_of),
            # A memo is read by everyone who may see the client, so it cites only documents all may read.
            citations=self._citations(assessment, access_tags=frozenset({PUBLIC_ACCESS}), language=language),
            language=language,
            created_by=actor.officer_id,
            prepared_by=f"{actor.name} ({actor.officer_id})",
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            bank_statements=analysis_of(
                self.adapter,
                client_id,
                as_of=as_of,  # statements (bank-flow section)
                policy=self.credit_engine.policy.statements,
            ),
        )
        built = build_memo(inputs)
        if not new_version and (same := self._unchanged_draft(built, actor)) is not None:
            return same.model_copy(update={"text": same.text or render_markdown(same)})
        memo = apply_narrative(built, self.narrator)
        memo = self.store.add(memo, created_by=actor.officer_id)
        memo = memo.model_copy(update={"text": render_markdown(memo)})
        self._record(actor, "memo.saved", memo)
        return memo

    def _unchanged_draft(self, memo: Memo, actor: Actor) -> Memo | None:
        versions = self.store.versions(memo.client_id)
        latest = versions[0] if versions else None
        if (latest is None or latest.status != "draft" or latest.snapshot_sha256 != memo.snapshot_sha256
                or latest.language != memo.language or latest.as_of != memo.as_of
                or latest.created_by != actor.officer_id):  # fmt: skip
            return None
        return self.store.get(latest.memo_id)

    def _history(self, client_id: int, as_of: dt.date) -> list[PreviousResult]:
        out: list[PreviousResult] = []
        before = as_of
        while self.runs is not None and len(out) < MAX_HISTORY:
            prev = self.runs.previous_result(client_id, before=before)
            if prev is None:
                break
            out.append(prev)
            before = prev.as_of
        return out

    def _contacts(self, client_id: int, as_of: dt.date) -> list[Any]:
        contacts = [c for c in self.adapter.get_contacts(client_id) if c.contact_date <= as_of]
        return sorted(contacts, key=lambda c: c.contact_date, reverse=True)[:MAX_CONTACTS]

    def _citations(self, a: ClientAssessment, *, access_tags: frozenset[str], language: Language = "en"
                   ) -> list[Citation]:  # fmt: skip
        """Policy passages for the memo, asked in the memo's language (a Chinese memo cites the Chinese
        policy summary first; the store answers in the question's language)."""
        if self.policy_store is None:
            return []

        def q(key: str, **values: object) -> str:
            return text(f"memo.query.{key}", language, **values)

        queries = [q("review", grade=a.rating.grade)]
        if a.limit.binding:
            queries.append(q("limit", constraint=code_name("constraint", a.limit.binding, language)))
        queries += [q("warning", indicator=code_name("indicator", w.indicator, language),
                      level=code_name("level", w.level, language)) for w in a.warnings[:2]]  # fmt: skip
        if a.insurance.required:
            queries.append(q("insurance"))
        if a.proposal.action in ("increase", "decrease", "freeze"):
            queries.append(q("authority", action=code_name("action", a.proposal.action, language)))
        out: list[Citation] = []
        seen: set[str] = set()
        for q in queries:
            for hit in self.policy_store.search(q, k=HITS_PER_QUERY, access_tags=access_tags):
                key = str(getattr(hit, "chunk_id", "")) or f"{hit.document}|{hit.section}|{hit.page}"
                if key in seen or len(out) >= MAX_CITATIONS:
                    continue
                seen.add(key)
                out.append(
                    Citation(
                        n=len(out) + 1,
                        document=str(hit.document),
                        section=str(hit.section),
                        page=hit.page,
                        text=str(hit.text),
                        chunk_id=key,
                    )
                )
        return out

    # --- rendering ------------------------------------------------------------------------------
    def render(self, memo: Memo, fmt: Format) -> bytes:
        """The memo as Markdown, self-contained HTML, DOCX or PDF (charts drawn once per memo)."""
        if fmt not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")
        if fmt == "md":
            return (memo.text or render_markdown(memo)).encode("utf-8")
        from tools.memos.charts import chart_pngs

        charts = chart_pngs(memo)
        if fmt == "html":
            from tools.memos.render_md_html import render_html

            return render_html(memo, charts).encode("utf-8")
        if fmt == "docx":
            from tools.memos.export_docx import export_docx

            return export_docx(memo, charts)
        from tools.memos.export_pdf import export_pdf

        return export_pdf(memo, charts)

    # --- versions -------------------------------------------------------------------------------
    def list_versions(self, actor: Actor, client_id: int) -> list[MemoVersion]:
        get_client_for(actor, self.adapter, client_id)
        return self.store.versions(client_id)

    def get(self, actor: Actor, memo_id: int) -> Memo:
        memo = self.store.get(memo_id)
        get_client_for(actor, self.adapter, memo.client_id)
        return memo.model_copy(update={"text": render_markdown(memo)})

    def submit(self, actor: Actor, memo_id: int) -> Memo:
        """draft → submitted, by the memo's author, the client's relationship manager or an admin; the
        completed review restarts the client's review cycle. A submitted version is never changed again
        (drafting after it makes a new version, a new draft)."""
        current = self.store.get(memo_id)
        client = get_client_for(actor, self.adapter, current.client_id)  # scope first: out of it is NotFound
        if actor.officer_id not in (current.created_by, client.officer_id) and actor.role != Role.ADMIN:
            raise Forbidden(
                f"only the memo's author ({current.created_by}) or the client's relationship manager "
                f"({client.officer_id}) submits it"
            )
        memo = self.store.advance(memo_id, "submitted")
        if self.runs is not None:
            self.runs.record_review(
                memo.client_id, memo.as_of, actor.officer_id, source="memo", ref=str(memo_id)
            )
        self._record(actor, "memo.submitted", memo)
        return memo

    def approve(self, actor: Actor, memo_id: int) -> Memo:
        """submitted → approved, by an approver other than the memo's author (maker-checker)."""
        require_role(actor, APPROVER_ROLES, "approving a review memo")
        current = self.get(actor, memo_id)
        if current.created_by == actor.officer_id:
            raise Forbidden("the author of a memo cannot approve it")
        memo = self.store.advance(memo_id, "approved")
        self._record(actor, "memo.approved", memo)
        return memo

    def attachable(self, actor: Actor, memo_id: int, *, client_id: int) -> Memo:
        """The memo an approval request may carry: submitted (or approved) and about the same client."""
        memo = self.get(actor, memo_id)
        if memo.client_id != client_id:
            raise InvalidInput(
                f"memo {memo_id} is about client {memo.client_id}, not {client_id}", field="memo_id"
            )
        if memo.status == "draft":
            raise Conflict(f"memo {memo_id} is a draft; submit it before attaching it to a request")
        return memo

    def _record(self, actor: Actor, action: str, memo: Memo) -> None:
        if self.audit is None:
            return
        self.audit.record(
            actor=actor,
            action=action,
            object_type="memo",
            object_id=str(memo.memo_id),
            channel=actor.channel,
            after={
                "client_id": memo.client_id,
                "version": memo.version,
                "status": memo.status,
                "language": memo.language,
                "as_of": memo.as_of.isoformat(),
                "snapshot_sha256": memo.snapshot_sha256,
                "narrator": memo.narrator,
            },
            policy_version=policy_stamp(memo),
        )


def policy_stamp(memo: Memo) -> str:
    """`version#<12 hex of the policy's content hash>` the memo was built under (version alone if unknown)."""
    digest = str((memo.data or {}).get("assessment", {}).get("policy_hash") or "")
    return f"{memo.policy_version}#{digest[:12]}" if digest else memo.policy_version
