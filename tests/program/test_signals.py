"""Reading the ex's signals as a pattern, never from one act (section 6)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from olivebranch.program.events import Event
from olivebranch.program.signals import MEANINGFUL_SIGNALS, read_signals

from .helpers import ev, intake, status

NOW = "2026-09-30 09:00"


def signal(kind: str, when: str) -> Event:
    return ev("signal", when, kind=kind, note="")


@pytest.mark.parametrize(
    ("logged", "pattern", "kinds", "days"),
    [
        ([], False, (), 0),
        ([("shared_memory", "2026-09-10 20:00")], False, ("shared_memory",), 1),
        # the same kind again on another day is repetition, not a combination
        (
            [("shared_memory", "2026-09-10 20:00"), ("shared_memory", "2026-09-15 20:00")],
            False,
            ("shared_memory",),
            2,
        ),
        # two kinds on one day are a combination, not repeated over time
        ([("shared_memory", "2026-09-10 08:00"), ("asked_about_you", "2026-09-10 20:00")], False, None, 1),
        # 23:30 in New York is the next day in UTC, but the same local day
        ([("shared_memory", "2026-09-10 08:00"), ("asked_about_you", "2026-09-10 23:30")], False, None, 1),
        ([("shared_memory", "2026-09-10 20:00"), ("asked_about_you", "2026-09-11 20:00")], True, None, 2),
        ([("old_content", "2026-09-10 20:00"), ("significant_moment", "2026-09-20 20:00")], True, None, 2),
        # weak signals never make a pattern, however many kinds and days
        (
            [
                ("like", "2026-09-10 20:00"),
                ("story_view", "2026-09-11 20:00"),
                ("brief_reply", "2026-09-12 20:00"),
            ],
            False,
            (),
            0,
        ),
        ([("shared_memory", "2026-09-10 20:00"), ("like", "2026-09-11 20:00")], False, ("shared_memory",), 1),
        (
            [("made_up_kind", "2026-09-10 20:00"), ("shared_memory", "2026-09-11 20:00")],
            False,
            ("shared_memory",),
            1,
        ),
    ],
)
def test_a_pattern_needs_two_kinds_on_two_days(
    logged: list[tuple[str, str]], pattern: bool, kinds: tuple[str, ...] | None, days: int
) -> None:
    s = status([intake(), *(signal(k, t) for k, t in logged)], NOW)
    assert s.signals.pattern is pattern
    assert s.signals.days == days
    if kinds is not None:
        assert s.signals.kinds == kinds
    assert s.signals.reasons
    if pattern:
        assert "pattern" in s.signals.reasons[0] and "not a promise" in s.signals.reasons[0]
        for kind in s.signals.kinds:
            assert MEANINGFUL_SIGNALS[kind] in s.signals.reasons[0]
    else:
        assert "is a pattern worth" not in " ".join(s.signals.reasons)


@pytest.mark.parametrize(("logistics", "pattern"), [(False, True), (True, False)])
def test_warm_unsolicited_contact_counts_as_a_signal_and_logistics_does_not(
    logistics: bool, pattern: bool
) -> None:
    events = [
        intake(),
        ev("ex_contact", "2026-09-10 20:00", text="Saw a dog just like Max today!", logistics=logistics),
        signal("shared_memory", "2026-09-14 20:00"),
    ]
    assert status(events, NOW).signals.pattern is pattern


@pytest.mark.parametrize(
    ("weak", "meaningful", "note"),
    [
        (0, 0, False),
        (2, 0, False),
        (3, 0, True),
        (6, 1, True),
        (3, 3, False),  # as many meaningful as weak: nothing to over-read
        (4, 3, True),
    ],
)
def test_many_weak_signals_earn_a_gentle_note(weak: int, meaningful: int, note: bool) -> None:
    weak_kinds = ["story_view", "like", "brief_reply"]
    meaningful_kinds = list(MEANINGFUL_SIGNALS)
    events = [intake()]
    events += [signal(weak_kinds[i % 3], f"2026-09-{10 + i:02d} 20:00") for i in range(weak)]
    events += [signal(meaningful_kinds[i % 5], f"2026-09-{10 + i:02d} 21:00") for i in range(meaningful)]
    s = status(events, NOW)
    assert (s.signals.over_read_note is not None) is note
    if note:
        assert "read too much" in (s.signals.over_read_note or "")


def test_reading_signals_does_not_depend_on_the_zone_of_storage() -> None:
    events = [signal("shared_memory", "2026-09-10 20:00"), signal("asked_about_you", "2026-09-11 20:00")]
    assert read_signals(events, ZoneInfo("America/New_York")).pattern
    # In Tokyo both moments fall on 2026-09-11 and 2026-09-12: still two days.
    assert read_signals(events, ZoneInfo("Asia/Tokyo")).days == 2
