"""The one error the store raises to its callers."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database, told in one plain sentence.

    The message is meant for the person: it names the database and what to do,
    and never contains anything they wrote.
    """


class NoDatabase(StoreError):
    """There is no database yet (raised only when asked not to create one)."""
