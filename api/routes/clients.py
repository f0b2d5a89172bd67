"""Clients: search, profile card, full analysis, limit recommendation, what-if, insurance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import ActorDep, AsOfDep, ContainerDep
from api.schemas import ClientHit, ProfileCard, WhatIfIn
from tools.access import guard_group_figures, scope_officer_ids
from tools.engine.results import (
    AdjustmentProposal,
    ClientAssessment,
    InsuranceStatus,
    LimitRecommendation,
    WhatIfResult,
)

router = APIRouter(prefix="/clients", tags=["clients"])
ClientId = Annotated[int, Path(ge=1, le=2**53, description="Our client id")]


@router.get("", summary="Search clients by name or id (fuzzy)")
def search_clients(
    container: ContainerDep,
    actor: ActorDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, id or external id")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[ClientHit]:
    officers = scope_officer_ids(actor, container.adapter)
    hits = container.adapter.search_clients(q, limit=limit, officer_ids=officers)
    return [
        ClientHit(
            client_id=h.client.client_id,
            external_id=h.client.external_id,
            name=h.client.name,
            officer_id=h.client.officer_id,
            score=h.score,
            matched_on=h.matched_on,
        )  # fmt: skip
        for h in hits
    ]


@router.get(
    "/{client_id}", summary="Profile card: limit, utilisation, grade, PD, warnings, review, insurance"
)
def profile_card(
    container: ContainerDep, actor: ActorDep, client_id: ClientId, as_of: AsOfDep
) -> ProfileCard:
    return ProfileCard.of(container.credit_engine.assess_client(actor, client_id, as_of=as_of))


@router.get("/{client_id}/analysis", summary="The full credit assessment")
def analysis(
    container: ContainerDep, actor: ActorDep, client_id: ClientId, as_of: AsOfDep
) -> ClientAssessment:
    return container.credit_engine.assess_client(actor, client_id, as_of=as_of)


class LimitView(LimitRecommendation):
    proposal: AdjustmentProposal


@router.get("/{client_id}/limit", summary="Limit recommendation, explained constraint by constraint")
def limit_recommendation(
    container: ContainerDep, actor: ActorDep, client_id: ClientId, as_of: AsOfDep
) -> LimitView:
    a = container.credit_engine.assess_client(actor, client_id, as_of=as_of)
    return LimitView(**a.limit.model_dump(), proposal=a.proposal)


@router.post("/{client_id}/what-if", summary="Concentration and recommendation effect of a new limit")
def what_if(container: ContainerDep, actor: ActorDep, client_id: ClientId, body: WhatIfIn,
            as_of: AsOfDep) -> WhatIfResult:  # fmt: skip
    result = container.credit_engine.what_if_limit(actor, client_id, body.new_limit, facility_id=body.facility_id,
                                                   as_of=as_of)  # fmt: skip
    return guard_group_figures(actor, container.adapter, result)


@router.get("/{client_id}/insurance", summary="Insured and uninsured exposure, covers, gaps, expiries")
def insurance(
    container: ContainerDep, actor: ActorDep, client_id: ClientId, as_of: AsOfDep
) -> InsuranceStatus:
    return container.credit_engine.insurance_status(actor, client_id, as_of=as_of)
