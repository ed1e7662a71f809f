"""Mistakes the program detects and names (section 8), and how long a warning stays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from olivebranch.program.events import Event

from .helpers import FIRST_MESSAGE_DAY, codes, conversation_ready, day_at, ev, intake, rebuilding_from, status


def on(offset: int, clock: str = "12:00") -> datetime:
    return day_at(FIRST_MESSAGE_DAY + timedelta(days=offset), clock)


def sent(offset: int, text: str = "hi", clock: str = "12:00", **flags: object) -> Event:
    return ev("sent", on(offset, clock), text=text, **flags)


def reply(offset: int, clock: str = "20:00", tone: str = "warm") -> Event:
    return ev("reply", on(offset, clock), tone=tone, text="hey")


BASE = rebuilding_from()  # first message and a warm reply on FIRST_MESSAGE_DAY


@pytest.mark.parametrize(
    ("extra", "now", "present"),
    [
        # pursuit: more unanswered messages than the one follow-up the plan allows
        ([sent(1), sent(2)], 3, False),
        ([sent(1), sent(2), sent(3)], 4, True),
        ([sent(1), sent(2), reply(2), sent(3)], 4, False),
        ([sent(1), sent(2), ev("ex_contact", on(2, "21:00"), text="hey!"), sent(3)], 4, False),
        ([sent(1), sent(2), ev("ex_contact", on(2, "21:00"), text="bins", logistics=True), sent(3)], 4, True),
        ([sent(1), sent(2), sent(3, logistics=True), sent(4, answering=True)], 5, False),
    ],
)
def test_pursuit(extra: list[Event], now: int, present: bool) -> None:
    s = status([*BASE, *extra], on(now))
    assert ("pursuit" in codes(s.warnings)) is present
    if present:
        assert "3 messages in a row" in next(w.text for w in s.warnings if w.code == "pursuit")


@pytest.mark.parametrize(
    ("call_days", "now", "present"),
    [
        ([1], 2, False),
        ([1, 7], 8, True),  # six days apart: the same week
        ([1, 8], 9, False),  # a week apart
        ([1, 1], 2, True),
        ([1, 2], 15, True),  # 13 days after the last repeat: still shown
        ([1, 2], 16, False),  # 14 days after: it has dropped off
        ([1, 2, 30, 32], 33, True),  # a new repeat is named even though the first has aged out
    ],
)
def test_repeated_calls(call_days: list[int], now: int, present: bool) -> None:
    s = status([*BASE, *(ev("call", on(d)) for d in call_days)], on(now))
    assert ("repeated_calls" in codes(s.warnings)) is present


def test_showing_up_is_named_after_one_visit() -> None:
    s = status([*BASE, ev("visit", on(2))], on(3))
    text = next(w.text for w in s.warnings if w.code == "showing_up")
    assert "don't do it again" in text


@pytest.mark.parametrize(
    ("messages", "present"),
    [
        (["I'm sorry for how I acted."], False),  # one sincere apology can help
        (["I'm sorry for how I acted.", "Sorry again, please forgive me"], True),
        (["I apologise.", "Hope your week is good"], False),
        (["Forgive me?", "I APOLOGIZE for everything"], True),
        (["Sorry to bother you, the keys?", "(logistics)"], False),
    ],
)
def test_repeated_apologies(messages: list[str], present: bool) -> None:
    events = [*BASE]
    for i, text in enumerate(messages):
        events += [sent(1 + 2 * i, text), reply(1 + 2 * i)]
    s = status(events, on(10))
    assert ("repeated_apologies" in codes(s.warnings)) is present


def test_an_apology_flag_counts_as_an_apology() -> None:
    events = [*BASE, sent(1, "long letter", apology=True), reply(1), sent(3, "again", apology=True), reply(3)]
    assert "repeated_apologies" in codes(status(events, on(4)).warnings)


def meetings_and_conversation() -> list[Event]:
    return [
        *BASE,
        *(ev("meeting", on(d, "18:00"), went="good") for d in (9, 12, 15)),
        conversation_ready(on(16)),
        ev("conversation", on(18, "19:00"), outcome="together"),
    ]


@pytest.mark.parametrize(
    ("events", "gesture_day", "present"),
    [
        (BASE, 3, True),  # rebuilding: too early
        (meetings_and_conversation(), 10, True),
        (meetings_and_conversation(), 20, False),  # after the honest conversation it is no mistake
    ],
)
def test_grand_gesture_before_the_conversation(events: list[Event], gesture_day: int, present: bool) -> None:
    s = status([*events, ev("gesture", on(gesture_day), note="flowers at her door")], on(gesture_day + 1))
    assert ("grand_gesture" in codes(s.warnings)) is present


def test_a_grand_gesture_during_no_contact_is_named() -> None:
    s = status([intake(), ev("gesture", "2026-09-14 12:00", note="a long letter")], "2026-09-15 09:00")
    assert "grand_gesture" in codes(s.warnings)


def burst(start: int) -> list[Event]:
    return [
        sent(start, "hey", "10:00"),
        sent(start, "are you there", "14:00"),
        sent(start + 1, "???", "09:00"),
    ]


@pytest.mark.parametrize(
    ("messages", "now", "present"),
    [
        ([*burst(2), sent(10)], 11, True),  # a burst, eight days of silence, then more
        ([*burst(2), sent(8)], 9, False),  # six days of silence is not the cold half
        ([*burst(2)], 20, False),  # burst then silence, nothing after (yet)
        ([sent(2), sent(4), sent(12), sent(20)], 21, False),  # slow and steady, no burst
        ([*burst(2), sent(10), *burst(40), sent(48)], 49, True),  # the latest cycle is named
    ],
)
def test_hot_and_cold(messages: list[Event], now: int, present: bool) -> None:
    s = status([*BASE, *messages], on(now))
    assert ("hot_and_cold" in codes(s.warnings)) is present


def test_hot_and_cold_is_not_judged_from_slips_during_no_contact() -> None:
    events = [
        intake(),
        ev("sent", "2026-09-08 10:00", text="a"),
        ev("sent", "2026-09-08 11:00", text="b"),
        ev("sent", "2026-09-08 12:00", text="c"),
        ev("sent", "2026-09-18 12:00", text="d"),
    ]
    s = status(events, "2026-09-19 09:00")
    assert "hot_and_cold" not in codes(s.warnings)


def test_asking_friends_to_carry_messages() -> None:
    s = status([*BASE, ev("friend_message", on(3), note="asked Sam to tell her I miss her")], on(4))
    assert "friends_as_messengers" in codes(s.warnings)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("visit", "showing_up"),
        ("gesture", "grand_gesture"),
        ("friend_message", "friends_as_messengers"),
        ("social_check", "checking_social_media"),
        ("friend_news", "asking_friends_for_news"),
    ],
)
@pytest.mark.parametrize(("days_after", "shown"), [(0, True), (13, True), (14, False), (40, False)])
def test_warnings_older_than_14_days_drop_off(kind: str, code: str, days_after: int, shown: bool) -> None:
    last = date(2026, 9, 12)
    repeats = 3 if kind in ("social_check", "friend_news") else 1
    events = [intake(), *(ev(kind, day_at(last - timedelta(days=i), "20:00")) for i in range(repeats))]
    s = status(events, day_at(last + timedelta(days=days_after), "21:00"))
    assert (code in codes(s.warnings)) is shown


def test_a_warning_is_dated_by_its_latest_occurrence() -> None:
    events = [intake(), ev("visit", "2026-09-08 12:00"), ev("visit", "2026-09-20 12:00")]
    s = status(events, "2026-09-30 09:00")
    assert next(w.last_day for w in s.warnings if w.code == "showing_up") == date(2026, 9, 20)


def test_each_warning_has_words_for_the_person() -> None:
    events = [
        *BASE,
        sent(1),
        sent(2),
        sent(3, "sorry"),
        sent(4, "sorry again"),
        ev("call", on(4)),
        ev("call", on(5)),
        ev("visit", on(6)),
        ev("gesture", on(6)),
        ev("friend_message", on(6)),
    ]
    s = status(events, on(7))
    assert set(codes(s.warnings)) >= {
        "pursuit",
        "repeated_calls",
        "showing_up",
        "repeated_apologies",
        "grand_gesture",
        "friends_as_messengers",
    }
    for warning in s.warnings:
        assert len(warning.text) > 40
        assert "{" not in warning.text
