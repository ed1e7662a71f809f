"""The tables: people and their append-only event log."""

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
    __table_args__ = (Index("ix_events_person_at", "person_id", "at_utc", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    at_utc: Mapped[datetime] = mapped_column(DateTime(timezone=False), nullable=False)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
