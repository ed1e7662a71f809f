"""Property tests: the state is a pure function of the log and the moment asked about."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from olivebranch.program.events import Event, Kind
from olivebranch.program.state import Phase, evaluate

from .helpers import at, intake

START = at("2026-09-06 10:00")  # the intake
HORIZON_MINUTES = 120 * 24 * 60

NEXT_STEP_CODES = {
    "get_support",
    "respect_boundary",
    "focus_on_yourself",
    "stay_no_contact",
    "readiness_check",
    "reassess",
    "send_follow_up",
    "wait_for_reply",
    "give_space",
    "send_first_message",
    "conversation_check",
    "keep_meeting",
    "suggest_meeting",
    "keep_it_light",
    "keep_building",
    "have_the_conversation",
}

text = st.sampled_from(["hi", "sorry", "I'm sorry, forgive me", "saw a heron today", ""])
tone = st.sampled_from(["warm", "neutral", "brief", "cool", "hostile"])

# (kind, data) pairs: every kind of event, with the data variants that steer the rules.
EVENT_DATA: st.SearchStrategy[tuple[str, dict[str, Any]]] = st.one_of(
    st.tuples(st.just("sent"), st.fixed_dictionaries({"text": text})),
    st.tuples(st.just("sent"), st.fixed_dictionaries({"text": text, "logistics": st.just(True)})),
    st.tuples(st.just("sent"), st.fixed_dictionaries({"text": text, "answering": st.just(True)})),
    st.tuples(st.sampled_from(["call", "visit", "gesture", "friend_message", "ex_new_partner"]), st.just({})),
    st.tuples(st.just("slip"), st.fixed_dictionaries({"trigger": st.sampled_from(["song", "wine"])})),
    st.tuples(st.sampled_from(["social_check", "friend_news"]), st.just({})),
    st.tuples(st.just("readiness"), st.sampled_from([{"passed": True}, {"answers": {}}])),
    st.tuples(
        st.just("reassessment"), st.fixed_dictionaries({"outcome": st.sampled_from(["reconcile", "let_go"])})
    ),
    st.tuples(st.just("reply"), st.fixed_dictionaries({"tone": tone, "text": text})),
    st.tuples(st.just("reply"), st.just({"tone": "cool", "no_contact_requested": True})),
    st.tuples(st.just("ex_contact"), st.fixed_dictionaries({"text": text, "logistics": st.booleans()})),
    st.tuples(
        st.just("signal"),
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(
                    ["unsolicited_contact", "shared_memory", "asked_about_you", "like", "story_view"]
                )
            }
        ),
    ),
    st.tuples(
        st.just("meeting"), st.fixed_dictionaries({"went": st.sampled_from(["good", "good", "mixed", "bad"])})
    ),
    st.tuples(st.just("conversation_readiness"), st.sampled_from([{"passed": True}, {"answers": {}}])),
    st.tuples(
        st.just("conversation"),
        st.fixed_dictionaries({"outcome": st.sampled_from(["together", "apart", "not_yet"])}),
    ),
    st.tuples(
        st.just("journal"), st.fixed_dictionaries({"prompt": st.sampled_from(["what_ended_it", "growth"])})
    ),
    st.tuples(
        st.just("checkin"),
        st.fixed_dictionaries({"mood": st.integers(0, 10), "urge": st.integers(0, 10)}),
    ),
    st.tuples(st.sampled_from(["let_go", "safety_concern"]), st.just({})),
)

# Moments after the intake; a few fixed minutes make ties at the same instant likely.
MINUTES = st.one_of(st.integers(1, HORIZON_MINUTES), st.sampled_from([60, 60 * 24 * 30, 60 * 24 * 40]))
# The same instant may be stored with any UTC offset.
OFFSETS = st.sampled_from([-10, -5, -4, 0, 1, 2, 5.5, 9, 13])


@st.composite
def events(draw: st.DrawFn, min_size: int = 0, max_size: int = 40) -> list[Event]:
    result = []
    for _ in range(draw(st.integers(min_size, max_size))):
        kind, data = draw(EVENT_DATA)
        moment = START + timedelta(minutes=draw(MINUTES))
        offset = timezone(timedelta(hours=draw(OFFSETS)))
        result.append(Event(Kind(kind), moment.astimezone(offset), data))
    return result


INTAKES = st.sampled_from(
    [
        intake(),
        intake(married=True),
        intake(months_together=4),
        intake(breakup_messy=True, mutual_friends=True),
        intake(repeated_betrayal=True),
    ]
)
NOW = st.integers(0, HORIZON_MINUTES + 60 * 24 * 20).map(lambda m: START + timedelta(minutes=m))

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(first=INTAKES, log=events(), now=NOW, data=st.data())
def test_insertion_order_does_not_matter(
    first: Event, log: list[Event], now: datetime, data: st.DataObject
) -> None:
    full = [first, *log]
    shuffled = data.draw(st.permutations(full))
    assert evaluate(shuffled, now) == evaluate(full, now)


@SETTINGS
@given(first=INTAKES, log=events(), now=NOW)
def test_evaluating_twice_gives_the_same_state_and_leaves_the_log_alone(
    first: Event, log: list[Event], now: datetime
) -> None:
    full = [first, *log]
    before = list(full)
    assert evaluate(full, now) == evaluate(full, now)
    assert full == before
    assert evaluate(iter(full), now) == evaluate(tuple(full), now)


@SETTINGS
@given(first=INTAKES, log=events(), future=events(min_size=1, max_size=10), now=NOW)
def test_events_after_now_are_ignored(
    first: Event, log: list[Event], future: list[Event], now: datetime
) -> None:
    past = [e for e in [first, *log] if e.at <= now]
    later = [Event(e.kind, now + (e.at - START), e.data) for e in future]  # all strictly after now
    assert evaluate([*past, *later], now) == evaluate(past, now)
    assert evaluate([first, *log], now) == evaluate(past, now)


@SETTINGS
@given(first=INTAKES, log=events(), now=NOW, offset=OFFSETS)
def test_the_stored_offset_does_not_matter(
    first: Event, log: list[Event], now: datetime, offset: float
) -> None:
    zone = timezone(timedelta(hours=offset))
    moved = [Event(e.kind, e.at.astimezone(zone), e.data) for e in [first, *log]]
    assert evaluate(moved, now) == evaluate([first, *log], now)


@SETTINGS
@given(first=INTAKES, log=events(), now=NOW)
def test_the_state_is_always_well_formed(first: Event, log: list[Event], now: datetime) -> None:
    s = evaluate([first, *log], now)
    assert s.next_step.code in NEXT_STEP_CODES
    assert s.next_step.text
    assert (s.phase is Phase.SAFETY) is (s.no_contact is None)
    if s.no_contact is not None:
        assert s.no_contact.planned_days in (21, 30, 45)
        assert s.no_contact.day >= 0
        assert s.no_contact.restarts == len(s.slips)
        assert s.no_contact.reasons
    assert (s.moving_on_reason is not None) is (s.phase is Phase.MOVING_ON)
    for warning in s.warnings:
        assert 0 <= (s.today - warning.last_day).days < 14
        assert warning.text
    assert s.contact.good_meetings <= s.contact.meetings
    if s.phase is Phase.SAFETY:
        assert s.next_step.code == "get_support"
        assert s.scenarios == ()


@SETTINGS
@given(log=events(), now=NOW)
def test_the_safety_track_never_coaches_contact(log: list[Event], now: datetime) -> None:
    from .helpers import safety

    s = evaluate([intake(safety=safety(felt_unsafe=True)), *log], now)
    assert s.phase is Phase.SAFETY
    assert s.next_step.code == "get_support"
