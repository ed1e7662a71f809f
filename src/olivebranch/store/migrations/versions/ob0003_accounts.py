"""Accounts (with their wrapped data keys), sign-in tokens (hashed), rate-limit counts, and the
local mode's passphrase-wrapped data key and unlocked sessions.

Revision ID: ob0003
Revises: ob0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ob0003"
down_revision: str | None = "ob0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False, unique=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("key_salt", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("wrapped_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=False), nullable=False),
    )
    op.create_index("ix_tokens_account_id", "tokens", ["account_id"])
    op.create_table(
        "rate_hits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at_utc", sa.DateTime(timezone=False), nullable=False),
    )
    op.create_index("ix_rate_hits_key_at", "rate_hits", ["key", "at_utc"])
    op.create_table(
        "person_keys",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("key_salt", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.String(200), nullable=False),
    )
    op.create_table(
        "local_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("wrapped_key", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=False), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("local_tokens")
    op.drop_table("person_keys")
    op.drop_index("ix_rate_hits_key_at", table_name="rate_hits")
    op.drop_table("rate_hits")
    op.drop_index("ix_tokens_account_id", table_name="tokens")
    op.drop_table("tokens")
    op.drop_table("accounts")
