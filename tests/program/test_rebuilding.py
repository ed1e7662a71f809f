"""Rebuilding: pacing, meetings, and the gate to the honest conversation (sections 5 and 7)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from olivebranch.program.events import Event
from olivebranch.program.readiness import CONVERSATION_READINESS
from olivebranch.program.state import Phase

from .helpers import FIRST_MESSAGE_DAY, codes, conversation_ready, day_at, ev, intake, rebuilding_from, status


def on(offset: int, clock: str = "09:00") -> datetime:
    return day_at(FIRST_MESSAGE_DAY + timedelta(days=offset), clock)


def meetings(*went: str, start: int = 10) -> list[Event]:
    return [ev("meeting", on(start + 3 * i, "18:00"), went=w) for i, w in enumerate(went)]


@pytest.mark.parametrize(
    ("offset", "code"),
    [
        (0, "keep_it_light"),
        (3, "keep_it_light"),
        (6, "keep_it_light"),
        (7, "suggest_meeting"),
        (20, "suggest_meeting"),
    ],
)
def test_pacing_before_a_meeting(offset: int, code: str) -> None:
    s = status(rebuilding_from(), on(offset, "21:00"))
    assert s.phase is Phase.REBUILDING
    assert s.next_step.code == code
    assert s.contact.rebuilding_since == FIRST_MESSAGE_DAY


def test_messages_stay_short_while_rebuilding() -> None:
    s = status(rebuilding_from(), on(1))
    assert "80 words" in s.next_step.text
    assert "No relationship talk" in s.next_step.text


@pytest.mark.parametrize(
    ("went", "good", "code"),
    [
        (("good",), 1, "keep_meeting"),
        (("good", "good"), 2, "keep_meeting"),
        (("good", "mixed", "good"), 2, "keep_meeting"),
        (("bad", "mixed"), 0, "suggest_meeting"),
        (("good", "good", "good"), 3, "conversation_check"),
        (("good", "bad", "good", "good"), 3, "conversation_check"),
    ],
)
def test_meetings_are_counted(went: tuple[str, ...], good: int, code: str) -> None:
    s = status([*rebuilding_from(), *meetings(*went)], on(30))
    assert s.contact.meetings == len(went)
    assert s.contact.good_meetings == good
    assert s.next_step.code == code
    assert s.phase is Phase.REBUILDING
    assert "first_meeting" in codes(s.milestones)
    assert ("third_good_meeting" in codes(s.milestones)) is (good >= 3)


@pytest.mark.parametrize(
    ("went", "ready_answers", "phase"),
    [
        (("good", "good", "good"), dict.fromkeys(CONVERSATION_READINESS, True), Phase.CONVERSATION),
        (("good", "good", "mixed"), dict.fromkeys(CONVERSATION_READINESS, True), Phase.REBUILDING),
        (("good", "good"), dict.fromkeys(CONVERSATION_READINESS, True), Phase.REBUILDING),
        (
            ("good", "good", "good"),
            {**dict.fromkeys(CONVERSATION_READINESS, True), "both_calm": False},
            Phase.REBUILDING,
        ),
        (("good", "good", "good"), {}, Phase.REBUILDING),
    ],
)
def test_the_conversation_needs_three_good_meetings_and_the_checklist(
    went: tuple[str, ...], ready_answers: dict[str, bool], phase: Phase
) -> None:
    events = [
        *rebuilding_from(),
        *meetings(*went),
        ev("conversation_readiness", on(25), answers=ready_answers),
    ]
    s = status(events, on(26))
    assert s.phase is phase
    if phase is Phase.CONVERSATION:
        assert s.next_step.code == "have_the_conversation"
        assert "what changed" in s.next_step.text


def test_a_checklist_taken_too_early_must_be_taken_again() -> None:
    events = [
        *rebuilding_from(),
        *meetings("good", "good"),
        conversation_ready(on(20)),
        *meetings("good", start=22),
    ]
    s = status(events, on(24))
    assert s.phase is Phase.REBUILDING
    assert s.next_step.code == "conversation_check"
    s = status([*events, conversation_ready(on(25))], on(26))
    assert s.phase is Phase.CONVERSATION


def test_meetings_during_no_contact_do_not_count() -> None:
    events = [
        intake(),
        *[ev("meeting", day_at(date(2026, 9, d), "18:00"), went="good") for d in (10, 12, 14)],
    ]
    s = status(events, "2026-09-20 09:00")
    assert s.contact.good_meetings == 0
    assert "first_meeting" not in codes(s.milestones)


def conversation_with(outcome: str) -> list[Event]:
    return [
        *rebuilding_from(),
        *meetings("good", "good", "good"),
        conversation_ready(on(25)),
        ev("conversation", on(27, "19:00"), outcome=outcome),
    ]


@pytest.mark.parametrize(
    ("outcome", "phase", "code"),
    [
        ("apart", Phase.MOVING_ON, "focus_on_yourself"),
        ("together", Phase.CONVERSATION, "keep_building"),
        ("not_yet", Phase.REBUILDING, "conversation_check"),
    ],
)
def test_the_conversation_outcome(outcome: str, phase: Phase, code: str) -> None:
    s = status(conversation_with(outcome), on(28))
    assert s.phase is phase
    assert s.next_step.code == code
    assert "conversation" in codes(s.milestones)
    if phase is Phase.MOVING_ON:
        assert s.moving_on_reason == "conversation"


def test_a_conversation_event_before_the_gate_changes_nothing() -> None:
    events = [*rebuilding_from(), *meetings("good"), ev("conversation", on(20), outcome="apart")]
    s = status(events, on(21))
    assert s.phase is Phase.REBUILDING
    assert "conversation" not in codes(s.milestones)


def test_a_cool_reply_while_rebuilding_is_remembered_without_leaving_rebuilding() -> None:
    events = [*rebuilding_from(), ev("reply", on(3), tone="cool")]
    s = status(events, on(4))
    assert s.phase is Phase.REBUILDING
    assert s.contact.last_reply_tone == "cool"
    assert "brief_or_cool_reply" in codes(s.scenarios)
