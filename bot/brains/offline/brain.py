"""The offline brain: read the message (classifier + slots), call the tools as the actor, fill templates
from the results, in the language of the question (English or Chinese, `kernel.catalogue`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.actions import raise_request_action, submit_memo_action
from bot.brains.offline import templates as t
from bot.brains.offline.bank_statements import bank_statements_answer
from bot.brains.offline.classifier import classifier
from bot.brains.offline.entities import IndexedClient, NameIndex
from bot.brains.offline.intents import CLIENT_INTENTS, Intent
from bot.brains.offline.parser import Plan, plan
from bot.conversations import ConversationState
from bot.facts import citations_for, figures_for, money, pct
from bot.reply import ClientCard, Reply, ToolCall
from crm_adapter.protocol import ClientFilter
from kernel.catalogue import Language, detect_language
from kernel.errors import CreditDeskError
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
from tools.engine.results import ConcentrationReport, Rating, WhatIfResult

NAME_INDEX_TTL_S = 60.0
_BOOK_DEFAULT_DAYS = {Intent.REVIEWS_DUE: 30, Intent.CONTACTS_DUE: 14, Intent.INSURANCE_EXPIRING: 60}


class _Turn:
    """Collects one reply: the tool calls, the text lines and the data behind them."""

    def __init__(self, toolbox: Toolbox, actor: Actor, lang: Language) -> None:
        self.toolbox, self.actor, self.lang = toolbox, actor, lang
        self.reply = Reply(text="")
        self.lines: list[str] = []
        self.client_failed = False
        self.index: NameIndex | None = None  # the names this actor may mention (set for the turn)

    def call(self, name: str, **arguments: Any) -> Any:
        out: ToolOutcome = call_tool(self.toolbox, self.actor, name, arguments)
        self.reply.tool_calls.append(ToolCall(name=name, arguments=out.arguments, outcome=out.outcome,  # type: ignore[arg-type]
                                              message=out.message))  # fmt: skip
        if not out.ok:
            self.lines.append(_error_line(out, self.lang))
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


def _error_line(out: ToolOutcome, lang: Language) -> str:
    kind = out.outcome if out.outcome in ("refused", "not_found", "invalid", "unavailable") else "error"
    coded = out.error is not None and out.error.key is not None  # a catalogue message: said in `lang`
    if coded:
        message = out.error.text_in(lang)  # type: ignore[union-attr]
    else:
        message = out.message if lang == "en" else t.t(f"error.detail.{kind}", lang)
    return t.t(f"error.{kind}", lang, message=message)


MAX_SCOPE_INDEXES = 64  # name indexes kept (one per officer scope in use)


class OfflineBrain:
    def __init__(self, toolbox: Toolbox, *, clock: Callable[[], float] = time.monotonic,
                 model_cache: Path | None = None) -> None:  # fmt: skip
        """`model_cache`: a folder (under the home folder) where the trained intent classifier is kept."""
        self.toolbox = toolbox
        self._clock = clock
        self._names: tuple[float, list[tuple[int, str, str]]] | None = None
        self._indexes: dict[frozenset[str] | None, NameIndex] = {}  # per scope, for the names above
        self._model_cache = model_cache
        # train (or load) the intent classifier in the background, so the first question does not wait for it
        threading.Thread(
            target=classifier, args=(model_cache,), name="intent-classifier", daemon=True
        ).start()

    # --- the client names a message can mention ---------------------------------------------------
    def _index(self, actor: Actor) -> NameIndex:
        now = self._clock()
        if self._names is None or now - self._names[0] > NAME_INDEX_TTL_S:
            clients = self.toolbox.adapter.list_clients(ClientFilter(limit=1_000_000))
            self._names = (now, [(c.client_id, c.name, c.officer_id) for c in clients])
            self._indexes = {}
        scope = scope_officer_ids(actor, self.toolbox.adapter)
        key = None if scope is None else frozenset(scope)
        if (index := self._indexes.get(key)) is None:  # built once per scope and name list, not per turn
            # Every name of the book, marked in or out of the actor's scope: another team's client is, to this
            # actor, a name that does not exist (find_client never resolves or lists it), but it must still
            # out-match a weaker partial match in the scope ("Nova Construction SA" is not "Nova Trading Inc").
            index = NameIndex([IndexedClient(cid, name, scope is None or officer in scope)
                               for cid, name, officer in self._names[1]])  # fmt: skip
            if len(self._indexes) >= MAX_SCOPE_INDEXES:
                self._indexes.clear()
            self._indexes[key] = index
        return index

    def _facility_client(self, facility_id: str) -> int | None:
        try:
            return self.toolbox.adapter.get_facility(facility_id).client_id
        except CreditDeskError:
            return None

    # --- a turn ------------------------------------------------------------------------------------
    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState) -> Reply:
        classifier(self._model_cache)  # trained (or loaded) once per process
        lang = detect_language(text)
        index = self._index(actor)
        p = plan(text, index, state, as_of=self.toolbox.today(), facility_client=self._facility_client)
        turn = _Turn(self.toolbox, actor, lang)
        turn.index = index
        with self.toolbox.turn():
            if p.clarify:
                self._clarify(turn, p)
            elif not p.intents:
                turn.say([t.t("cannot_answer", lang), t.capabilities(lang)])
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

    def _clarify(self, turn: _Turn, p: Plan) -> None:
        lang = turn.lang
        turn.reply.choices = [t.t(f"reading.{i.value}", lang) for i in p.clarify]
        turn.say([t.t("clarify", lang)] + [f"  • {c}" for c in turn.reply.choices])

    def _which_client(self, turn: _Turn, p: Plan, index: NameIndex) -> None:
        m, lang = p.mention, turn.lang
        if m is not None and m.ambiguous:
            turn.reply.choices = [f"{c.name} ({c.client_id})" for c in m.candidates]
            turn.say([t.t("which_client", lang)] + [f"  • {c}" for c in turn.reply.choices])
        elif m is not None and m.unknown:
            found = turn.call("find_clients", query=m.unknown)
            if found is not None and found.clients:
                turn.reply.choices = [f"{c.name} ({c.client_id})" for c in found.clients]
                turn.say(
                    [t.t("no_client_called", lang, name=m.unknown)] + [f"  • {c}" for c in turn.reply.choices]
                )
            else:
                turn.say([t.t("no_client_in_scope", lang, name=m.unknown)])
        else:
            turn.say([t.t("name_a_client", lang)])

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
        cid, lang = p.client_id, turn.lang
        name = f"client {cid}"
        if intent in CLIENT_INTENTS and cid is not None:
            self._card(turn, cid)
            if turn.client_failed:
                return
            name = turn.reply.cards[-1].name if turn.reply.cards else name
        mine = {"only_mine": True} if p.scope == "mine" and not turn.actor.book_wide else {}
        days = {"horizon_days": p.window_days} if p.window_days is not None else {}
        match intent:
            case Intent.HELP:
                turn.say([t.capabilities(lang)])
            case Intent.MY_CLIENTS:
                if (r := turn.call("my_clients")) is not None:
                    turn.say(t.client_list(r, t.t("clients.mine", lang, count=len(r.clients)), lang))
            case Intent.FIND_CLIENT:
                m = p.mention
                query = (m.said or m.unknown if m is not None else None) or text
                if (r := turn.call("find_clients", query=query)) is not None:
                    turn.say(t.client_list(r, t.t("clients.matching", lang), lang))
            case Intent.PROFILE:
                if (prof := turn.call("client_profile", client_id=cid)) is not None:
                    turn.say(t.profile(prof, lang))
            case Intent.EXPOSURE:
                if isinstance(r := turn.call("exposure", client_id=cid), ExposureView):
                    turn.say(t.exposure(r, lang))
            case Intent.UTIL_TREND:
                months = {"months": p.months} if p.months else {}
                if (r := turn.call("utilisation_trend", client_id=cid, **months)) is not None:
                    turn.say(t.utilisation_trend(r, lang))
            case Intent.FINANCIALS:
                args: dict[str, Any] = {"client_id": cid}
                if p.period is not None:
                    args |= {"period_start": p.period.start, "period_end": p.period.end}
                if (r := turn.call("financial_analysis", **args)) is not None:
                    turn.say(t.financials(r, name, p.period.label if p.period else None, lang))
            case Intent.RATING:
                if (r := turn.call("rating", client_id=cid)) is not None:
                    turn.say(t.rating(r, name, lang))
            case Intent.RATING_HISTORY:
                if (h := turn.call("rating_history", client_id=cid)) is not None:
                    rating = turn.call("rating", client_id=cid)
                    turn.say(t.rating_history(h, rating if isinstance(rating, Rating) else None, lang))
            case Intent.LIMIT:
                if (r := turn.call("limit_recommendation", client_id=cid)) is not None:
                    turn.say(t.limit(r, name, lang))
            case Intent.WHAT_IF:
                if p.amount is None:
                    turn.say([t.t("what_if.need_amount", lang)])
                    return
                args = {"client_id": cid, "new_limit": p.amount}
                if p.facility_id:
                    args["facility_id"] = p.facility_id
                if p.dimension is not None:
                    args["dimension"] = p.dimension
                if isinstance(r := turn.call("what_if_limit", **args), WhatIfResult):
                    turn.say(t.what_if(r, name, lang, p.dimension))
                    if Intent.LIMIT in p.intents:  # "should we bump X to 5M?": advice, nothing prepared
                        turn.say(t.advice(r, lang))
            case Intent.WARNINGS:
                if (r := turn.call("early_warnings", client_id=cid)) is not None:
                    turn.say(t.warnings(r, lang))
            case Intent.WATCHLIST:
                if (r := turn.call("watchlist")) is not None:
                    turn.say(t.watchlist(r, lang))
            case Intent.REVIEW:
                if isinstance(r := turn.call("review_status", client_id=cid), ReviewStatus):
                    turn.say(t.review_status(r, lang))
            case Intent.REVIEWS_DUE:
                low = text.lower()
                overdue = ("overdue" in low and "due" not in low.replace("overdue", "")) or (
                    ("逾期" in text or "过期" in text) and "到期" not in text)  # fmt: skip
                args = days | ({"overdue_only": True} if overdue else {})
                if (r := turn.call("reviews_due", **args)) is not None:
                    turn.say(t.reviews_due(r, lang))
            case Intent.CONTACT:
                if (prof := turn.call("client_profile", client_id=cid)) is not None:
                    turn.say(t.contact(prof, lang))
            case Intent.CONTACTS_DUE:
                if (r := turn.call("contacts_due", **days)) is not None:
                    turn.say(t.contacts_due(r, lang))
            case Intent.INSURANCE:
                if (r := turn.call("insurance_cover", client_id=cid)) is not None:
                    turn.say(t.insurance(r, name, lang))
            case Intent.INSURANCE_EXPIRING:
                if (r := turn.call("insurance_expiring", **days, **mine)) is not None:
                    turn.say(t.insurance_expiring(r, lang))
            case Intent.HIGH_UTIL:
                threshold = {"threshold": p.threshold} if p.threshold is not None else {}
                if (r := turn.call("clients_by_utilisation", **threshold, **mine)) is not None:
                    turn.say(t.high_utilisation(r, lang))
            case Intent.CONCENTRATION:
                if (r := turn.call("concentration_report")) is not None:
                    turn.say(t.concentration(r, lang, p.dimension, p.bucket, names=_own_names(turn.index, r)))
            case Intent.POLICY:
                start = len(turn.reply.citations) + 1
                if (r := turn.call("search_policy", query=text)) is not None:
                    turn.say(t.policy(r, start, lang))
            case Intent.MEMO:
                if (r := turn.call("draft_review_memo", client_id=cid)) is not None:
                    turn.say(t.memo(r, name, lang))
                    turn.reply.actions.append(submit_memo_action(r, lang))
            case Intent.RAISE:
                self._prepare(turn, p, name)
            case Intent.APPROVAL_STATUS:
                if p.request_id is not None:
                    if (r := turn.call("approval_status", request_id=p.request_id)) is not None:
                        turn.say(t.approval_status(r, lang))
                elif (r := turn.call("my_pending_approvals")) is not None:  # "my requests": the ones I raised
                    known = turn.index.by_id(cid) if turn.index is not None and cid is not None else None
                    turn.say(t.my_requests(r, cid, known.name if known else name, lang))
            case Intent.PENDING:
                if (r := turn.call("my_pending_approvals")) is not None:
                    turn.say(t.approvals(r, lang))
            case Intent.BANK_STATEMENTS:  # statements (#19)
                if (r := turn.call("bank_statements", client_id=cid)) is not None:
                    turn.say(bank_statements_answer(r, name, lang))
            case Intent.REPAYMENT:
                months = {"months": p.months} if p.months else {}
                if (r := turn.call("repayment_history", client_id=cid, **months)) is not None:
                    turn.say(t.repayment(r, lang))

    def _prepare(self, turn: _Turn, p: Plan, name: str) -> None:
        kind, lang = p.approval_kind, turn.lang
        if kind in (None, "increase", "decrease") and p.amount is None:
            turn.say([t.t("raise.need_amount", lang)])
            return
        facility, current = p.facility_id, None
        if isinstance(ex := turn.call("exposure", client_id=p.client_id), ExposureView):
            open_ = [f for f in ex.exposure.facilities if f.status != "closed"]
            if facility is None and len(open_) > 1:
                # a request is per facility: offer them; the what-if keeps the amount for the answer
                if p.amount is not None:
                    turn.call("what_if_limit", client_id=p.client_id, new_limit=p.amount)
                ccy = ex.exposure.currency
                turn.reply.choices = [f.facility_id for f in open_]
                turn.say([t.t("raise.which_facility", lang, name=name)] + [
                    t.t("exposure.facility", lang, facility_id=f.facility_id, product=t.v("product", f.product, lang),
                        status=t.v("facility_status", f.status, lang), limit=money(f.limit, ccy),
                        outstanding=money(f.outstanding, ccy), util=pct(f.utilisation))
                    for f in open_
                ] + [t.t("raise.facility_hint", lang, facility=open_[0].facility_id)])  # fmt: skip
                return
            if facility is None and len(open_) == 1:
                facility = open_[0].facility_id
            chosen = next((f for f in open_ if f.facility_id == facility), None)
            current = chosen.limit if chosen is not None else ex.exposure.total_limit
        if kind is None:  # "set/move/take X to 3M": against the current limit
            kind = (
                "decrease"
                if current is not None and p.amount is not None and p.amount < current
                else "increase"
            )
        args: dict[str, Any] = {"client_id": p.client_id, "kind": kind, "reason": p.reason}
        if facility:
            args["facility_id"] = facility
        if kind in ("increase", "decrease"):
            args["new_limit"] = p.amount
            what_if_args: dict[str, Any] = {"client_id": p.client_id, "new_limit": p.amount}
            if facility:
                what_if_args["facility_id"] = facility
            if (w := turn.call("what_if_limit", **what_if_args)) is not None:
                turn.say(t.what_if(w, name, lang))
        prepared = turn.call("prepare_approval_request", **args)
        if isinstance(prepared, PreparedApproval):
            summary = t.prepared(prepared, name, lang)
            turn.say(summary)
            turn.reply.actions.append(raise_request_action(prepared, lang, summary[:-1]))


def _own_names(index: NameIndex | None, report: ConcentrationReport) -> dict[int, str]:
    """The asker's own clients among a report's single-name lines, by id (for their names)."""
    if index is None:
        return {}
    ids = {int(ln.bucket) for ln in report.lines if ln.dimension == "single_name" and ln.bucket.isdigit()}
    found = (index.by_id(i) for i in ids)
    return {c.client_id: c.name for c in found if c is not None and c.in_scope}
