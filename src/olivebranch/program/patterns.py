"""Patterns over time: mood and urges, the risky hours and days, streaks, meetings.

Pure: the log and the person's time zone in, plain figures and plain-language
summaries out (the summaries are what a screen reader reads instead of a chart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from olivebranch.program.events import Event, Kind, ordered
from olivebranch.program.state import Status

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
URGE_KINDS = (Kind.URGE, Kind.SLIP)


@dataclass(frozen=True)
class DayPoint:
    day: date
    mood: int | None
    urge: int | None


@dataclass(frozen=True)
class Streak:
    started_on: date
    ended_on: date | None  # None: still going
    days: int


@dataclass(frozen=True)
class Meeting:
    day: date
    went: str


@dataclass(frozen=True)
class Patterns:
    checkins: tuple[DayPoint, ...]
    urges_by_hour: tuple[int, ...]  # 24 counts, local time
    urges_by_weekday: tuple[int, ...]  # 7 counts, Monday first
    streaks: tuple[Streak, ...]
    meetings: tuple[Meeting, ...]
    mood_summary: str
    urge_time_summary: str
    streak_summary: str
    meeting_summary: str


def patterns(status: Status, events: Sequence[Event]) -> Patterns:
    tz = status.profile.tz
    log = [e for e in ordered(events) if e.at <= status.now]
    checkins = _checkins(log, tz)
    hours = [0] * 24
    weekdays = [0] * 7
    for event in log:
        if event.kind in URGE_KINDS:
            local = event.at.astimezone(tz)
            hours[local.hour] += 1
            weekdays[local.weekday()] += 1
    streaks = _streaks(status)
    meetings = tuple(
        Meeting(e.local_day(tz), str(e.data.get("went", "")))
        for e in log
        if e.kind is Kind.MEETING and isinstance(e.data.get("went"), str)
    )
    return Patterns(
        checkins=checkins,
        urges_by_hour=tuple(hours),
        urges_by_weekday=tuple(weekdays),
        streaks=streaks,
        meetings=meetings,
        mood_summary=_mood_summary(checkins),
        urge_time_summary=_urge_time_summary(hours, weekdays),
        streak_summary=_streak_summary(streaks),
        meeting_summary=_meeting_summary(meetings),
    )


def _checkins(log: Sequence[Event], tz: ZoneInfo) -> tuple[DayPoint, ...]:
    """The last check-in of each day (a later one that day replaces the earlier)."""
    by_day: dict[date, DayPoint] = {}
    for event in log:
        if event.kind is not Kind.CHECKIN:
            continue
        mood, urge = event.data.get("mood"), event.data.get("urge")
        day = event.local_day(tz)
        by_day[day] = DayPoint(
            day, mood if isinstance(mood, int) else None, urge if isinstance(urge, int) else None
        )
    return tuple(by_day[d] for d in sorted(by_day))


def _streaks(status: Status) -> tuple[Streak, ...]:
    """Runs without contact: each one up to the slip that ended it, then the current one."""
    nc = status.no_contact
    if nc is None:
        return ()
    runs: list[Streak] = []
    start = date.fromordinal(status.profile.last_contact_on.toordinal() + 1)
    for slip in sorted(s.day for s in status.slips):
        if slip >= start:
            runs.append(Streak(start, slip, (slip - start).days))
        start = date.fromordinal(slip.toordinal() + 1)
    runs.append(Streak(nc.started_on, nc.ended_on, nc.day))
    return tuple(runs)


def _mood_summary(points: Sequence[DayPoint]) -> str:
    moods = [(p.day, p.mood) for p in points if p.mood is not None]
    if not moods:
        return "No check-ins yet. A daily check-in of mood and urge draws this picture over time."
    low = min(moods, key=lambda pair: pair[1])
    high = max(moods, key=lambda pair: pair[1])
    urges = [p.urge for p in points if p.urge is not None]
    text = (
        f"Mood over {len(moods)} check-in{'s' if len(moods) != 1 else ''}: lowest {low[1]} on "
        f"{low[0]:%-d %B}, highest {high[1]} on {high[0]:%-d %B}, most recent {moods[-1][1]}."
    )
    if urges:
        text += f" The urge to reach out went from {urges[0]} at the start to {urges[-1]} most recently."
    return text


def _urge_time_summary(hours: Sequence[int], weekdays: Sequence[int]) -> str:
    total = sum(hours)
    if total == 0:
        return "No urges or slips logged yet, so there are no risky hours to show."
    peak_hour = max(range(24), key=lambda h: hours[h])
    peak_day = max(range(7), key=lambda d: weekdays[d])
    return (
        f"{total} urge{'s' if total != 1 else ''} and slips logged. They came most often around "
        f"{peak_hour:02d}:00 ({hours[peak_hour]}) and on {WEEKDAYS[peak_day]}s "
        f"({weekdays[peak_day]}). Those are the windows to plan for."
    )


def _streak_summary(streaks: Sequence[Streak]) -> str:
    if not streaks:
        return "No no-contact period on this track."
    current = streaks[-1]
    longest = max(streaks, key=lambda s: s.days)
    restarts = len(streaks) - 1
    text = f"The current run is {current.days} day{'s' if current.days != 1 else ''}"
    if current.ended_on is not None:
        text = f"No contact ended on {current.ended_on:%-d %B} after {current.days} days"
    text += f"; the longest was {longest.days} days."
    if restarts:
        text += f" The count restarted {restarts} time{'s' if restarts != 1 else ''}; each was a fresh start."
    return text


def _meeting_summary(meetings: Sequence[Meeting]) -> str:
    if not meetings:
        return "No meetings logged yet."
    counts = {w: sum(1 for m in meetings if m.went == w) for w in ("good", "mixed", "bad")}
    return (
        f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''}: {counts['good']} good, "
        f"{counts['mixed']} mixed, {counts['bad']} hard."
    )
