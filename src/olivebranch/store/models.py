"""The tables: people, their append-only event log, and the snapshot folded out of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Person(Base):
    """One person whose history is kept. Local mode has exactly one."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class EventRow(Base):
    """One event of a person's log; never updated once written.

    ``at_utc`` is the instant as naive UTC; ``utc_offset_minutes`` is the offset
    the event was entered with, so the original local time can be rebuilt.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_person_at", "person_id", "at_utc", "id"),
        Index("ix_events_person_kind", "person_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    at_utc: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class SnapshotRow(Base):
    """What the engine folded out of a person's log (a cache: the log can always rebuild it).

    ``last_event_id`` is the highest event id folded in and ``intake_event_id``
    the intake it starts from; a row of another ``engine_version``, or one that
    is behind the log, is rebuilt from the log. ``stamp`` is new at every write,
    so a process may keep the decoded snapshot while the stamp stays the same.
    """

    __tablename__ = "snapshots"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    engine_version: Mapped[int] = mapped_column(Integer, nullable=False)
    last_event_id: Mapped[int] = mapped_column(Integer, nullable=False)
    intake_event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), nullable=False)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    stamp: Mapped[str] = mapped_column(String(16), nullable=False)


class AccountRow(Base):
    """A hosted-mode account: an e-mail address, an argon2id password hash, and its person."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, unique=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    #: The person's data key, wrapped under a key derived from the password (argon2id, this salt).
    key_salt: Mapped[str] = mapped_column(String(64), nullable=False)
    wrapped_key: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)


class TokenRow(Base):
    """A sign-in (a page session or an API token), kept only as the hash of the token."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The data key wrapped under a key derived from the token itself: gone when the token is.
    wrapped_key: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)


class RateHitRow(Base):
    """One counted attempt (a sign-in, an event) for the rate limits every worker shares."""

    __tablename__ = "rate_hits"
    __table_args__ = (Index("ix_rate_hits_key_at", "key", "at_utc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    at_utc: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)


class PersonKeyRow(Base):
    """Local mode with a passphrase: the person's data key, wrapped under argon2id(passphrase)."""

    __tablename__ = "person_keys"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    key_salt: Mapped[str] = mapped_column(String(64), nullable=False)
    wrapped_key: Mapped[str] = mapped_column(String(200), nullable=False)


class LocalTokenRow(Base):
    """An unlocked local web session: the data key wrapped under a key derived from its token."""

    __tablename__ = "local_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False)
    wrapped_key: Mapped[str] = mapped_column(String(200), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)
