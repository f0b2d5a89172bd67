"""Knowledge base: search the policy documents (passages with citations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ActorDep, ContainerDep
from knowledge.access import readable_tags
from knowledge.models import Hit

router = APIRouter(prefix="/knowledge", tags=["knowledge"])


@router.get("/search", summary="Policy passages for a query, best first, with document, section and page")
def search(
    container: ContainerDep,
    actor: ActorDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[Hit]:
    return container.policy_store.search(q, k=k, access_tags=readable_tags(actor.role))
