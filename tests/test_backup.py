"""`olivebranch backup` and `olivebranch restore`: a safe copy, and a restore that loses nothing."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app
from olivebranch.program.events import Event, Kind
from olivebranch.store import open_store

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.json"
NOW = "2026-11-01T20:00"


class Person:
    """One person's data directory, driven through the command line."""

    def __init__(self, tmp_path: Path, database_url: str = "") -> None:
        self.dir = tmp_path / "data"
        self.db = self.dir / "olivebranch.db"
        self.url = database_url
        self.runner = CliRunner()

    def run(self, *args: str, code: int = 0) -> str:
        result = self.runner.invoke(
            app,
            ["--data-dir", str(self.dir), *args],
            env={"OLIVEBRANCH_DATABASE_URL": self.url, "COLUMNS": "200"},
        )
        assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{result.output}"
        assert "Traceback" not in result.output
        return result.output

    def start(self) -> None:
        self.run("--now", NOW, "start", "--answers", str(EXAMPLE))

    def journal(self, text: str) -> None:
        self.run("--now", NOW, "log", "journal", "--text", text)

    def texts(self) -> list[str]:
        exported = json.loads(self.run("--now", NOW, "export"))
        return [e["data"]["text"] for e in exported["events"] if e["kind"] == "journal"]

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.dir.iterdir() if p.name.startswith("."))


@pytest.fixture
def person(tmp_path: Path) -> Person:
    someone = Person(tmp_path)
    someone.start()
    someone.journal("before the backup")
    return someone


def test_a_backup_restores_exactly_what_was_there(person: Person, tmp_path: Path) -> None:
    copy = tmp_path / "olivebranch-backup.db"
    out = person.run("backup", str(copy))
    assert "Backed up 2 events" in out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    person.journal("after the backup")
    assert person.texts() == ["before the backup", "after the backup"]
    assert "Restored 2 events" in person.run("restore", str(copy), "--yes")
    assert person.texts() == ["before the backup"]
    assert stat.S_IMODE(person.db.stat().st_mode) == 0o600
    assert person.leftovers() == []
    person.journal("life goes on")  # the restored database is in use again as before
    assert person.texts() == ["before the backup", "life goes on"]


def test_a_backup_taken_while_the_app_writes_holds_what_is_only_in_the_write_ahead_log(
    person: Person, tmp_path: Path
) -> None:
    with open_store(f"sqlite:///{person.db}") as store:  # as a running server would hold it
        store.append(Event(Kind.CHECKIN, store.events()[-1].at, {"mood": 7, "urge": 2}))
        assert Path(f"{person.db}-wal").stat().st_size > 0
        person.run("backup", str(tmp_path / "live.db"))
    with sqlite3.connect(tmp_path / "live.db") as con:
        kinds = [row[0] for row in con.execute("SELECT kind FROM events ORDER BY id")]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    con.close()
    assert kinds == ["intake", "journal", "checkin"]


def test_backup_never_overwrites_a_file_unless_forced(person: Person, tmp_path: Path) -> None:
    existing = tmp_path / "keep.db"
    existing.write_text("precious")
    out = person.run("backup", str(existing), code=1)
    assert "already exists" in out and "--force" in out
    assert existing.read_text() == "precious"
    person.run("backup", str(existing), "--force")
    assert existing.read_bytes().startswith(b"SQLite format 3\x00")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing-folder/backup.db", "does not exist"),
        (".", "is a folder"),
        ("data/olivebranch.db", "already exists"),
    ],
)
def test_backup_refuses_a_bad_target_in_one_line(
    person: Person, tmp_path: Path, target: str, message: str
) -> None:
    out = person.run("backup", str(tmp_path / target), code=1)
    assert message in out and len(out.strip().splitlines()) == 1
    assert person.texts() == ["before the backup"]
    assert not (tmp_path / "missing-folder").exists()


def test_backup_of_no_database_says_so(tmp_path: Path) -> None:
    out = Person(tmp_path).run("backup", str(tmp_path / "b.db"), code=1)
    assert "no Olive Branch database" in out
    assert not (tmp_path / "b.db").exists()


def _text(path: Path) -> None:
    path.write_text("my notes, not a database\n")


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE recipes (name TEXT)")
    con.close()


def _empty(path: Path) -> None:
    sqlite3.connect(path).close()
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))


def _newer(path: Path) -> None:
    with open_store(f"sqlite:///{path}"):
        pass
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = 'ob9999_from_the_future'")
    con.close()


