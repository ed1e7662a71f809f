"""Backing up and restoring the SQLite database (PostgreSQL has pg_dump and pg_restore).

A backup is SQLite's online backup: a consistent copy taken while the app may be
writing, as one self-contained file only its owner can read. A restore checks the
whole file on a copy beside the database (an SQLite database of Olive Branch, of
a version this one knows, undamaged; migrated to the current version), and only
then swaps it in with one atomic rename: until that moment the current database
is untouched, and a failure anywhere leaves it as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from olivebranch.store.errors import NoDatabase, StoreError
from olivebranch.store.store import KNOWN_REVISIONS, open_store

PG_BACKUP: Final = (
    "The database is PostgreSQL: back it up with pg_dump "
    "(pg_dump --format=custom --file=FILE 'postgresql://USER@HOST/DB'; see the README, Hosted mode)."
)
PG_RESTORE: Final = (
    "The database is PostgreSQL: restore it with pg_restore "
    "(pg_restore --clean --if-exists --dbname='postgresql://USER@HOST/DB' FILE; see the README, Hosted mode)."
)
_HEADER: Final = b"SQLite format 3\x00"
_OURS: Final = frozenset({"people", "events"})
_BUSY_SECONDS: Final = 5.0


@dataclass(frozen=True)
class Copied:
    """What a backup or a restore copied."""

    path: Path
    events: int
    people: int


def sqlite_file(url: str, postgres_message: str) -> Path:
    """The SQLite file behind ``url``; a plain StoreError for PostgreSQL or an in-memory database."""
    from olivebranch.store.store import _parse_url

    parsed = _parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise StoreError(postgres_message)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise StoreError("Only an SQLite database file can be backed up or restored this way.")
    return Path(parsed.database).expanduser().absolute()


# --------------------------------------------------------------------------- backup


def backup(url: str, target: Path, *, force: bool = False) -> Copied:
    """Copy the live database to ``target`` (0600), consistently, while the app may be writing."""
    source = sqlite_file(url, PG_BACKUP)
    target = target.expanduser().absolute()
    if not source.is_file():
        raise NoDatabase(f"There is no Olive Branch database at {source}; there is nothing to back up.")
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give the name of the backup file to write.")
    if target.exists() and not force:
        raise StoreError(f"{target} already exists; choose another name, or add --force to replace it.")
    if target.exists() and target.samefile(source):
        raise StoreError(f"{target} is the database itself; write the backup somewhere else.")
    if not target.parent.is_dir():
        raise StoreError(f"The folder {target.parent} does not exist; create it first.")
    _check_ours(source, what="The database")
    with _partial(target.parent, target.name) as partial:
        try:
            with (
                contextlib.closing(sqlite3.connect(source, timeout=_BUSY_SECONDS)) as live,
                contextlib.closing(sqlite3.connect(partial)) as copy,
            ):
                live.backup(copy)  # all pages in one step: one consistent moment of the database
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                events, people = _counts(copy)
        except sqlite3.Error as error:
            raise StoreError(f"The backup could not be written: {_reason(error)}.") from None
        _sync(partial)
        if force:
            os.replace(partial, target)
        else:
            try:
                os.link(partial, target)  # never replaces a file that appeared meanwhile
            except FileExistsError:
                raise StoreError(f"{target} already exists; choose another name, or add --force.") from None
        _sync(target.parent)
    return Copied(target, events, people)


# --------------------------------------------------------------------------- restore


def restore(url: str, source: Path, confirm: Callable[[Copied], bool] | None = None) -> Copied | None:
    """Replace the database with the backup in ``source``, once it is known to be a good one.

    ``confirm`` is asked, with what the backup holds, before anything is replaced;
    when it says no, nothing is, and the answer is None.
    """
    database = sqlite_file(url, PG_RESTORE)
    source = source.expanduser().absolute()
    if not source.exists():
        raise StoreError(f"There is no file at {source}; nothing was restored.")
    if not source.is_file():
        raise StoreError(f"{source} is not a file; nothing was restored.")
    if database.exists() and source.samefile(database):
        raise StoreError(f"{source} is the database itself; nothing was restored.")
    if database.exists():
        _check_ours(database, what="The current database", damaged_ok=True)
    try:
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"Cannot create the folder {database.parent}: {_reason(error)}.") from None
    with _partial(database.parent, database.name) as partial:
        try:
            with source.open("rb") as src, partial.open("wb") as dst:
                header = src.read(len(_HEADER))
                if header != _HEADER:
                    raise StoreError(
                        f"{source} is not an Olive Branch backup (not an SQLite database); "
                        "nothing was restored."
                    )
                dst.write(header)
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        except OSError as error:
            raise StoreError(f"{source} could not be read: {_reason(error)}; nothing was restored.") from None
        _check_ours(partial, what="The backup", shown=source, check_pages=True)
        try:
            open_store(f"sqlite:///{partial}", create=False).close()  # migrated to this version
        except StoreError:
            raise StoreError(f"The backup {source} could not be opened; nothing was restored.") from None
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            events, people = _counts(copy)
        _sync(partial)
        if confirm is not None and not confirm(Copied(source, events, people)):
            return None
        with _exclusive(database):  # nobody else has it open, so no server loses it from under itself
            wal = Path(f"{database}-wal")
            if wal.exists() and wal.stat().st_size:  # left only by a damaged database; never replay it
                wal.unlink()
            os.replace(partial, database)
            _sync(database.parent)
    return Copied(database, events, people)


# --------------------------------------------------------------------------- checks


def _check_ours(
    path: Path, *, what: str, shown: Path | None = None, damaged_ok: bool = False, check_pages: bool = False
) -> None:
    """Refuse anything but an undamaged Olive Branch database of a version this code knows."""
    name = shown or path
    try:
        uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=_BUSY_SECONDS)) as con:
            if check_pages and con.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise sqlite3.DatabaseError("damaged")
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            versions = []
            if "alembic_version" in tables:
                versions = [str(row[0]) for row in con.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error:
        if damaged_ok:
            return
        raise StoreError(
            f"{what} ({name}) is damaged or not an SQLite database; nothing was changed."
        ) from None
    if len(versions) == 1 and versions[0] in KNOWN_REVISIONS and tables >= _OURS:
        return
    if not tables:
        raise StoreError(
            f"{what} ({name}) is an empty SQLite database, not Olive Branch's; nothing was changed."
        )
    if "alembic_version" in tables and tables >= _OURS:
        raise StoreError(
            f"{what} ({name}) was written by a newer version of Olive Branch; "
            "upgrade Olive Branch first. Nothing was changed."
        )
    raise StoreError(f"{what} ({name}) belongs to another program; nothing was changed.")


def _counts(con: sqlite3.Connection) -> tuple[int, int]:
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    people = con.execute("SELECT count(*) FROM people").fetchone()[0]
    return int(events), int(people)


@contextlib.contextmanager
def _exclusive(database: Path) -> Iterator[None]:
    """Hold the database alone (no other connection open anywhere), or refuse: a server is using it."""
    if not database.exists():
        yield
        return
    con = sqlite3.connect(database, timeout=0)
    try:
        try:
            con.execute("PRAGMA locking_mode = EXCLUSIVE")  # kept after the commit, until closed
            con.execute("BEGIN EXCLUSIVE")
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
            con.commit()
            # Empty the write-ahead log, so the new file never meets the old one's pages.
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreError(
                    f"The database {database} is in use (is 'olivebranch serve' running?); "
                    "stop the server, then restore. Nothing was changed."
                ) from None
        except sqlite3.DatabaseError:
            pass  # damaged: it is being replaced
        yield
    finally:
        con.close()


@contextlib.contextmanager
def _partial(folder: Path, name: str) -> Iterator[Path]:
    """A private temporary file beside the destination, removed unless it was renamed into place."""
    try:
        fd, raw = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    except OSError as error:
        raise StoreError(f"Cannot write in {folder}: {_reason(error)}.") from None
    os.close(fd)  # mkstemp made it 0600
    path = Path(raw)
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(error: BaseException) -> str:
    strerror = getattr(error, "strerror", None)
    return str(strerror or error).rstrip(".").lower()
