"""Persistence: each person's append-only event log in SQLite or PostgreSQL.

Open a store with :func:`open_store`; it creates the database and applies any
pending migrations. Every problem reaches the caller as a :class:`StoreError`
whose message is a plain sentence fit to show the person.
"""

from olivebranch.store.errors import NoDatabase, StoreError
from olivebranch.store.store import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    LOCAL_PERSON,
    Account,
    AccountExists,
    Store,
    open_store,
)

__all__ = [
    "HEAD_REVISION",
    "KNOWN_REVISIONS",
    "LOCAL_PERSON",
    "Account",
    "AccountExists",
    "NoDatabase",
    "Store",
    "StoreError",
    "open_store",
]
