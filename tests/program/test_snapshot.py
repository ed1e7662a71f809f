"""The stored snapshot: folded event by event, it gives the status a fresh replay of the log gives."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from olivebranch.program.events import Event, Kind
from olivebranch.program.state import Snapshot, build, evaluate, status_from

from .helpers import at, intake, readiness_passed
from .test_properties import EVENT_DATA, INTAKES, OFFSETS, START

# Besides the kinds the other property tests draw: what the safety screen records,
# the person's review of it, "it has stopped", settings and a second intake.
MORE_DATA: st.SearchStrategy[tuple[str, dict[str, Any]]] = st.one_of(
    st.tuples(
        st.just("screen"),
        st.fixed_dictionaries(
            {
                "flags": st.lists(
                    st.sampled_from(["abuse", "crisis", "harassment_risk"]), min_size=1, unique=True
                )
            }
        ),
    ),
    st.tuples(
        st.just("screen_review"),
        st.fixed_dictionaries({"outcome": st.sampled_from(["misread", "confirmed"])}),
    ),
    st.tuples(st.sampled_from(["harassment_stopped", "urge", "ex_new_partner"]), st.just({})),
    st.tuples(st.just("settings"), st.just({"region": "GB"})),
)
ANY_DATA = st.one_of(EVENT_DATA, EVENT_DATA, MORE_DATA)
# Gaps between events: often minutes (bursts, ties, same-day pairs), sometimes days or weeks.
GAP_MINUTES = st.one_of(
    st.just(0), st.integers(1, 180), st.integers(180, 60 * 24 * 3), st.integers(60 * 24 * 3, 60 * 24 * 20)
)


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    """A log in time order: intake, often a passed readiness check when no contact may end, then events."""
    first = draw(INTAKES)
    log = [first]
    if draw(st.booleans()):
        log.append(readiness_passed(at("2026-10-20 20:00")))
    moment = START
    for _ in range(draw(st.integers(0, 45))):
        moment += timedelta(minutes=draw(GAP_MINUTES))
        kind, data = draw(ANY_DATA)
        offset = timezone(timedelta(hours=draw(OFFSETS)))
        log.append(Event(Kind(kind), moment.astimezone(offset), data))
    if draw(st.integers(0, 9)) == 0:  # the intake done again, later
        log.append(Event(Kind.INTAKE, moment + timedelta(hours=1), first.data))
    return sorted(log, key=Event.sort_key)


@st.composite
def arrivals(draw: st.DrawFn) -> list[Event]:
    """The order events reach the store: the intake, then mostly the log's order, with a few
    entered late (with an earlier ``--at``)."""
    log = draw(histories())
    first = next(e for e in log if e.kind is Kind.INTAKE)
    rest = [e for e in log if e is not first]
    late = set(draw(st.lists(st.integers(0, max(len(rest) - 1, 0)), max_size=3)))
    return [
        first,
        *(e for i, e in enumerate(rest) if i not in late),
        *(rest[i] for i in sorted(late) if i < len(rest)),
    ]


LATER = st.lists(st.integers(0, 60 * 24 * 60), min_size=1, max_size=4)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stored(snapshot: Snapshot) -> Snapshot:
    """The snapshot as the store keeps it: JSON text, read back."""
    return Snapshot.from_json(json.loads(json.dumps(snapshot.to_json())), snapshot.intake)


@SETTINGS
@given(events=arrivals(), later=LATER, data=st.data())
def test_a_snapshot_folded_event_by_event_gives_the_status_of_a_fresh_replay(
    events: list[Event], later: list[int], data: st.DataObject
) -> None:
    seen = events[:1]
    snapshot = build(seen)
    assert snapshot is not None
    for event in events[1:]:
        seen.append(event)
        if not snapshot.fold(event):
            snapshot = build(seen)  # what the store does when an event cannot be folded in
            assert snapshot is not None
        if data.draw(st.booleans()):
            snapshot = stored(snapshot)
    for minutes in later:
        now = snapshot.last_at + timedelta(minutes=minutes)
        assert status_from(snapshot, now) == evaluate(seen, now)
        assert status_from(stored(snapshot), now) == evaluate(seen, now)


@SETTINGS
@given(log=histories())
def test_events_entered_in_log_order_fold_without_a_rebuild_until_an_intake_or_a_misread_review(
    log: list[Event],
) -> None:
    start = next(i for i, e in enumerate(log) if e.kind is Kind.INTAKE) + 1
    snapshot = build(log[:start])
    assert snapshot is not None
    previous = log[start - 1]
    for event in log[start:]:
        withdraws = event.kind is Kind.SCREEN_REVIEW and event.data.get("outcome") == "misread"
        tie = (event.at, event.kind) == (previous.at, previous.kind)
        if event.kind is Kind.INTAKE or withdraws or tie:
            return
        assert snapshot.fold(event)
        previous = event


def test_an_event_entered_with_an_earlier_time_is_not_folded_in() -> None:
    log = [intake(), Event(Kind.CHECKIN, at("2026-09-10 09:00"), {"mood": 4})]
    snapshot = build(log)
    assert snapshot is not None
    assert not snapshot.fold(Event(Kind.SLIP, at("2026-09-08 22:00"), {"trigger": "wine"}))
    assert snapshot.fold(Event(Kind.SLIP, at("2026-09-11 22:00"), {"trigger": "wine"}))


def test_a_status_before_the_last_event_folded_in_is_refused() -> None:
    snapshot = build([intake(), Event(Kind.CHECKIN, at("2026-09-10 09:00"), {"mood": 4})])
    assert snapshot is not None
    with pytest.raises(ValueError):
        status_from(snapshot, at("2026-09-09 09:00"))


def test_the_stored_snapshot_holds_none_of_the_persons_intake_answers() -> None:
    snapshot = build([intake(story="We met at the lake and it ended in a car park.")])
    assert snapshot is not None
    assert "lake" not in json.dumps(snapshot.to_json())


def test_a_snapshot_stays_small_however_long_the_log() -> None:
    start: datetime = at("2026-09-06 11:00")
    log = [intake()] + [
        Event(Kind.CHECKIN, start + timedelta(hours=6 * i), {"mood": 5, "urge": 3}) for i in range(2000)
    ]
    short, long = build(log[:20]), build(log)
    assert short is not None and long is not None
    assert len(json.dumps(long.to_json())) <= len(json.dumps(short.to_json())) + 20
