"""The stored snapshot, on SQLite and PostgreSQL: kept up to date with every append, rebuilt when stale."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from program.helpers import at, intake, readiness_passed
from program.test_snapshot import arrivals
from sqlalchemy import create_engine, insert, text

from olivebranch.program.events import Event, Kind
from olivebranch.program.state import ENGINE_VERSION, evaluate, status_from
from olivebranch.store import Store, open_store

LATER = st.integers(0, 60 * 24 * 90)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


def journey() -> list[Event]:
    return [
        intake(),
        Event(Kind.CHECKIN, at("2026-09-07 09:00"), {"mood": 4, "urge": 7}),
        Event(Kind.SLIP, at("2026-09-09 23:00"), {"trigger": "wine"}),
        readiness_passed(at("2026-10-12 20:00")),
        Event(Kind.SENT, at("2026-10-13 12:00"), {"text": "Saw the trail we liked is open again."}),
    ]


def snapshot_row(store_url: str) -> tuple[int, int] | None:
    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT engine_version, last_event_id FROM snapshots")).first()
    finally:
        engine.dispose()
    return None if row is None else (int(row[0]), int(row[1]))


def execute(store_url: str, sql: str) -> None:
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


PEOPLE = itertools.count(100)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(events=arrivals(), minutes=LATER)
def test_the_stored_snapshot_gives_the_status_of_a_fresh_replay(
    store: Store, events: list[Event], minutes: int
) -> None:
    person = next(PEOPLE)  # one store for all examples: each example is a new person
    for event in events:
        store.append(event, person)
    snapshot = store.snapshot(person)
    assert snapshot is not None
    now = snapshot.last_at + timedelta(minutes=minutes)
    assert status_from(snapshot, now) == evaluate(store.events(person), now)
    assert status_from(snapshot, now) == evaluate(events, now)


def test_each_append_keeps_the_snapshot_in_step_with_the_log(store: Store, store_url: str) -> None:
    for event in journey():
        last_id = store.append(event)
        assert snapshot_row(store_url) == (ENGINE_VERSION, last_id)
    snapshot = store.snapshot()
    assert snapshot is not None
    now = at("2026-10-14 09:00")
    status = status_from(snapshot, now)
    assert status == evaluate(journey(), now)
    assert status.phase.value == "first_contact"
    assert status.next_step.code == "wait_for_reply"


def test_an_event_entered_late_rewrites_the_snapshot_from_the_log(store: Store) -> None:
    for event in journey():
        store.append(event)
    late = Event(Kind.SLIP, at("2026-10-11 22:00"), {"trigger": "an old photo"})  # before the readiness check
    store.append(late)
    snapshot = store.snapshot()
    assert snapshot is not None
    now = at("2026-10-14 09:00")
    status = status_from(snapshot, now)
    assert status == evaluate([*journey(), late], now)
    # The readiness check now came too soon, so no contact never ended and the message was a slip too.
    assert status.phase.value == "no_contact"
    assert status.no_contact is not None and status.no_contact.restarts == 3


def test_a_snapshot_of_another_engine_version_is_rebuilt(store: Store, store_url: str) -> None:
    for event in journey():
        last_id = store.append(event)
    execute(store_url, "UPDATE snapshots SET engine_version = 0, state = '{}'")
    snapshot = store.snapshot()
    assert snapshot is not None
    now = at("2026-10-14 09:00")
    assert status_from(snapshot, now) == evaluate(journey(), now)
    assert snapshot_row(store_url) == (ENGINE_VERSION, last_id)


def test_a_snapshot_behind_the_log_is_rebuilt(store: Store, store_url: str) -> None:
    for event in journey()[:3]:
        store.append(event)
    behind = snapshot_row(store_url)
    for event in journey()[3:]:
        store.append(event)
    assert behind is not None
    execute(store_url, f"UPDATE snapshots SET last_event_id = {behind[1]}")
    snapshot = store.snapshot()
    assert snapshot is not None
    assert status_from(snapshot, at("2026-10-14 09:00")).phase.value == "first_contact"


def test_no_snapshot_before_the_intake_and_none_left_after_forgetting(store: Store, store_url: str) -> None:
    store.append(Event(Kind.SETTINGS, at("2026-09-05 09:00"), {"region": "GB"}))
    assert store.snapshot() is None
    for event in journey():
        store.append(event)
    assert store.snapshot() is not None
    store.forget()
    assert snapshot_row(store_url) is None
    assert store.snapshot() is None


def test_a_database_from_before_snapshots_gets_them(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    import olivebranch.store

    url = f"sqlite:///{tmp_path / 'olivebranch.db'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(Path(olivebranch.store.__file__).with_name("migrations")))
    config.set_main_option("path_separator", "os")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "ob0001")
        conn.execute(text("INSERT INTO people (id) VALUES (1)"))
        from olivebranch.store.models import EventRow
        from olivebranch.store.store import _row

        conn.execute(insert(EventRow.__table__), [_row(e, 1, 0) for e in journey()])
    engine.dispose()
    with open_store(url) as store:
        snapshot = store.snapshot()
        assert snapshot is not None
        now = at("2026-10-14 09:00")
        assert status_from(snapshot, now) == evaluate(journey(), now)


def test_a_new_log_after_forgetting_is_never_answered_from_the_old_snapshot(store: Store) -> None:
    for event in journey():
        store.append(event)
    before = store.snapshot()
    assert before is not None and status_from(before, at("2026-10-14 09:00")).phase.value == "first_contact"
    store.forget()
    store.append(intake(repeated_betrayal=True))  # the same event ids may be used again
    after = store.snapshot()
    assert after is not None
    assert status_from(after, at("2026-10-14 09:00")).track.value == "let_go"
