"""Reading the ex's signals as a pattern, never from one ambiguous act."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from olivebranch.program.events import Event, Kind

MEANINGFUL_SIGNALS: dict[str, str] = {
    "unsolicited_contact": "reached out with no practical reason",
    "asked_about_you": "asked mutual friends about you",
    "old_content": "engaged with something from before the breakup",
    "shared_memory": "brought up a good shared memory unprompted",
    "significant_moment": "reached out at an emotionally significant moment",
}
WEAK_SIGNALS: dict[str, str] = {
    "story_view": "watched a story or viewed a post",
    "like": "liked something",
    "brief_reply": "sent a brief reply to your message",
    "other": "something else",
}
SIGNAL_KINDS = {**MEANINGFUL_SIGNALS, **WEAK_SIGNALS}
OVER_READ_THRESHOLD = 3


@dataclass(frozen=True)
class SignalReading:
    pattern: bool
    kinds: tuple[str, ...]
    days: int
    reasons: tuple[str, ...]
    over_read_note: str | None


def signal_kind(event: Event) -> str | None:
    """The signal kind an event counts as, if any."""
    if event.kind is Kind.SIGNAL:
        kind = event.data.get("kind")
        return kind if isinstance(kind, str) else None
    if event.kind is Kind.EX_CONTACT and not event.flag("logistics"):
        return "unsolicited_contact"
    return None


@dataclass
class SignalTally:
    """What the reading keeps of the log, folded in one event at a time, in log order."""

    kinds: frozenset[str] = frozenset()  # the meaningful kinds seen
    meaningful: int = 0
    days: int = 0  # distinct days with a meaningful signal
    last_day: date | None = None
    weak: int = 0

    def add(self, event: Event, day: date) -> None:
        """Fold in the next event of the log; ``day`` is its day in the person's zone."""
        kind = signal_kind(event)
        if kind in MEANINGFUL_SIGNALS:
            self.kinds = self.kinds | {kind}
            self.meaningful += 1
            if day != self.last_day:
                self.days += 1
                self.last_day = day
        elif kind is not None:
            self.weak += 1

    def reading(self) -> SignalReading:
        """A pattern needs two different meaningful kinds on two different days."""
        kinds = tuple(sorted(self.kinds))
        days = self.days
        pattern = len(kinds) >= 2 and days >= 2
        reasons: list[str] = []
        if not self.meaningful:
            reasons.append("No meaningful signals are logged. That is not a verdict either way.")
        elif pattern:
            reasons.append(
                f"{len(kinds)} different kinds of signal on {days} different days: "
                + "; ".join(MEANINGFUL_SIGNALS[k] for k in kinds)
                + ". Together and repeated, that is a pattern worth noticing, not a promise."
            )
        else:
            reasons.append(
                "One kind of signal, or signals all on one day, is not a pattern yet. "
                "A single ambiguous act is not evidence."
            )
        note = None
        if self.weak >= OVER_READ_THRESHOLD and self.weak > self.meaningful:
            note = (
                "Most of what is logged are small things, like views, likes or brief replies. "
                "People do these for many reasons; try not to read too much into them, and let "
                "your own life take up more of your attention than their feed."
            )
        return SignalReading(pattern, kinds, days, tuple(reasons), note)


def read_signals(events: Sequence[Event], tz: ZoneInfo) -> SignalReading:
    """The reading of an ordered log: a pattern needs two different meaningful kinds on two different days."""
    tally = SignalTally()
    for event in events:
        tally.add(event, event.local_day(tz))
    return tally.reading()
