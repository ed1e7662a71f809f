"""The person's history: an append-only log of dated events."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    """Every kind of event the log can hold."""

    INTAKE = "intake"
    CHECKIN = "checkin"
    URGE = "urge"
    SLIP = "slip"
    SOCIAL_CHECK = "social_check"
    FRIEND_NEWS = "friend_news"
    FRIEND_MESSAGE = "friend_message"
    READINESS = "readiness"
    REASSESSMENT = "reassessment"
    SENT = "sent"
    CALL = "call"
    VISIT = "visit"
    GESTURE = "gesture"
    REPLY = "reply"
    EX_CONTACT = "ex_contact"
    EX_NEW_PARTNER = "ex_new_partner"
    SIGNAL = "signal"
    MEETING = "meeting"
    CONVERSATION_READINESS = "conversation_readiness"
    CONVERSATION = "conversation"
    JOURNAL = "journal"
    LET_GO = "let_go"
    SAFETY_CONCERN = "safety_concern"
    #: What the safety screen found in something the person wrote (flags, not the text).
    SCREEN = "screen"
    #: The person reviewed a screen result: "misread" withdraws earlier abuse flags.
    SCREEN_REVIEW = "screen_review"
    #: The person confirms the behaviour the screen named as harassment has stopped.
    HARASSMENT_STOPPED = "harassment_stopped"
    #: A setting the person changed (for now the region whose support lines they see).
    SETTINGS = "settings"


@dataclass(frozen=True)
class Event:
    """One dated entry of the log.

    ``at`` is timezone-aware; the offset the person entered it with is kept.
    ``data`` holds the kind's fields as plain JSON values.
    """

    kind: Kind
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("event times must carry a UTC offset")

    def sort_key(self) -> tuple[datetime, str, str]:
        """A total order that does not depend on insertion order."""
        return (self.at, self.kind.value, json.dumps(self.data, sort_keys=True, default=str))

    def local_day(self, tz: ZoneInfo) -> date:
        return self.at.astimezone(tz).date()

    def flag(self, name: str) -> bool:
        return bool(self.data.get(name, False))

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        return value if isinstance(value, str) and value else None


def ordered(events: Iterable[Event]) -> list[Event]:
    """Events in time order; ties are broken by content, so insertion order never matters.

    The content key is costly, so it is computed only inside groups of equal (time, kind).
    """
    result = sorted(events, key=lambda e: (e.at, e.kind))
    i = 0
    while i < len(result):
        j = i + 1
        while j < len(result) and result[j].at == result[i].at and result[j].kind is result[i].kind:
            j += 1
        if j - i > 1:
            result[i:j] = sorted(result[i:j], key=Event.sort_key)
        i = j
    return result


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def is_initiated_message(event: Event) -> bool:
    """A message the person started that is neither logistics nor an answer."""
    return event.kind is Kind.SENT and not event.flag("logistics") and not event.flag("answering")


def is_initiated_contact(event: Event) -> bool:
    """Direct contact the person started: during no contact, a slip."""
    return event.kind in (Kind.SLIP, Kind.CALL, Kind.VISIT) or is_initiated_message(event)
