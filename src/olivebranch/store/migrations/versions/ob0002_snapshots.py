"""The snapshot the engine folds out of each person's log; events found by kind.

Revision ID: ob0002
Revises: ob0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ob0002"
down_revision: str | None = "ob0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Existing logs get their snapshot the first time it is asked for.
    op.create_table(
        "snapshots",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("engine_version", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("intake_event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("stamp", sa.String(16), nullable=False),
    )
    op.create_index("ix_events_person_kind", "events", ["person_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_events_person_kind", table_name="events")
    op.drop_table("snapshots")
