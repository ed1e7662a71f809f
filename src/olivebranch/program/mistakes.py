"""Mistakes the program detects in the log and names (section 8)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from olivebranch.program.events import Event, Kind, is_initiated_contact, is_initiated_message
from olivebranch.program.profile import Pronouns

RECENT_DAYS = 14
FOLLOW_UP_AFTER_DAYS = 7
BURST_MESSAGES = 3
BURST_HOURS = 48
SILENCE_DAYS = 7
OFTEN_IN_A_WEEK = 3
APOLOGY = re.compile(r"\b(sorry|apologi[sz]e|apology|forgive me)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Warning:
    code: str
    text: str
    last_day: date


_CONTACT_KINDS = frozenset({Kind.SENT, Kind.REPLY, Kind.EX_CONTACT, Kind.SLIP, Kind.CALL, Kind.VISIT})


def is_apology(event: Event) -> bool:
    if event.kind is not Kind.SENT:
        return False
    text = event.text("text") or ""
    return event.flag("apology") or bool(APOLOGY.search(text))


def _answers(event: Event) -> bool:
    """The ex answered or reached out (not just logistics)."""
    return event.kind is Kind.REPLY or (event.kind is Kind.EX_CONTACT and not event.flag("logistics"))


def _often(days: list[date], distinct: bool) -> date | None:
    """The last day that closes a 7-day window holding OFTEN_IN_A_WEEK or more.

    ``days`` are in time order; a sliding window keeps this linear.
    """
    if distinct:
        days = list(dict.fromkeys(days))
    found = None
    start = 0
    for i, end in enumerate(days):
        while days[start] < end - timedelta(days=6):
            start += 1
        if i - start + 1 >= OFTEN_IN_A_WEEK:
            found = end
    return found


def detect_mistakes(
    events: Sequence[Event],
    tz: ZoneInfo,
    today: date,
    pronouns: Pronouns,
    contact_resumed_on: date | None,
    conversation_on: date | None,
) -> list[Warning]:
    """Every mistake pattern in the (ordered) log, with the day it was last seen."""
    they, them = pronouns.they, pronouns.them
    found: list[Warning] = []
    by_kind: dict[Kind, list[Event]] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)
    contact = [e for e in events if e.kind in _CONTACT_KINDS]

    unanswered = 0
    first_unanswered: date | None = None
    too_soon: date | None = None
    for event in contact:
        if _answers(event):
            unanswered, first_unanswered = 0, None
        elif is_initiated_message(event):
            unanswered += 1
            day = event.local_day(tz)
            if first_unanswered is None:
                first_unanswered = day
            elif (
                unanswered == 2
                and contact_resumed_on is not None
                and first_unanswered >= contact_resumed_on
                and (day - first_unanswered).days < FOLLOW_UP_AFTER_DAYS
            ):
                too_soon = day
    if too_soon is not None:
        found.append(
            Warning(
                "follow_up_too_soon",
                f"You wrote again within a week of a message {they} hadn't answered. Give a "
                "first message a full week; silence in the first days is normal and says little.",
                too_soon,
            )
        )
    if unanswered > 2:
        found.append(
            Warning(
                "pursuit",
                f"You have sent {unanswered} messages in a row without an answer. The plan allows "
                f"one gentle follow-up; more than that reads as pressure and pushes {them} away. "
                "Let the silence be for now.",
                today,
            )
        )

    calls = [e.local_day(tz) for e in by_kind[Kind.CALL]]
    repeated_on = [calls[i] for i in range(1, len(calls)) if calls[i] - calls[i - 1] <= timedelta(days=6)]
    if repeated_on:
        # Dated by the latest repeat, so calls again this week are named even if an older
        # pair has aged out.
        found.append(
            Warning(
                "repeated_calls",
                f"Several calls in one week. Repeated calls feel like pursuit to the person "
                f"receiving them, however they are meant; give {them} room.",
                repeated_on[-1],
            )
        )

    visits = [e.local_day(tz) for e in by_kind[Kind.VISIT]]
    if visits:
        found.append(
            Warning(
                "showing_up",
                f"Turning up unannounced where {they} live, work or spend time takes away {pronouns.their} "
                "choice. Whatever the hope behind it, don't do it again.",
                visits[-1],
            )
        )

    apologies = [e.local_day(tz) for e in by_kind[Kind.SENT] if is_apology(e)]
    if len(apologies) >= 2:
        found.append(
            Warning(
                "repeated_apologies",
                "You have apologised more than once. One sincere, specific apology can help; "
                f"more hands your distress to {them} to manage.",
                apologies[-1],
            )
        )

    gestures = [
        e.local_day(tz)
        for e in by_kind[Kind.GESTURE]
        if (conversation_on is None or e.local_day(tz) < conversation_on)
    ]
    if gestures:
        found.append(
            Warning(
                "grand_gesture",
                "A grand gesture (flowers at the door, a long letter, a public declaration) asks "
                f"for a big response before {they} are ready. Small, easy contact works; "
                "this adds pressure.",
                gestures[-1],
            )
        )

    if contact_resumed_on is not None:
        sent = [
            e.at
            for e in by_kind[Kind.SENT]
            if is_initiated_message(e) and e.local_day(tz) >= contact_resumed_on
        ]
        hot_cold_day = _hot_and_cold(sent, tz)
        if hot_cold_day is not None:
            found.append(
                Warning(
                    "hot_and_cold",
                    "Bursts of messages followed by long silences feel unsettling to receive. "
                    "Steady, unhurried warmth rebuilds trust better.",
                    hot_cold_day,
                )
            )

    checks = [e.local_day(tz) for e in by_kind[Kind.SOCIAL_CHECK]]
    often = _often(checks, distinct=False)
    if often is not None:
        found.append(
            Warning(
                "checking_social_media",
                f"You checked {pronouns.their} social media {OFTEN_IN_A_WEEK} or more times in a "
                "week. Each look reopens the wound and feeds the urge; muting or unfollowing for "
                "now is a kindness to yourself.",
                often,
            )
        )

    if by_kind[Kind.FRIEND_MESSAGE]:
        last = by_kind[Kind.FRIEND_MESSAGE][-1].local_day(tz)
        found.append(
            Warning(
                "friends_as_messengers",
                "Asking friends to pass things on puts them in the middle and is still contact. "
                "If something needs saying, it waits until you can say it yourself, at the right time.",
                last,
            )
        )

    news = [e.local_day(tz) for e in by_kind[Kind.FRIEND_NEWS]]
    often_news = _often(news, distinct=True)
    if often_news is not None:
        found.append(
            Warning(
                "asking_friends_for_news",
                f"You asked friends about {them} on several days in one week. That is monitoring, "
                "and kept up it can become harassment. Stop asking; ask friends not to pass news on.",
                often_news,
            )
        )

    boundary_at = next((e.at for e in by_kind[Kind.REPLY] if e.flag("no_contact_requested")), None)
    if boundary_at is not None:
        after = [e.local_day(tz) for e in contact if e.at > boundary_at and is_initiated_contact(e)]
        if after:
            found.append(
                Warning(
                    "contact_after_no",
                    f"{they.capitalize()} asked not to be contacted, and you made contact after "
                    "that. Contact after a clear no is harassment. Stop now; this program will not "
                    "help with reaching out.",
                    after[-1],
                )
            )
    return found


def recent(warnings: list[Warning], today: date) -> list[Warning]:
    return [w for w in warnings if today - w.last_day < timedelta(days=RECENT_DAYS)]


def _hot_and_cold(sent: list[datetime], tz: ZoneInfo) -> date | None:
    """A burst of messages, then a week or more of silence, then contact again."""
    in_burst = [
        sum(1 for m in sent[: i + 1] if moment - m <= timedelta(hours=BURST_HOURS)) >= BURST_MESSAGES
        for i, moment in enumerate(sent)
    ]
    found = None
    for i in range(1, len(sent)):
        if in_burst[i - 1] and sent[i] - sent[i - 1] >= timedelta(days=SILENCE_DAYS):
            found = sent[i].astimezone(tz).date()  # the latest cycle, not the first
    return found
