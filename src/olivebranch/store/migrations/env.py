"""Alembic environment: always run online, on the connection the store hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from olivebranch.store.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("Olive Branch migrations run through olivebranch.store.open_store only")

context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
