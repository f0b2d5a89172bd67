"""used launch tokens: each sidebar/dashboard launch token opens one session only

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_launch_tokens",
        sa.Column("mac_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mac_sha256"),
    )
    op.create_index(
        op.f("ix_used_launch_tokens_expires_at"), "used_launch_tokens", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_used_launch_tokens_expires_at"), table_name="used_launch_tokens")
    op.drop_table("used_launch_tokens")
