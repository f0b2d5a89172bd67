"""The dashboards kept per (engine, officer, role, as-of) at the current data version.

A page load at an unchanged data version is served from memory; after a write that names the clients it
changed, the previous version's dashboard is patched (tools/dashboard/scope.py) instead of recomputed. The
cached model is read-only (callers that change it make pydantic copies)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict

from crm_adapter.protocol import CRMAdapter
from tools.actor import Actor
from tools.dashboard.models import Dashboard
from tools.dashboard.scope import DashboardScope, computed, patched
from tools.engine.review_runs import ReviewRunStore
from tools.engine.service import CreditEngine

DASHBOARD_CACHE_SIZE = 16  # (officer, as-of) pairs kept at the current data version
DashboardKey = tuple[int, str, str, dt.date]

_dashboards: OrderedDict[DashboardKey, DashboardScope] = OrderedDict()
_dashboards_lock = threading.Lock()
_computing: dict[DashboardKey, threading.Lock] = {}
log = logging.getLogger(__name__)


def dashboard(engine: CreditEngine, adapter: CRMAdapter, runs: ReviewRunStore, actor: Actor, *,
              as_of: dt.date) -> Dashboard:  # fmt: skip
    """The officer's dashboard, computed once per data version (the change counter moves on every write
    that can change it, in any process) and then served from memory: a page load does not grow with the
    book. After a write that names the clients it changed, the previous version's dashboard is patched:
    those clients, and the few whose concentration figures the write can have moved, are re-assessed; the
    book aggregates are patched by the difference."""
    key = (id(engine), actor.officer_id, actor.role.value, as_of)
    version = adapter.data_version
    with _dashboards_lock:
        hit = _dashboards.get(key)
        if hit is not None and hit.version == version:
            _dashboards.move_to_end(key)
            return hit.data
        computing = _computing.setdefault(key, threading.Lock())
    with computing:  # concurrent first loads of one dashboard compute it once
        with _dashboards_lock:
            hit = _dashboards.get(key)
            if hit is not None and hit.version == version:
                return hit.data
        scope = None
        if hit is not None and hit.version < version:
            with _dashboards_lock:  # the patch takes the old scope over (its lists are patched in place)
                if _dashboards.get(key) is hit:
                    del _dashboards[key]
                else:
                    hit = None
        if hit is not None and hit.version < version:
            try:
                scope = patched(engine, adapter, actor, hit, version, as_of=as_of)
            except Exception:  # never worse than a recomputation
                log.warning("dashboard patch failed; recomputing", exc_info=True)
        if scope is None:
            scope = computed(engine, adapter, runs, actor, as_of=as_of, version=version)
        with _dashboards_lock:
            _dashboards[key] = scope
            _dashboards.move_to_end(key)
            while len(_dashboards) > DASHBOARD_CACHE_SIZE:
                _dashboards.popitem(last=False)
            _computing.pop(key, None)
    return scope.data


__all__ = ["DASHBOARD_CACHE_SIZE", "dashboard"]
