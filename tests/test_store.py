"""The store keeps each person's event log faithfully and refuses what is not its own."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from olivebranch.program.events import Event, Kind
from olivebranch.store import HEAD_REVISION, KNOWN_REVISIONS, Store, StoreError, open_store

EST = timezone(timedelta(hours=-5))
IST = timezone(timedelta(hours=5, minutes=30))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def journal(at: datetime, text_: str = "a quiet evening 🌿") -> Event:
    return Event(Kind.JOURNAL, at, {"text": text_})


def sample() -> list[Event]:
    return [
        Event(Kind.INTAKE, datetime(2026, 11, 1, 8, 0, tzinfo=UTC), {"answers": {"months": 14}, "ok": True}),
        Event(
            Kind.JOURNAL,
            datetime(2026, 11, 3, 23, 30, tzinfo=EST),
            {"text": "missed them 💔 👨‍👩‍👧 — «ça va»", "mood": 3},
        ),
        Event(Kind.URGE, datetime(2026, 11, 4, 10, 15, 30, 123456, tzinfo=IST), {"strength": 7.5}),
        Event(Kind.CHECKIN, datetime(2026, 11, 5, 0, 0, tzinfo=UTC), {}),
    ]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- the log


def test_round_trip_keeps_offset_instant_and_data(store: Store) -> None:
    late = Event(Kind.JOURNAL, datetime(2026, 11, 3, 23, 30, tzinfo=EST), {"text": "still up 😔 ❤️‍🩹"})
    row_id = store.append(late)
    assert isinstance(row_id, int)

    [back] = store.events()
    assert back == late
    assert back.at.utcoffset() == timedelta(hours=-5)
    assert back.at.isoformat() == "2026-11-03T23:30:00-05:00"
    assert back.at.astimezone(UTC) == datetime(2026, 11, 4, 4, 30, tzinfo=UTC)
    assert back.data == {"text": "still up 😔 ❤️‍🩹"}
    assert store.count() == 1


def test_events_come_back_in_time_order_then_entry_order(store: Store) -> None:
    same = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
    first_of_pair = journal(same, "first")
    second_of_pair = journal(same.astimezone(IST), "second")  # the same instant, another offset
    earliest = journal(datetime(2026, 11, 5, 6, 59, tzinfo=EST), "earliest")  # 11:59 UTC
    latest = journal(datetime(2026, 11, 5, 13, 0, tzinfo=UTC), "latest")
    for item in (latest, first_of_pair, second_of_pair, earliest):
        store.append(item)
    assert [e.text("text") for e in store.events()] == ["earliest", "first", "second", "latest"]


def test_append_many_writes_all_at_once(store: Store) -> None:
    assert store.append_many(sample()) == 4
    assert store.events() == sorted(sample(), key=lambda e: e.at)
    assert store.count() == 4


def test_people_are_kept_apart(store: Store) -> None:
    store.append_many(sample())
    store.append(journal(NOW, "someone else"), person_id=2)
    assert store.count() == 4
    assert [e.text("text") for e in store.events(person_id=2)] == ["someone else"]
    assert store.forget(person_id=2) == 1
    assert store.count() == 4


def test_event_log_cannot_be_updated(store: Store, store_url: str) -> None:
    store.append(journal(NOW, "as it was"))
    engine = create_engine(store_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE events SET kind = 'slip'"))
    finally:
        engine.dispose()
    assert [e.text("text") for e in store.events()] == ["as it was"]


def test_forget_deletes_everything(store: Store) -> None:
    store.append_many(sample())
    assert store.forget() == 4
    assert store.count() == 0
    assert store.events() == []
    assert store.forget() == 0


def test_opening_again_finds_the_same_events(store_url: str) -> None:
    with open_store(store_url) as first:
        first.append_many(sample())
    with open_store(store_url) as second:
        assert second.count() == 4
        with open_store(store_url, create=False) as third:
            assert third.events() == second.events()


# --------------------------------------------------------------------------- export and import


def test_export_then_import_round_trip(store: Store, tmp_path: Path) -> None:
    store.append_many(sample())
    document = store.export(exported_at=NOW)
    assert document["format"] == "olivebranch-export"
    assert document["version"] == 1
    assert document["exported_at"] == "2026-12-01T09:00:00+00:00"
    assert document["events"][1] == {
        "kind": "journal",
        "at": "2026-11-03T23:30:00-05:00",
        "data": {"text": "missed them 💔 👨‍👩‍👧 — «ça va»", "mood": 3},
    }
    written = json.loads(json.dumps(document, ensure_ascii=False))  # through a real JSON file

    with open_store(f"sqlite:///{tmp_path / 'other' / 'fresh.db'}") as fresh:
        assert fresh.import_(written) == 4
        assert fresh.events() == store.events()
        assert [e.at.utcoffset() for e in fresh.events()] == [e.at.utcoffset() for e in store.events()]
        assert fresh.export(exported_at=NOW) == document


def valid_document() -> dict[str, Any]:
    return {
        "format": "olivebranch-export",
        "version": 1,
        "exported_at": "2026-12-01T09:00:00+00:00",
        "events": [
            {"kind": "checkin", "at": "2026-11-01T08:00:00+00:00", "data": {}},
            {"kind": "journal", "at": "2026-11-02T08:00:00+00:00", "data": {"text": "private words"}},
            {"kind": "urge", "at": "2026-11-03T08:00:00+00:00", "data": {"strength": 4}},
            {"kind": "slip", "at": "2026-11-04T08:00:00-05:00", "data": {}},
        ],
    }


def broken(change: str) -> object:
    document = valid_document()
    events = document["events"]
    match change:
        case "not an object":
            return ["events"]
        case "format":
            document["format"] = "something-else"
        case "version":
            document["version"] = 2
        case "events":
            document["events"] = {"0": {}}
        case "naive time":
            events[3]["at"] = "2026-11-04T08:00:00"
        case "not a time":
            events[3]["at"] = "yesterday"
        case "unknown kind":
            events[2]["kind"] = "telepathy"
        case "data":
            events[1]["data"] = ["private words"]
        case "not-a-number":
            events[2]["data"] = {"strength": float("nan")}
        case "event":
            events[0] = "checkin"
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("not an object", "not a JSON object"),
        ("format", "format: not an Olive Branch export"),
        ("version", "version: 2 was written by a newer version"),
        ("events", "events: missing or not a list"),
        ("naive time", "events[3].at: not an ISO datetime with offset"),
        ("not a time", "events[3].at: not an ISO datetime with offset"),
        ("unknown kind", "events[2].kind: not an event kind"),
        ("data", "events[1].data: not a JSON object"),
        ("not-a-number", "events[2].data: not a JSON object"),
        ("event", "events[0]: not a JSON object"),
    ],
)
def test_import_refuses_a_bad_document_and_writes_nothing(store: Store, change: str, message: str) -> None:
    with pytest.raises(StoreError) as refused:
        store.import_(broken(change))
    assert message in str(refused.value)
    assert "private words" not in str(refused.value)
    assert store.count() == 0


def test_import_refuses_when_events_exist(store: Store) -> None:
    store.append(journal(NOW, "already here"))
    with pytest.raises(StoreError, match="already holds events"):
        store.import_(valid_document())
    assert [e.text("text") for e in store.events()] == ["already here"]


# --------------------------------------------------------------------------- SQLite files


def test_new_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "olivebranch.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append(journal(NOW))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_relative_sqlite_url_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel/olivebranch.db") as store:
        store.append(journal(NOW))
    with open_store("sqlite:///rel/olivebranch.db", create=False) as store:
        assert store.count() == 1


def test_create_false_refuses_a_missing_database(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no Olive Branch database"):
        open_store(f"sqlite:///{path}", create=False)
    assert not path.exists()


def test_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "olivebranch.db")
    path.write_bytes(os.urandom(8192))
    before = sha256(path)
    with pytest.raises(StoreError, match="not a readable Olive Branch database"):
        open_store(f"sqlite:///{path}")
    assert sha256(path) == before


def test_truncated_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "olivebranch.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append_many([journal(NOW + timedelta(minutes=i), "x" * 500) for i in range(100)])
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    before = sha256(path)
    with pytest.raises(StoreError, match="may be damaged"), open_store(f"sqlite:///{path}") as store:
        store.events()
    assert sha256(path) == before


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "olivebranch.db")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('bread')")
    con.commit()
    con.close()
    before = sha256(path)
    with pytest.raises(StoreError, match="belongs to another program"):
        open_store(f"sqlite:///{path}")
    assert sha256(path) == before
    assert sorted(os.listdir(path.parent)) == ["olivebranch.db"]


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "olivebranch.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append(journal(NOW))
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ob9999_from_the_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = sha256(path)
    with pytest.raises(StoreError, match="newer version of Olive Branch; upgrade"):
        open_store(f"sqlite:///{path}")
    assert sha256(path) == before


def test_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    path = blocker / "data" / "olivebranch.db"
    with pytest.raises(StoreError) as refused:
        open_store(f"sqlite:///{path}")
    assert str(path) in str(refused.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_read_only_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    path = folder / "olivebranch.db"
    with pytest.raises(StoreError) as refused:
        open_store(f"sqlite:///{path}")
    assert str(path) in str(refused.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_read_only_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "olivebranch.db"
    open_store(f"sqlite:///{path}").close()
    path.chmod(0o400)
    with pytest.raises(StoreError) as refused:
        open_store(f"sqlite:///{path}")
    assert str(path) in str(refused.value)


# --------------------------------------------------------------------------- PostgreSQL and migrations


def test_unreachable_postgresql_is_reported_without_the_password() -> None:
    with pytest.raises(StoreError) as refused:
        open_store("postgresql+psycopg://coach:s3cret-pass@127.0.0.1:1/olivebranch")
    message = str(refused.value)
    assert "Cannot connect to the PostgreSQL database" in message
    assert "s3cret-pass" not in message
    assert "127.0.0.1" in message


def test_head_revision_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import olivebranch.store

    config = Config()
    config.set_main_option("script_location", str(Path(olivebranch.store.__file__).with_name("migrations")))
    config.set_main_option("path_separator", "os")
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [HEAD_REVISION]
    assert [rev.revision for rev in reversed(list(scripts.walk_revisions()))] == list(KNOWN_REVISIONS)


def test_forget_leaves_no_trace_of_the_text_in_the_sqlite_files(tmp_path: Path) -> None:
    path = tmp_path / "data" / "olivebranch.db"
    url = f"sqlite:///{path}"
    secret = "the-night-by-the-lake-" * 20
    with open_store(url) as store:
        for hour in range(5):
            at = datetime(2026, 11, 3, hour, 30, tzinfo=UTC)
            store.append(Event(Kind.JOURNAL, at, {"text": f"{hour} {secret}"}))
    assert secret[:22].encode() in path.read_bytes()  # written through to the file
    with open_store(url) as store:
        store.forget()
    leftovers = b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())
    assert secret[:22].encode() not in leftovers
