"""The `authority` section of the policy file: approval levels, amount bands and escalation rules.

(Minimal first version; the approvals area owns and extends this schema.)
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class AuthorityLevel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: int = Field(ge=1, description="Officers with approval_level >= this may decide at this step")
    name: str
    max_group_exposure: Decimal | None = Field(
        None, description="Upper bound (inclusive) of group exposure after the change; None = unlimited"
    )
    quorum: int = Field(1, ge=1)


class AuthorityPolicy(BaseModel):
    model_config = ConfigDict(extra="allow")

    levels: list[AuthorityLevel] = Field(default_factory=list)
