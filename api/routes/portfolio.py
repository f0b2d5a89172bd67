"""Portfolio views of the officer's scope: watch-list, reviews, contacts, concentration, dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import views
from api.deps import ActorDep, AsOfDep, ContainerDep
from api.schemas import Dashboard
from tools.engine.results import ConcentrationReport, ContactDue, ReviewDue, WatchItem

router = APIRouter(prefix="/portfolio", tags=["portfolio"])


@router.get("/watchlist", summary="Clients with amber or red early warnings, red first")
def watchlist(container: ContainerDep, actor: ActorDep, as_of: AsOfDep,
              limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[WatchItem]:  # fmt: skip
    return container.credit_engine.watchlist(actor, as_of=as_of, limit=limit)


@router.get("/reviews", summary="Reviews overdue and due within the horizon, by priority")
def reviews(container: ContainerDep, actor: ActorDep, as_of: AsOfDep,
            horizon_days: Annotated[int, Query(ge=0, le=366)] = 30) -> list[ReviewDue]:  # fmt: skip
    return container.credit_engine.reviews_due(actor, as_of=as_of, horizon_days=horizon_days)


@router.get("/contacts", summary="Client contacts (visits, calls) due")
def contacts(container: ContainerDep, actor: ActorDep, as_of: AsOfDep,
             horizon_days: Annotated[int, Query(ge=0, le=366)] = 14) -> list[ContactDue]:  # fmt: skip
    return container.credit_engine.contacts_due(actor, as_of=as_of, horizon_days=horizon_days)


@router.get("/concentration", summary="Concentration by industry, region, size, group and single name")
def concentration(container: ContainerDep, actor: ActorDep, as_of: AsOfDep) -> ConcentrationReport:
    return container.credit_engine.concentration_report(actor, as_of=as_of)


@router.get("/dashboard", summary="The officer dashboard: reviews, watch-list, contacts, portfolio quality")
def dashboard(container: ContainerDep, actor: ActorDep, as_of: AsOfDep) -> Dashboard:
    return views.dashboard(container, actor, as_of=as_of)
