"""People and their append-only event log.

Revision ID: ob0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ob0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("people", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("at_utc", sa.DateTime(timezone=False), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_events_person_at", "events", ["person_id", "at_utc", "id"])
    if _postgres():
        op.execute(
            "CREATE FUNCTION olivebranch_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'events are append-only'; END; $$"
        )
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE ON events "
            "FOR EACH ROW EXECUTE FUNCTION olivebranch_events_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER events_append_only ON events" if _postgres() else "DROP TRIGGER events_append_only"
    )
    if _postgres():
        op.execute("DROP FUNCTION olivebranch_events_append_only()")
    op.drop_index("ix_events_person_at", table_name="events")
    op.drop_table("events")
    op.drop_table("people")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"
