"""After no contact: the first message, the one follow-up, and what their answer decides (section 4)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from olivebranch.program.events import Event
from olivebranch.program.state import Phase

from .helpers import FIRST_MESSAGE_DAY, codes, day_at, ev, first_message_sent, status, through_no_contact

FOLLOW_UP_DAY = FIRST_MESSAGE_DAY + timedelta(days=7)  # 2026-10-13


def on(offset: int, clock: str = "09:00", start: date = FIRST_MESSAGE_DAY) -> datetime:
    return day_at(start + timedelta(days=offset), clock)


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (on(0, "12:30"), "wait_for_reply"),  # the same day
        (on(1), "wait_for_reply"),
        (on(6, "23:59"), "wait_for_reply"),
        (on(7, "00:00"), "send_follow_up"),  # a week on, by the local calendar
        (on(7, "18:00"), "send_follow_up"),
        (on(30), "send_follow_up"),  # the follow-up stays optional; nothing moves on its own
    ],
)
def test_after_a_first_message_without_reply(now: datetime, code: str) -> None:
    s = status(first_message_sent(), now)
    assert s.phase is Phase.FIRST_CONTACT
    assert s.next_step.code == code
    assert s.contact.first_message_on == FIRST_MESSAGE_DAY
    assert s.contact.awaiting_reply_since == FIRST_MESSAGE_DAY


@pytest.mark.parametrize(("offset", "waited"), [(0, 0), (3, 3), (6, 6)])
def test_the_wait_shows_its_day(offset: int, waited: int) -> None:
    s = status(first_message_sent(), on(offset, "13:00"))
    # The wording may change; the count of days waited out of seven must be there.
    assert re.search(rf"\b{waited}\b[^.]*\b7\b", s.next_step.text), s.next_step.text


def test_no_reply_scenario_and_follow_up_milestone_after_a_week() -> None:
    early = status(first_message_sent(), on(6))
    assert "no_reply" not in codes(early.scenarios)
    due = next(m for m in early.milestones if m.code == "follow_up_due")
    assert (due.on, due.reached) == (FOLLOW_UP_DAY, False)
    late = status(first_message_sent(), on(7))
    assert "no_reply" in codes(late.scenarios)
    assert next(m for m in late.milestones if m.code == "follow_up_due").reached


def with_follow_up(follow_up_day: date = FOLLOW_UP_DAY) -> list[Event]:
    return [
        *first_message_sent(),
        ev("sent", day_at(follow_up_day, "10:00"), text="Hope the new job is going well!"),
    ]


@pytest.mark.parametrize(
    ("offset", "code", "phase"),
    [
        (0, "wait_for_reply", Phase.FIRST_CONTACT),
        (3, "wait_for_reply", Phase.FIRST_CONTACT),
        (6, "wait_for_reply", Phase.FIRST_CONTACT),
        (7, "respect_boundary", Phase.MOVING_ON),
        (40, "respect_boundary", Phase.MOVING_ON),
    ],
)
def test_after_the_follow_up(offset: int, code: str, phase: Phase) -> None:
    s = status(with_follow_up(), on(offset, "12:00", FOLLOW_UP_DAY))
    assert s.next_step.code == code
    assert s.phase is phase
    assert s.contact.follow_up_on == FOLLOW_UP_DAY
    if phase is Phase.MOVING_ON:
        assert s.moving_on_reason == "no_reply"
    assert "follow_up_due" not in codes(s.milestones)


def test_respect_boundary_names_the_ex_by_their_pronoun() -> None:
    s = status(with_follow_up(), on(8, "12:00", FOLLOW_UP_DAY))
    assert s.next_step.text.startswith("She hasn't answered")


def test_a_logistical_or_answering_message_is_not_the_first_message() -> None:
    events = [
        *through_no_contact(),
        ev("sent", on(0), text="Your box of books is ready to collect.", logistics=True),
        ev("sent", on(1), text="Sure, Friday works.", answering=True),
    ]
    s = status(events, on(10))
    assert s.next_step.code == "send_first_message"
    assert s.contact.first_message_on is None


@pytest.mark.parametrize(
    ("tone", "phase", "code"),
    [
        ("warm", Phase.REBUILDING, "keep_it_light"),
        ("neutral", Phase.FIRST_CONTACT, "give_space"),
        ("brief", Phase.FIRST_CONTACT, "give_space"),
        ("cool", Phase.FIRST_CONTACT, "give_space"),
        ("hostile", Phase.FIRST_CONTACT, "give_space"),
    ],
)
def test_their_answer_decides_the_next_step(tone: str, phase: Phase, code: str) -> None:
    events = [*first_message_sent(), ev("reply", on(1, "20:00"), tone=tone, text="hi")]
    s = status(events, on(2))
    assert s.phase is phase
    assert s.next_step.code == code
    assert s.contact.last_reply_tone == tone
    assert s.contact.awaiting_reply_since is None
    assert ("brief_or_cool_reply" in codes(s.scenarios)) is (tone in ("brief", "cool"))


def test_a_warm_reply_to_the_follow_up_also_leads_to_rebuilding() -> None:
    events = [*with_follow_up(), ev("reply", on(3, "20:00", FOLLOW_UP_DAY), tone="warm")]
    s = status(events, on(5, "09:00", FOLLOW_UP_DAY))
    assert s.phase is Phase.REBUILDING
    assert s.contact.rebuilding_since == FOLLOW_UP_DAY + timedelta(days=3)
    assert "first_warm_reply" in codes(s.milestones)


def test_after_a_brief_reply_a_new_message_waits_again() -> None:
    events = [
        *first_message_sent(),
        ev("reply", on(0, "20:00"), tone="brief", text="ok"),
        ev("sent", on(14), text="Saw a poster for that band you like."),
    ]
    s = status(events, on(15))
    assert s.next_step.code == "wait_for_reply"
    assert s.contact.awaiting_reply_since == FIRST_MESSAGE_DAY + timedelta(days=14)


@pytest.mark.parametrize("tone", ["warm", "neutral", "cool"])
def test_being_asked_for_no_contact_means_respecting_it(tone: str) -> None:
    events = [*first_message_sent(), ev("reply", on(1), tone=tone, no_contact_requested=True)]
    s = status(events, on(2))
    assert s.phase is Phase.MOVING_ON
    assert s.moving_on_reason == "asked_no_contact"
    assert s.next_step.code == "respect_boundary"
    assert "contact_after_no" not in codes(s.warnings)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("sent", {"text": "Please, just one more talk"}),
        ("call", {}),
        ("visit", {}),
        ("slip", {}),
    ],
)
def test_any_contact_after_a_no_is_named_as_harassment(kind: str, data: dict[str, object]) -> None:
    events = [
        *first_message_sent(),
        ev("reply", on(1), tone="cool", no_contact_requested=True),
        ev(kind, on(3), **data),
    ]
    s = status(events, on(4))
    assert s.phase is Phase.MOVING_ON
    assert s.next_step.code == "respect_boundary"
    warning = next(w for w in s.warnings if w.code == "contact_after_no")
    assert "harassment" in warning.text
    assert warning.text.startswith("She asked not to be contacted")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("sent", {"text": "Your passport came here.", "logistics": True}),
        ("sent", {"text": "Okay.", "answering": True}),
        ("social_check", {}),
    ],
)
def test_logistics_after_a_no_is_not_contact_after_no(kind: str, data: dict[str, object]) -> None:
    events = [*first_message_sent(), ev("reply", on(1), no_contact_requested=True), ev(kind, on(3), **data)]
    assert "contact_after_no" not in codes(status(events, on(4)).warnings)


def test_a_no_is_not_undone_by_later_warm_contact_from_them() -> None:
    events = [
        *first_message_sent(),
        ev("reply", on(1), tone="cool", no_contact_requested=True),
        ev("ex_contact", on(10), text="hey, I miss our walks"),
    ]
    s = status(events, on(11))
    assert (s.phase, s.next_step.code) == (Phase.MOVING_ON, "respect_boundary")


def test_a_no_during_no_contact_also_ends_the_path() -> None:
    events = [*through_no_contact()[:1], ev("reply", "2026-09-15 12:00", no_contact_requested=True)]
    s = status(events, "2026-09-16 09:00")
    assert (s.phase, s.next_step.code) == (Phase.MOVING_ON, "respect_boundary")


def test_after_the_boundary_a_warm_reply_can_reopen_the_door() -> None:
    # Code's choice: silence is not a "no"; if they come back warmly, rebuilding may start.
    events = [*with_follow_up(), ev("reply", on(20, "12:00", FOLLOW_UP_DAY), tone="warm")]
    s = status(events, on(21, "12:00", FOLLOW_UP_DAY))
    assert s.phase is Phase.REBUILDING


def test_after_the_boundary_a_cool_reply_returns_to_giving_space() -> None:
    events = [*with_follow_up(), ev("reply", on(20, "12:00", FOLLOW_UP_DAY), tone="cool")]
    s = status(events, on(21, "12:00", FOLLOW_UP_DAY))
    assert (s.phase, s.next_step.code) == (Phase.FIRST_CONTACT, "give_space")


@pytest.mark.parametrize(
    ("tone", "words"),
    [
        ("neutral", "polite reply"),
        ("brief", "was brief"),
        ("cool", "was cool"),
        ("hostile", "Don't argue"),
    ],
)
def test_giving_space_speaks_to_the_tone_of_their_reply(tone: str, words: str) -> None:
    events = [*first_message_sent(), ev("reply", on(1, "18:00"), tone=tone)]
    step = status(events, on(2)).next_step
    assert step.code == "give_space"
    assert words in step.text


@pytest.mark.parametrize(("second_after", "warned"), [(3, True), (6, True), (7, False)])
def test_writing_again_within_a_week_of_an_unanswered_message_is_named(
    second_after: int, warned: bool
) -> None:
    events = [*first_message_sent(), ev("sent", on(second_after, "10:00"), text="hope work is ok")]
    warnings = codes(status(events, on(second_after, "11:00")).warnings)
    assert ("follow_up_too_soon" in warnings) is warned
