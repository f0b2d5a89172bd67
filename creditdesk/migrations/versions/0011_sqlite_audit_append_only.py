"""audit_events append-only on SQLite too (PostgreSQL has had its trigger since 0003)

A trigger cannot stop someone who can rewrite the database file (they can drop it); it stops the
application, scripts and ad-hoc SQL from editing or deleting audit events by accident or on purpose,
and `creditdesk audit verify` still detects a rewrite of the file (anchor its head hash externally).

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    "audit_events_no_update": "BEFORE UPDATE ON audit_events",
    "audit_events_no_delete": "BEFORE DELETE ON audit_events",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, when in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
