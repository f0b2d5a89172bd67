"""api tokens: per-officer API tokens, stored as sha256 (api/tokens.py)

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_id"),
    )
    op.create_index(op.f("ix_api_tokens_officer_id"), "api_tokens", ["officer_id"], unique=False)
    op.create_index(op.f("ix_api_tokens_token_sha256"), "api_tokens", ["token_sha256"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_api_tokens_token_sha256"), table_name="api_tokens")
    op.drop_index(op.f("ix_api_tokens_officer_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
