"""The application shell's wiring: builds engine, adapters, stores and services from Settings.

Lower layers never read settings; they receive what this container builds. Each component is
a cached property so a process builds it once and only when it is first needed (fast CLI start).
Add a component as a new cached property; keep each one small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from creditdesk.settings import Settings
from kernel import clock
from kernel.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from api.tokens import TokenService
    from bot.assistant import Assistant
    from crm_adapter.csv_import import ImportResult
    from crm_adapter.sql.store import SqlCRMAdapter
    from knowledge.store import PolicyStore
    from tools.actor import Actor
    from tools.approvals.service import ApprovalService
    from tools.assistant_tools import Toolbox
    from tools.audit.trail import AuditTrail
    from tools.engine.review_runs import ReviewRunStore
    from tools.engine.scorer import Scorer
    from tools.engine.service import CreditEngine
    from tools.memos.service import MemoService
    from tools.notify import Notifier
    from tools.policy.schema import Policy
    from tools.scoring_model.registry import ModelRegistry


DEMO_OFFICER = "rm.anna"  # the demo book's RM (team North) who owns client 1001 "ACME Holdings"
DEMO_CLIENT = 1001
WELCOME_LINK_TTL_S = 8 * 3600
MODEL_HISTORY_FILE = (
    "history.jsonl"  # tools.scoring_model.registry.HISTORY_FILE, without importing the registry
)


class DeferredPolicySearch:
    """The policy store for services that may never search it in a process (`creditdesk ask` about a
    client's utilisation): built, with Chroma, BM25 and the embedding model, on the first search only."""

    def __init__(self, build: Callable[[], PolicyStore]) -> None:
        self._build = build

    def search(self, query: str, *, k: int = 5, access_tags: Any = None) -> list[Any]:
        return self._build().search(query, k=k, access_tags=access_tags)


class Deferred:
    """A service built on its first use (an attribute read): the assistant's toolbox holds the approvals
    and memo services, which a turn about a client's utilisation never touches (their imports, ~0.2 s of a
    cold `creditdesk ask`, are paid by the turns that use them)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._build(), name)


@dataclass
class Container:
    settings: Settings
    _overrides: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Container:
        return cls(settings or Settings())

    # --- time ------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.settings.as_of or clock.today()

    # --- data ------------------------------------------------------------------------------
    @cached_property
    def engine(self) -> Engine:
        from crm_adapter.sql.db import make_engine

        return make_engine(self.settings.resolved_database_url)

    def migrate(self) -> None:
        from creditdesk.migrate import upgrade

        upgrade(self.engine)

    @cached_property
    def adapter(self) -> SqlCRMAdapter:
        from crm_adapter.sql.store import SqlCRMAdapter

        return SqlCRMAdapter(self.engine, reporting_currency=self.settings.reporting_currency)

    # --- credit engine (issue 11) ------------------------------------------------------------
    @cached_property
    def policy(self) -> Policy:
        from tools.policy.loader import load_policy

        return load_policy(self.settings.policy_path)

    @cached_property
    def scorer(self) -> Scorer | None:
        """The promoted scoring model, or None for the policy's expert scorecard."""
        if not (self.settings.home_dir / "models" / MODEL_HISTORY_FILE).exists():
            return None  # nothing was ever registered: no need to load the registry (a cold CLI start)
        return self.model_registry.promoted()

    @cached_property
    def model_registry(self) -> ModelRegistry:
        """Scoring models under HOME/models; promotions and retirements go to the audit trail."""
        from tools.scoring_model.registry import ModelRegistry

        return ModelRegistry(self.settings.home_dir / "models", audit=self.audit.record)

    @cached_property
    def review_runs(self) -> ReviewRunStore:
        from tools.engine.review_runs import ReviewRunStore

        return ReviewRunStore(self.engine, changes=self.adapter.changes)

    @cached_property
    def credit_engine(self) -> CreditEngine:
        from tools.engine.aggregates import AggregateStore
        from tools.engine.service import CreditEngine

        return CreditEngine(adapter=self.adapter, policy=self.policy, scorer=self.scorer, runs=self.review_runs,
                            aggregates=AggregateStore(self.engine))  # fmt: skip

    # --- approvals and audit (issue 7) ----------------------------------------------------------
    @cached_property
    def audit(self) -> AuditTrail:
        """The hash-chained, append-only audit trail; every event MAC'd with a key kept outside the
        database (HOME/audit-key, mode 0600) and checkpoints appended to HOME/audit-anchors.jsonl."""
        from creditdesk.settings import _home_secret
        from tools.audit.trail import AuditTrail

        home = self.settings.home_dir
        key = _home_secret(home / "audit-key").encode("utf-8")
        return AuditTrail(self.engine, key=key, anchor_path=home / "audit-anchors.jsonl")

    @cached_property
    def approvals(self) -> ApprovalService:
        from tools.approvals.service import ApprovalService

        return ApprovalService(engine=self.engine, adapter=self.adapter, credit_engine=self.credit_engine,
                               policy=self.policy, audit=self.audit, notifier=self.notifier, memos=self.memos,
                               today=self.today)  # fmt: skip

    # --- review memos (issue 6) -----------------------------------------------------------------
    @cached_property
    def memos(self) -> MemoService:
        from tools.memos.service import MemoService

        narrator = None
        if self.settings.llm_configured:
            from langchain_openai import ChatOpenAI

            from tools.memos.narrative import LlmNarrator

            api_key = self.settings.llm_api_key.get_secret_value() if self.settings.llm_api_key else "none"
            chat = ChatOpenAI(base_url=self.settings.llm_base_url, api_key=api_key, model=self.settings.llm_model,
                              timeout=self.settings.llm_timeout_s, temperature=0)  # fmt: skip
            narrator = LlmNarrator(chat)
        return MemoService(engine=self.engine, adapter=self.adapter, credit_engine=self.credit_engine,
                           policy_store=DeferredPolicySearch(lambda: self.policy_store), audit=self.audit,
                           narrator=narrator, runs=self.review_runs, today=self.today)  # fmt: skip

    @cached_property
    def notifier(self) -> Notifier:
        """Approval and alert notifications: Slack when SLACK_BOT_TOKEN is set, otherwise a no-op."""
        if self.settings.slack_bot_token is not None:
            from bot.slack.app import make_client
            from bot.slack.notifier import SlackNotifier

            return SlackNotifier(make_client(self), adapter=self.adapter, engine=self.engine,
                                 risk_channel=self.settings.slack_risk_channel)  # fmt: skip
        from tools.notify import NullNotifier

        return NullNotifier()

    @cached_property
    def tokens(self) -> TokenService:
        """Per-officer API tokens (hashed, revocable)."""
        from api.tokens import TokenService

        return TokenService(self.engine, changes=self.adapter.changes)

    # --- assistant (issue 5) ------------------------------------------------------------------
    @cached_property
    def assistant_tools(self) -> Toolbox:
        """The typed tools the assistant, API and CLI share (scope-checked per actor)."""
        from tools.assistant_tools import Toolbox

        return Toolbox(adapter=self.adapter, credit_engine=self.credit_engine, today=self.today,
                       policy_store=DeferredPolicySearch(lambda: self.policy_store),
                       approvals=Deferred(lambda: self.approvals), memos=Deferred(lambda: self.memos),
                       audit=Deferred(lambda: self.audit))  # fmt: skip

    @cached_property
    def assistant(self) -> Assistant:
        """The LLM agent when a model is configured (offline brain as its fallback), else the offline brain."""
        from bot.assistant import Assistant
        from bot.brains.offline.brain import OfflineBrain
        from bot.conversations import ConversationStore

        offline = OfflineBrain(
            self.assistant_tools, model_cache=self.settings.home_dir / "models" / "assistant"
        )
        conversations = ConversationStore(self.engine)
        if not self.settings.llm_configured:
            return Assistant(brain=offline, conversations=conversations, turn_scope=self.assistant_tools.turn)
        from bot.brains.llm.agent import LLMBrain, LLMConfig

        s = self.settings
        config = LLMConfig(base_url=str(s.llm_base_url), model=str(s.llm_model), timeout_s=s.llm_timeout_s,
                           api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else "none",
                           turn_deadline_s=s.llm_turn_deadline_s, context_tokens=s.llm_context_tokens,
                           max_tokens=s.llm_max_tokens)  # fmt: skip
        llm = LLMBrain(self.assistant_tools, config=config, checkpoint_url=self._checkpoint_url())
        return Assistant(brain=llm, fallback=offline, conversations=conversations,
                         turn_scope=self.assistant_tools.turn)  # fmt: skip

    def _checkpoint_url(self) -> str:
        """Where the agent's conversation memory lives: the app's PostgreSQL, or an SQLite file in HOME."""
        url = self.settings.resolved_database_url
        if url.startswith("postgresql"):
            return url
        return f"sqlite:///{self.settings.home_dir / 'conversations.db'}"

    # --- knowledge base (issue 4) --------------------------------------------------------------
    @cached_property
    def policy_store(self) -> PolicyStore:
        """Policy documents: Chroma (embedded in HOME, or CREDITDESK_CHROMA_URL) + BM25; seeds the manual."""
        from knowledge.client import chroma_client
        from knowledge.embeddings import make_embedding
        from knowledge.ingest import ensure_default_policies
        from knowledge.store import PolicyStore

        s, home = self.settings, self.settings.home_dir
        embedding = make_embedding(s.embedding, base_url=s.llm_base_url, model=s.embedding_model,
                                   api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else None)  # fmt: skip
        return PolicyStore(lambda: chroma_client(path=home / "chroma", url=s.chroma_url), embedding=embedding,
                           index_dir=home / "knowledge", seed=ensure_default_policies)  # fmt: skip

    # --- start-up ---------------------------------------------------------------------------
    def init_hooks(self) -> list[Callable[[], object]]:
        """Idempotent set-up steps run by `creditdesk init` after migrations (e.g. default policies)."""
        return [self._ensure_default_policies]

    def _ensure_default_policies(self) -> object:
        from knowledge.ingest import ensure_default_policies

        return ensure_default_policies(self.policy_store)

    def welcome_lines(self, host: str, port: int) -> list[str]:
        """What `make run` prints: where the dashboard, API docs and a demo sidebar are."""
        from api.launch import sign_launch

        base = f"http://{host}:{port}"
        lines = [f"Credit Desk is serving on {base}", f"  API docs:   {base}/docs"]
        officer = self.adapter.get_officer(DEMO_OFFICER)
        if officer is None or not officer.active:
            return [
                *lines,
                f"  Dashboard:  {base}/dashboard (open it with a launch token; see docs/crm-integration.md)",
            ]
        secret = self.settings.sidebar_key
        dashboard = sign_launch(secret, officer.officer_id, ttl_s=WELCOME_LINK_TTL_S)
        sidebar = sign_launch(secret, officer.officer_id, str(DEMO_CLIENT), ttl_s=WELCOME_LINK_TTL_S)
        return [
            *lines,
            f"  Demo officer: {officer.officer_id} ({officer.name}, {officer.role.value}, team {officer.team})",
            f"  Dashboard:  {base}/dashboard?token={dashboard}",
            f"  Sidebar:    {base}/sidebar/{DEMO_CLIENT}?token={sidebar}",
            "  (each link opens one browser session, within 8 hours; new ones: creditdesk token link --officer ID;",
            "   API tokens: creditdesk token create --officer ID)",
        ]

    # --- identity ----------------------------------------------------------------------------
    def import_book(self, folder: Path, *, actor: Actor | None = None) -> ImportResult:
        """CSV import with its audit events (by `actor`, and the OS user), all or nothing (tools/audit/imports.py)."""
        from tools.audit.imports import audited_import

        return audited_import(
            self.engine, self.audit, folder, policy_version=self.policy.version, actor=actor
        )

    def actor(self, officer_id: str, *, channel: str = "cli") -> Actor:
        """The acting officer, from the officers table (authority is never taken from input)."""
        from tools.actor import Actor

        officer = self.adapter.get_officer(officer_id)
        if officer is None:
            known = ", ".join(o.officer_id for o in self.adapter.list_officers()[:8])
            raise NotFound(f"no officer '{officer_id}'" + (f" (known: {known}, …)" if known else ""))
        if not officer.active:
            raise Forbidden(f"officer '{officer_id}' is inactive")
        return Actor.from_officer(officer, channel=channel)
