"""Mistakes the program detects in the log and names (section 8)."""

from __future__ import annotations

import re
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
# The kinds some detector reads.
_TRAIL_KINDS = _CONTACT_KINDS | {Kind.GESTURE, Kind.SOCIAL_CHECK, Kind.FRIEND_NEWS, Kind.FRIEND_MESSAGE}


def is_apology(event: Event) -> bool:
    if event.kind is not Kind.SENT:
        return False
    text = event.text("text") or ""
    return event.flag("apology") or bool(APOLOGY.search(text))


def _answers(event: Event) -> bool:
    """The ex answered or reached out (not just logistics)."""
    return event.kind is Kind.REPLY or (event.kind is Kind.EX_CONTACT and not event.flag("logistics"))


@dataclass
class MistakeTrail:
    """What the mistake detectors keep of the log, folded in one event at a time, in log order.

    Each detector keeps only the few recent facts its rule looks at, so the
    trail stays small however long the log grows; :meth:`warnings` names the
    patterns from it. Its fields are plain values (the stored snapshot keeps it).
    """

    # Messages in a row without an answer, and the day the first of them was sent.
    unanswered: int = 0
    first_unanswered: date | None = None
    too_soon: date | None = None
    last_call: date | None = None
    repeated_call: date | None = None
    last_visit: date | None = None
    apologies: int = 0  # counted up to 2
    last_apology: date | None = None
    # The latest gesture, the latest one on an earlier day, and the latest one
    # before the day of the honest conversation as last seen.
    last_gesture: date | None = None
    earlier_gesture: date | None = None
    gesture_before_conversation: date | None = None
    conversation_on: date | None = None
    # The last two initiated messages since contact resumed, whether the later one
    # closed a burst, and the latest burst-silence-contact cycle.
    sent: tuple[datetime, ...] = ()
    sent_in_burst: bool = False
    hot_and_cold: date | None = None
    social_checks: tuple[date, ...] = ()  # the last OFTEN_IN_A_WEEK - 1 days
    social_often: date | None = None
    news_days: tuple[date, ...] = ()  # the last OFTEN_IN_A_WEEK - 1 distinct days
    news_often: date | None = None
    last_friend_message: date | None = None
    boundary_at: datetime | None = None
    contact_after_no: date | None = None

    def add(
        self,
        event: Event,
        day: date,
        contact_resumed_on: date | None,
        conversation_on: date | None,
    ) -> None:
        """Fold in the next event of the log.

        ``contact_resumed_on`` and ``conversation_on`` are as known after this
        event. Contact resumes once no contact has ended, and no initiated message
        can fall on or after that day before it ends (it would be a slip), so
        judging each message by what is known when it comes equals judging it by
        the final day. ``day`` is the event's day in the person's zone.
        """
        kind = event.kind
        if conversation_on != self.conversation_on:
            self._conversation(conversation_on)
        if kind not in _TRAIL_KINDS:
            return
        if kind in _CONTACT_KINDS:
            self._contact(event, day, contact_resumed_on)
        if kind is Kind.CALL:
            if self.last_call is not None and day - self.last_call <= timedelta(days=6):
                self.repeated_call = day
            self.last_call = day
        elif kind is Kind.VISIT:
            self.last_visit = day
        elif kind is Kind.SENT:
            if is_apology(event):
                self.apologies = min(self.apologies + 1, 2)
                self.last_apology = day
            if is_initiated_message(event) and contact_resumed_on is not None and day >= contact_resumed_on:
                self._sent(event.at, day)
        elif kind is Kind.GESTURE:
            if self.last_gesture is not None and self.last_gesture < day:
                self.earlier_gesture = self.last_gesture
            self.last_gesture = day
            if self.conversation_on is not None and day < self.conversation_on:
                self.gesture_before_conversation = day
        elif kind is Kind.SOCIAL_CHECK:
            self.social_checks, self.social_often = _often(self.social_checks, day, self.social_often)
        elif kind is Kind.FRIEND_NEWS and (not self.news_days or self.news_days[-1] != day):
            self.news_days, self.news_often = _often(self.news_days, day, self.news_often)
        elif kind is Kind.FRIEND_MESSAGE:
            self.last_friend_message = day
        elif kind is Kind.REPLY and self.boundary_at is None and event.flag("no_contact_requested"):
            self.boundary_at = event.at

    def _conversation(self, on: date | None) -> None:
        """The latest gesture before the conversation day; every gesture so far is on or before it."""
        self.conversation_on = on
        if on is None:
            self.gesture_before_conversation = None
        elif self.last_gesture is not None and self.last_gesture < on:
            self.gesture_before_conversation = self.last_gesture
        else:
            self.gesture_before_conversation = self.earlier_gesture

    def _contact(self, event: Event, day: date, contact_resumed_on: date | None) -> None:
        if _answers(event):
            self.unanswered, self.first_unanswered = 0, None
        elif is_initiated_message(event):
            self.unanswered += 1
            if self.first_unanswered is None:
                self.first_unanswered = day
            elif (
                self.unanswered == 2
                and contact_resumed_on is not None
                and self.first_unanswered >= contact_resumed_on
                and (day - self.first_unanswered).days < FOLLOW_UP_AFTER_DAYS
            ):
                self.too_soon = day
        if self.boundary_at is not None and event.at > self.boundary_at and is_initiated_contact(event):
            self.contact_after_no = day

    def _sent(self, moment: datetime, day: date) -> None:
        """A burst of messages, then a week or more of silence, then contact again."""
        if self.sent and self.sent_in_burst and moment - self.sent[-1] >= timedelta(days=SILENCE_DAYS):
            self.hot_and_cold = day  # the latest cycle, not the first
        # In a burst: this message and the two before it within BURST_HOURS.
        window = timedelta(hours=BURST_HOURS)
        self.sent_in_burst = len(self.sent) == BURST_MESSAGES - 1 and moment - self.sent[0] <= window
        self.sent = (*self.sent, moment)[-(BURST_MESSAGES - 1) :]

    def warnings(self, today: date, pronouns: Pronouns) -> list[Warning]:
        """Every mistake pattern seen, with the day it was last seen."""
        they, them = pronouns.they, pronouns.them
        found: list[Warning] = []
        if self.too_soon is not None:
            found.append(
                Warning(
                    "follow_up_too_soon",
                    f"You wrote again within a week of a message {they} hadn't answered. Give a "
                    "first message a full week; silence in the first days is normal and says little.",
                    self.too_soon,
                )
            )
        if self.unanswered > 2:
            found.append(
                Warning(
                    "pursuit",
                    f"You have sent {self.unanswered} messages in a row without an answer. The plan "
                    f"allows one gentle follow-up; more than that reads as pressure and pushes {them} "
                    "away. Let the silence be for now.",
                    today,
                )
            )
        if self.repeated_call is not None:
            # Dated by the latest repeat, so calls again this week are named even if an older
            # pair has aged out.
            found.append(
                Warning(
                    "repeated_calls",
                    f"Several calls in one week. Repeated calls feel like pursuit to the person "
                    f"receiving them, however they are meant; give {them} room.",
                    self.repeated_call,
                )
            )
        if self.last_visit is not None:
            found.append(
                Warning(
                    "showing_up",
                    f"Turning up unannounced where {they} live, work or spend time takes away "
                    f"{pronouns.their} choice. Whatever the hope behind it, don't do it again.",
                    self.last_visit,
                )
            )
        if self.apologies >= 2 and self.last_apology is not None:
            found.append(
                Warning(
                    "repeated_apologies",
                    "You have apologised more than once. One sincere, specific apology can help; "
                    f"more hands your distress to {them} to manage.",
                    self.last_apology,
                )
            )
        gesture = self.last_gesture if self.conversation_on is None else self.gesture_before_conversation
        if gesture is not None:
            found.append(
                Warning(
                    "grand_gesture",
                    "A grand gesture (flowers at the door, a long letter, a public declaration) asks "
                    f"for a big response before {they} are ready. Small, easy contact works; "
                    "this adds pressure.",
                    gesture,
                )
            )
        if self.hot_and_cold is not None:
            found.append(
                Warning(
                    "hot_and_cold",
                    "Bursts of messages followed by long silences feel unsettling to receive. "
                    "Steady, unhurried warmth rebuilds trust better.",
                    self.hot_and_cold,
                )
            )
        if self.social_often is not None:
            found.append(
                Warning(
                    "checking_social_media",
                    f"You checked {pronouns.their} social media {OFTEN_IN_A_WEEK} or more times in a "
                    "week. Each look reopens the wound and feeds the urge; muting or unfollowing for "
                    "now is a kindness to yourself.",
                    self.social_often,
                )
            )
        if self.last_friend_message is not None:
            found.append(
                Warning(
                    "friends_as_messengers",
                    "Asking friends to pass things on puts them in the middle and is still contact. "
                    "If something needs saying, it waits until you can say it yourself, at the right time.",
                    self.last_friend_message,
                )
            )
        if self.news_often is not None:
            found.append(
                Warning(
                    "asking_friends_for_news",
                    f"You asked friends about {them} on several days in one week. That is monitoring, "
                    "and kept up it can become harassment. Stop asking; ask friends not to pass news on.",
                    self.news_often,
                )
            )
        if self.contact_after_no is not None:
            found.append(
                Warning(
                    "contact_after_no",
                    f"{they.capitalize()} asked not to be contacted, and you made contact after "
                    "that. Contact after a clear no is harassment. Stop now; this program will not "
                    "help with reaching out.",
                    self.contact_after_no,
                )
            )
        return found


def _often(before: tuple[date, ...], day: date, found: date | None) -> tuple[tuple[date, ...], date | None]:
    """The days kept, and the last day that closes a 7-day window holding OFTEN_IN_A_WEEK or more."""
    kept = OFTEN_IN_A_WEEK - 1
    if len(before) == kept and before[0] >= day - timedelta(days=6):
        found = day
    return (*before, day)[-kept:], found


def detect_mistakes(
    events: Sequence[Event],
    tz: ZoneInfo,
    today: date,
    pronouns: Pronouns,
    contact_resumed_on: date | None,
    conversation_on: date | None,
) -> list[Warning]:
    """Every mistake pattern in the (ordered) log, with the day it was last seen."""
    trail = MistakeTrail()
    for event in events:
        trail.add(event, event.local_day(tz), contact_resumed_on, conversation_on)
    return trail.warnings(today, pronouns)


def recent(warnings: list[Warning], today: date) -> list[Warning]:
    return [w for w in warnings if today - w.last_day < timedelta(days=RECENT_DAYS)]
