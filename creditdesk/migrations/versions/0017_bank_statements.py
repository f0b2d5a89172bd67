"""bank statements: accounts, statements and transactions imported from MT940, camt.053 and CSV exports;
financial spreads: the source file and line mapping of each spread financial statement

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString
_MONEY = sa.Numeric(precision=20, scale=2)


def upgrade() -> None:
    op.create_table(
        "bank_accounts",
        sa.Column("account_id", _S(length=80), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", _S(length=64), nullable=False),
        sa.Column("currency", _S(length=3), nullable=False),
        sa.Column("bank", _S(length=64), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_index(op.f("ix_bank_accounts_client_id"), "bank_accounts", ["client_id"], unique=False)
    op.create_table(
        "bank_statements",
        sa.Column("statement_id", _S(length=40), nullable=False),
        sa.Column("account_id", _S(length=80), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", _S(length=40), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=False),
        sa.Column("currency", _S(length=3), nullable=False),
        sa.Column("opening_balance", _MONEY, nullable=False),
        sa.Column("closing_balance", _MONEY, nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("source_format", _S(length=40), nullable=False),
        sa.Column("source_file", _S(length=255), nullable=False),
        sa.Column("source_sha256", _S(length=64), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["bank_accounts.account_id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"]),
        sa.PrimaryKeyConstraint("statement_id"),
    )
    op.create_index(op.f("ix_bank_statements_account_id"), "bank_statements", ["account_id"], unique=False)
    op.create_index(op.f("ix_bank_statements_client_id"), "bank_statements", ["client_id"], unique=False)
    op.create_table(
        "bank_transactions",
        sa.Column("txn_id", _S(length=40), nullable=False),
        sa.Column("account_id", _S(length=80), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", _S(length=40), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("currency", _S(length=3), nullable=False),
        sa.Column("counterparty", _S(length=200), nullable=False),
        sa.Column("counterparty_account", _S(length=64), nullable=False),
        sa.Column("reference", _S(length=120), nullable=False),
        sa.Column("description", _S(length=1000), nullable=False),
        sa.Column("code", _S(length=40), nullable=False),
        sa.Column("returned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["bank_accounts.account_id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"]),
        sa.PrimaryKeyConstraint("txn_id"),
    )
    for column in ("account_id", "client_id", "statement_id", "booking_date"):
        op.create_index(op.f(f"ix_bank_transactions_{column}"), "bank_transactions", [column], unique=False)
    op.create_table(
        "financial_spreads",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_type", _S(length=24), nullable=False),
        sa.Column("source_file", _S(length=255), nullable=False),
        sa.Column("source_sha256", _S(length=64), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("unmapped", sa.JSON(), nullable=False),
        sa.Column("tieouts_accepted", sa.JSON(), nullable=False),
        sa.Column("officer_id", _S(length=64), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"]),
        sa.PrimaryKeyConstraint("client_id", "period_end", "period_type"),
    )


def downgrade() -> None:
    op.drop_table("financial_spreads")
    for column in ("account_id", "client_id", "statement_id", "booking_date"):
        op.drop_index(op.f(f"ix_bank_transactions_{column}"), table_name="bank_transactions")
    op.drop_table("bank_transactions")
    op.drop_index(op.f("ix_bank_statements_client_id"), table_name="bank_statements")
    op.drop_index(op.f("ix_bank_statements_account_id"), table_name="bank_statements")
    op.drop_table("bank_statements")
    op.drop_index(op.f("ix_bank_accounts_client_id"), table_name="bank_accounts")
    op.drop_table("bank_accounts")
