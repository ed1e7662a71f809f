"""The timeline: the plan's milestones and the person's own history, by date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from olivebranch.program.events import Event, Kind
from olivebranch.program.state import Status

HISTORY_TITLES = {
    Kind.SLIP: "Slip: no contact restarted",
    Kind.MEETING: "Met in person",
    Kind.REPLY: "They replied",
    Kind.EX_CONTACT: "They reached out",
    Kind.EX_NEW_PARTNER: "Learned they are seeing someone new",
    Kind.LET_GO: "Decided to let go",
    Kind.READINESS: "Readiness check",
    Kind.REASSESSMENT: "Re-assessment",
    Kind.CONVERSATION: "The honest conversation",
}


@dataclass(frozen=True)
class Entry:
    on: date
    until: date | None
    code: str
    title: str
    source: str  # "plan" (a milestone) or "history" (something logged)
    reached: bool


def timeline(status: Status, events: Iterable[Event]) -> list[Entry]:
    tz = status.profile.tz
    entries = [Entry(m.on, m.until, m.code, m.title, "plan", m.reached) for m in status.milestones]
    entries.append(Entry(status.profile.ended_on, None, "breakup", "The breakup", "history", True))
    for event in events:
        if event.at > status.now or event.kind not in HISTORY_TITLES:
            continue
        title = HISTORY_TITLES[event.kind]
        if event.kind is Kind.MEETING and event.data.get("went"):
            title = f"{title} (went {event.data['went']})"
        entries.append(Entry(event.local_day(tz), None, event.kind.value, title, "history", True))
    return sorted(entries, key=lambda e: (e.on, e.source != "history", e.code))
