"""The offline brain: parse the message, call the tools as the actor, fill templates from the results."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.brains.offline import templates as t
from bot.brains.offline.entities import IndexedClient, NameIndex
from bot.brains.offline.intents import CLIENT_INTENTS, Intent
from bot.brains.offline.parser import Plan, plan
from bot.conversations import ConversationState
from bot.facts import citations_for, figures_for
from bot.reply import Action, ClientCard, Reply, ToolCall
from crm_adapter.protocol import ClientFilter
from tools.access import scope_officer_ids
from tools.actor import Actor
from tools.assistant_tools.models import (
    ClientProfile,
    ExposureView,
    PolicySearch,
    PreparedApproval,
    ReviewStatus,
)
from tools.assistant_tools.registry import ToolOutcome, call_tool
from tools.assistant_tools.toolbox import Toolbox

NAME_INDEX_TTL_S = 60.0


class _Turn:
    """Collects one reply: the tool calls, the text lines and the data behind them."""

    def __init__(self, toolbox: Toolbox, actor: Actor) -> None:
        self.toolbox, self.actor = toolbox, actor
        self.reply = Reply(text="")
        self.lines: list[str] = []
        self.client_failed = False

    def call(self, name: str, **arguments: Any) -> Any:
        out: ToolOutcome = call_tool(self.toolbox, self.actor, name, arguments)
        self.reply.tool_calls.append(ToolCall(name=name, arguments=out.arguments, outcome=out.outcome,  # type: ignore[arg-type]
                                              message=out.message))  # fmt: skip
        if not out.ok:
            self.lines.append(_error_line(out))
            if "client_id" in arguments:
                self.client_failed = True
            return None
        assert out.result is not None
        self.reply.figures += figures_for(name, out.result)
        if isinstance(out.result, PolicySearch):
            self.reply.citations += citations_for(out.result, start=len(self.reply.citations) + 1)
        return out.result

    def say(self, lines: list[str]) -> None:
        self.lines += lines


def _error_line(out: ToolOutcome) -> str:
    prefix = {"refused": "Not allowed", "not_found": "Not found", "invalid": "I could not do that",
              "unavailable": "Not available right now"}.get(out.outcome, "Something went wrong")  # fmt: skip
    return f"{prefix}: {out.message}"


class OfflineBrain:
    def __init__(self, toolbox: Toolbox, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.toolbox = toolbox
        self._clock = clock
        self._names: tuple[float, list[tuple[int, str, str]]] | None = None

    # --- the client names a message can mention ---------------------------------------------------
    def _index(self, actor: Actor) -> NameIndex:
        now = self._clock()
        if self._names is None or now - self._names[0] > NAME_INDEX_TTL_S:
            clients = self.toolbox.adapter.list_clients(ClientFilter(limit=1_000_000))
            self._names = (now, [(c.client_id, c.name, c.officer_id) for c in clients])
        scope = scope_officer_ids(actor, self.toolbox.adapter)
        # Only names in the actor's scope: another team's client is, to this actor, a name that does not exist.
        return NameIndex([IndexedClient(cid, name, True)
                          for cid, name, officer in self._names[1] if scope is None or officer in scope])  # fmt: skip

    # --- a turn ------------------------------------------------------------------------------------
    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState) -> Reply:
        index = self._index(actor)
        p = plan(text, index, state, as_of=self.toolbox.today())
        turn = _Turn(self.toolbox, actor)
        with self.toolbox.turn():
            if not p.intents:
                self._unsupported(turn, text)
            elif p.needs_client and p.client_id is None:
                self._which_client(turn, p, index)
                for intent in p.intents:
                    if intent not in CLIENT_INTENTS:
                        self._run(turn, intent, p, text)
            else:
                for intent in p.intents:
                    if turn.client_failed and intent in CLIENT_INTENTS:
                        continue
                    self._run(turn, intent, p, text)
        reply = turn.reply
        reply.text = "\n".join(turn.lines)
        return reply

    def _unsupported(self, turn: _Turn, text: str) -> None:
        turn.say(["I can't answer that directly.", t.CAPABILITIES])
        result = turn.call("search_policy", query=text)
        if result is not None and result.passages:
            turn.say(t.policy(result, start=1))
        elif result is not None:
            turn.lines.append("The policy documents have nothing on it either.")
        else:
            turn.lines.pop()  # no knowledge base: the capability list is the whole answer

    def _which_client(self, turn: _Turn, p: Plan, index: NameIndex) -> None:
        m = p.mention
        if m is not None and m.ambiguous:
            turn.reply.choices = [f"{c.name} ({c.client_id})" for c in m.candidates]
            turn.say(["Which client do you mean?"] + [f"  • {c}" for c in turn.reply.choices])
        elif m is not None and m.unknown:
            found = turn.call("find_clients", query=m.unknown)
            if found is not None and found.clients:
                turn.reply.choices = [f"{c.name} ({c.client_id})" for c in found.clients]
                turn.say([f'I found no client called "{m.unknown}". Closest matches:']
                         + [f"  • {c}" for c in turn.reply.choices])  # fmt: skip
            else:
                turn.say([f'I found no client called "{m.unknown}" among the clients you may see.'])
        else:
            turn.say(['Which client? Name it (e.g. "ACME" or "client 1001").'])

    def _card(self, turn: _Turn, client_id: int) -> None:
        if any(c.client_id == client_id for c in turn.reply.cards):
            return
        prof = turn.call("client_profile", client_id=client_id)
        if isinstance(prof, ClientProfile):
            turn.reply.figures = [f for f in turn.reply.figures if f.source != "client_profile"] + [
                f for f in figures_for("client_profile", prof) if f.label in ("Grade",)
            ]
            turn.reply.cards.append(ClientCard(
                client_id=client_id, name=prof.client.name, officer_id=prof.client.officer_id, grade=prof.grade,
                ews_level=prof.ews_level, total_limit=prof.total_limit, outstanding=prof.outstanding,
                utilisation=prof.utilisation, next_review=prof.review.next_due, review_overdue=prof.review.overdue,
                currency=prof.currency,
            ))  # fmt: skip

    def _run(self, turn: _Turn, intent: Intent, p: Plan, text: str) -> None:
        cid = p.client_id
        name = f"client {cid}"
        if intent in CLIENT_INTENTS and cid is not None:
            self._card(turn, cid)
            if turn.client_failed:
                return
            name = turn.reply.cards[-1].name if turn.reply.cards else name
        match intent:
            case Intent.HELP:
                turn.say([t.CAPABILITIES])
            case Intent.MY_CLIENTS:
                if (r := turn.call("my_clients")) is not None:
                    turn.say(t.client_list(r, f"Your clients ({len(r.clients)}):"))
            case Intent.FIND_CLIENT if p.mention is not None and (p.mention.said or "").isdigit():
                if (prof := turn.call("client_profile", client_id=cid)) is not None:
                    turn.say(t.profile(prof))
            case Intent.FIND_CLIENT:
                m = p.mention
                query = (m.said or m.unknown if m is not None else None) or text
                if (r := turn.call("find_clients", query=query)) is not None:
                    turn.say(t.client_list(r, "Matching clients:"))
            case Intent.PROFILE:
                prof = turn.call("client_profile", client_id=cid)
                if prof is not None:
                    turn.say(t.profile(prof))
            case Intent.EXPOSURE:
                if isinstance(r := turn.call("exposure", client_id=cid), ExposureView):
                    turn.say(t.exposure(r))
            case Intent.FINANCIALS:
                args: dict[str, Any] = {"client_id": cid}
                if p.period is not None:
                    args |= {"period_start": p.period.start, "period_end": p.period.end}
                if (r := turn.call("financial_analysis", **args)) is not None:
                    turn.say(t.financials(r, name, p.period.label if p.period else None))
            case Intent.RATING:
                if (r := turn.call("rating", client_id=cid)) is not None:
                    turn.say(t.rating(r, name))
            case Intent.LIMIT:
                if (r := turn.call("limit_recommendation", client_id=cid)) is not None:
                    turn.say(t.limit(r, name))
            case Intent.WHAT_IF:
                if p.amount is None:
                    turn.say(['What new limit should I try? e.g. "what if it were 5M"'])
                elif (r := turn.call("what_if_limit", client_id=cid, new_limit=p.amount)) is not None:
                    turn.say(t.what_if(r, name))
            case Intent.WARNINGS:
                if (r := turn.call("early_warnings", client_id=cid)) is not None:
                    turn.say(t.warnings(r))
            case Intent.WATCHLIST:
                if (r := turn.call("watchlist")) is not None:
                    turn.say(t.watchlist(r))
            case Intent.REVIEW:
                if isinstance(r := turn.call("review_status", client_id=cid), ReviewStatus):
                    turn.say(t.review_status(r))
            case Intent.REVIEWS_DUE:
                overdue = "overdue" in text.lower() and "due" not in text.lower().replace("overdue", "")
                if (r := turn.call("reviews_due", **({"overdue_only": True} if overdue else {}))) is not None:
                    turn.say(t.reviews_due(r))
            case Intent.CONTACT:
                prof = turn.call("client_profile", client_id=cid)
                if prof is not None:
                    turn.say(t.contact(prof))
            case Intent.CONTACTS_DUE:
                if (r := turn.call("contacts_due")) is not None:
                    turn.say(t.contacts_due(r))
            case Intent.INSURANCE:
                if (r := turn.call("insurance_cover", client_id=cid)) is not None:
                    turn.say(t.insurance(r, name))
            case Intent.CONCENTRATION:
                if (r := turn.call("concentration_report")) is not None:
                    turn.say(t.concentration(r))
            case Intent.POLICY:
                start = len(turn.reply.citations) + 1
                if (r := turn.call("search_policy", query=text)) is not None:
                    turn.say(t.policy(r, start))
            case Intent.MEMO:
                if (r := turn.call("draft_review_memo", client_id=cid)) is not None:
                    turn.say(t.memo(r, name))
            case Intent.RAISE:
                self._prepare(turn, p, name)
            case Intent.APPROVAL_STATUS:
                if p.request_id is None:
                    turn.say(['Which request? e.g. "status of request 42"'])
                elif (r := turn.call("approval_status", request_id=p.request_id)) is not None:
                    turn.say(t.approval_status(r))
            case Intent.PENDING:
                if (r := turn.call("my_pending_approvals")) is not None:
                    turn.say(t.approvals(r))

    def _prepare(self, turn: _Turn, p: Plan, name: str) -> None:
        kind = p.approval_kind
        if kind in (None, "increase", "decrease") and p.amount is None:
            turn.say(['To what limit? e.g. "raise it to 3M"'])
            return
        if kind is None:
            card = turn.reply.cards[-1] if turn.reply.cards else None
            current = card.total_limit if card else None
            kind = (
                "decrease"
                if current is not None and p.amount is not None and p.amount < current
                else "increase"
            )
        args: dict[str, Any] = {"client_id": p.client_id, "kind": kind, "reason": p.reason}
        if kind in ("increase", "decrease"):
            args["new_limit"] = p.amount
            if (w := turn.call("what_if_limit", client_id=p.client_id, new_limit=p.amount)) is not None:
                turn.say(t.what_if(w, name))
        prepared = turn.call("prepare_approval_request", **args)
        if isinstance(prepared, PreparedApproval):
            summary = t.prepared(prepared, name)
            turn.say(summary)
            turn.reply.actions.append(Action(kind="raise_approval_request", label="Raise approval request",
                                             arguments=prepared.arguments, summary=summary[:-1]))  # fmt: skip