def _damaged(path: Path) -> None:
    with open_store(f"sqlite:///{path}") as store:
        store.append_many(
            Event(Kind.CHECKIN, store_time(), {"mood": 5, "urge": n % 10, "note": "x" * 500})
            for n in range(200)
        )
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * (4096 * 2)  # two pages of garbage in the middle
    path.write_bytes(bytes(data))


def store_time() -> object:
    from datetime import UTC, datetime

    return datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "There is no file at"),
        (_text, "not an Olive Branch backup (not an SQLite database)"),
        (_empty, "is damaged or not an SQLite database"),
        (_foreign, "belongs to another program"),
        (_newer, "newer version of Olive Branch"),
        (_damaged, "is damaged"),
    ],
    ids=["missing", "text", "empty", "foreign", "newer", "damaged"],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    person: Person, tmp_path: Path, make: Callable[[Path], None] | None, message: str
) -> None:
    bad = tmp_path / "backup.db"
    if make is not None:
        make(bad)
    before = bad.read_bytes() if bad.exists() else None
    out = person.run("restore", str(bad), "--yes", code=1)
    assert message in out, out
    assert len(out.strip().splitlines()) == 1
    assert "nothing was" in out.lower()
    assert person.texts() == ["before the backup"]
    assert person.leftovers() == []
    assert (bad.read_bytes() if bad.exists() else None) == before  # the file offered is left as it was


def test_restore_asks_first_and_keeps_everything_without_a_yes(person: Person, tmp_path: Path) -> None:
    copy = tmp_path / "b.db"
    person.run("backup", str(copy))
    person.journal("newer entry")
    out = person.run("restore", str(copy), code=2)
    assert "--yes" in out
    assert person.texts() == ["before the backup", "newer entry"]
    assert person.leftovers() == []


def test_restore_onto_a_new_machine_needs_no_confirmation(person: Person, tmp_path: Path) -> None:
    copy = tmp_path / "b.db"
    person.run("backup", str(copy))
    elsewhere = Person(tmp_path / "new-machine")
    elsewhere.run("restore", str(copy))
    assert elsewhere.texts() == ["before the backup"]
    assert stat.S_IMODE(elsewhere.dir.stat().st_mode) == 0o700


def test_restore_refuses_while_a_server_holds_the_database_and_works_once_it_is_killed(
    person: Person, tmp_path: Path
) -> None:
    copy = tmp_path / "b.db"
    person.run("backup", str(copy))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from olivebranch.program.events import Event, Kind\n"
            "from olivebranch.store import open_store\n"
            f"store = open_store({f'sqlite:///{person.db}'!r})\n"
            "store.append(Event(Kind.CHECKIN, store.events()[-1].at, {'mood': 3, 'urge': 9}))\n"
            "print('open', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        out = person.run("restore", str(copy), "--yes", code=1)
        assert "in use" in out and "stop the server" in out
        assert person.texts() == ["before the backup"]
        assert person.leftovers() == []
    finally:
        holder.kill()  # SIGKILL: its last write stays in the write-ahead log, never folded back
        holder.wait()
    assert Path(f"{person.db}-wal").stat().st_size > 0
    person.run("restore", str(copy), "--yes")
    with sqlite3.connect(person.db) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [row[0] for row in con.execute("SELECT kind FROM events ORDER BY id")] == ["intake", "journal"]
    con.close()


def test_postgresql_points_to_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    someone = Person(tmp_path, "postgresql+psycopg://olivebranch@127.0.0.1:1/olivebranch")
    assert "pg_dump" in someone.run("backup", str(tmp_path / "b.db"), code=1)
    (tmp_path / "b.db").write_text("anything")
    assert "pg_restore" in someone.run("restore", str(tmp_path / "b.db"), "--yes", code=1)


def test_restore_replaces_a_damaged_database(person: Person, tmp_path: Path) -> None:
    copy = tmp_path / "b.db"
    person.run("backup", str(copy))
    person.db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    assert "not a readable Olive Branch database" in person.run("status", code=1)
    person.run("restore", str(copy), "--yes")
    assert person.texts() == ["before the backup"]


def test_restore_never_replaces_another_programs_database(tmp_path: Path) -> None:
    someone = Person(tmp_path)
    someone.start()
    copy = tmp_path / "b.db"
    someone.run("backup", str(copy))
    theirs = tmp_path / "recipes.db"
    _foreign(theirs)
    pointed = Person(tmp_path, f"sqlite:///{theirs}")
    assert "belongs to another program" in pointed.run("restore", str(copy), "--yes", code=1)
    with sqlite3.connect(theirs) as con:
        assert con.execute("SELECT name FROM sqlite_master").fetchall() == [("recipes",)]
    con.close()
