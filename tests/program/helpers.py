"""Builders for engine tests: answers, aware datetimes, events, and a pinned clock.

Nothing here reads the real clock: every moment is spelled out by the test.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from olivebranch.program.events import Event, Kind
from olivebranch.program.profile import SAFETY_QUESTIONS, Profile, parse_answers
from olivebranch.program.readiness import CONVERSATION_READINESS, NO_CONTACT_READINESS, all_yes
from olivebranch.program.state import Status, evaluate

TZ = "America/New_York"
DROP = object()  # answers(key=DROP) removes the key

# A calm, workable case that lands on the reconcile track with a 30-day plan.
# Last contact 2026-09-05, so day 1 is 2026-09-06 and the last planned day 2026-10-05.
BASE_ANSWERS: dict[str, Any] = {
    "months_together": 14,
    "ended_on": "2026-09-01",
    "last_contact_on": "2026-09-05",
    "breakup_messy": False,
    "anxious_contact_since": False,
    "safety": dict.fromkeys(SAFETY_QUESTIONS, False),
    "repeated_betrayal": False,
    "region": "US",
    "timezone": TZ,
    "reasons": ["communication_breakdown"],
    "mutual_investment": "mutual",
    "how_it_ended": "impulsive",
    "cause_can_change": "yes",
    "change_steps": "Started seeing a counsellor about how I shut down in arguments.",
    "ex_pronouns": "she",
}
INTAKE_AT = "2026-09-06 10:00"
LAST_CONTACT = date(2026, 9, 5)
PLAN_END = date(2026, 10, 5)  # last planned day of the 30-day plan


def answers(**overrides: Any) -> dict[str, Any]:
    """The calm reconcile-track answers, with overrides (DROP removes a key)."""
    result = copy.deepcopy(BASE_ANSWERS)
    for key, value in overrides.items():
        if value is DROP:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def safety(**yes: bool) -> dict[str, bool]:
    """All five safety answers, false unless given."""
    unknown = set(yes) - set(SAFETY_QUESTIONS)
    assert not unknown, unknown
    return {key: yes.get(key, False) for key in SAFETY_QUESTIONS}


def at(text: str, tz: str = TZ) -> datetime:
    """An aware datetime from 'YYYY-MM-DD HH:MM' in the given IANA zone."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def ev(kind: str, when: datetime | str, /, **data: Any) -> Event:
    """An event; ``when`` may be a string read in the default zone. ``data`` may hold "kind"."""
    moment = at(when) if isinstance(when, str) else when
    return Event(Kind(kind), moment, data)


def intake(when: datetime | str = INTAKE_AT, /, **overrides: Any) -> Event:
    return ev("intake", when, **answers(**overrides))


def profile(today: date = date(2026, 9, 6), /, **overrides: Any) -> Profile:
    return parse_answers(answers(**overrides), today)


def status(events: Iterable[Event], now: datetime | str) -> Status:
    moment = at(now) if isinstance(now, str) else now
    return evaluate(list(events), moment)


def day_at(day: date, clock: str = "09:00", tz: str = TZ) -> datetime:
    return at(f"{day.isoformat()} {clock}", tz)


def readiness_passed(when: datetime | str) -> Event:
    return ev("readiness", when, answers=all_yes(NO_CONTACT_READINESS))


def conversation_ready(when: datetime | str) -> Event:
    return ev("conversation_readiness", when, answers=all_yes(CONVERSATION_READINESS))


def through_no_contact(**overrides: Any) -> list[Event]:
    """Intake and a passed readiness check on the last planned day: no contact ends 2026-10-05."""
    return [intake(**overrides), readiness_passed(day_at(PLAN_END, "20:00"))]


FIRST_MESSAGE_DAY = PLAN_END + timedelta(days=1)  # 2026-10-06


def first_message_sent() -> list[Event]:
    """Through no contact, then a first message on 2026-10-06 at 12:00."""
    return [
        *through_no_contact(),
        ev("sent", day_at(FIRST_MESSAGE_DAY, "12:00"), text="Saw the trail we liked is open again."),
    ]


def rebuilding_from(day: date = FIRST_MESSAGE_DAY) -> list[Event]:
    """A first message on ``day`` answered warmly the same evening: rebuilding since ``day``."""
    return [
        *through_no_contact(),
        ev("sent", day_at(day, "12:00"), text="Saw the trail we liked is open again."),
        ev("reply", day_at(day, "19:00"), tone="warm", text="Oh nice! Hope you're well."),
    ]


def codes(items: Iterable[Any]) -> list[str]:
    return [item.code for item in items]
