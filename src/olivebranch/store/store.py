"""Opening a database and reading and writing a person's event log."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, cast

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from olivebranch.program.events import Event, Kind
from olivebranch.store import vault
from olivebranch.store.errors import NoDatabase, StoreError
from olivebranch.store.models import (
    AccountRow,
    EventRow,
    LocalTokenRow,
    Person,
    PersonKeyRow,
    RateHitRow,
    SnapshotRow,
    TokenRow,
)

if TYPE_CHECKING:
    from olivebranch.program.state import Snapshot

#: Every migration revision this code knows, oldest first. A test checks these
#: against the Alembic scripts so they never drift.
KNOWN_REVISIONS: Final = ("ob0001", "ob0002", "ob0003")
HEAD_REVISION: Final = KNOWN_REVISIONS[-1]

#: The one person of local mode.
LOCAL_PERSON: Final = 1

EXPORT_FORMAT: Final = "olivebranch-export"
EXPORT_VERSION: Final = 1

_OUR_TABLES: Final = frozenset({"people", "events"})
_BUSY_TIMEOUT_MS: Final = 5000
_SQLITE_DAMAGED: Final = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})
_SQLITE_READONLY: Final = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM})
_SQLITE_BUSY: Final = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def _dumps(value: object) -> str:
    """JSON as stored: strict (no NaN), UTF-8 text kept readable."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


# --------------------------------------------------------------------------- opening


@dataclass(frozen=True)
class _Schema:
    """What a database holds, seen before anything is written to it."""

    tables: frozenset[str]
    versions: tuple[str, ...] | None  # None: no alembic_version table


def open_store(url: str, *, create: bool = True, migrate: bool = True) -> Store:
    """Open the database at ``url``, creating and migrating it as needed.

    ``create=False`` refuses to start a new database where there is none;
    ``migrate=False`` refuses one that needs migrating (``olivebranch migrate`` does it).
    Raises :class:`StoreError` with a plain message for every problem.
    """
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _open_sqlite(parsed, create=create, migrate=migrate)
    if parsed.get_backend_name() == "postgresql":
        return _open_postgresql(parsed, create=create, migrate=migrate)
    raise StoreError(
        f"The database URL {_shown(parsed)} is not supported: use an sqlite:/// file or a postgresql:// URL."
    )


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError("The database URL could not be understood; check its spelling.") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _open_sqlite(url: URL, *, create: bool, migrate: bool = True) -> Store:
    database = url.database or ""
    if database in ("", ":memory:"):
        engine = _sqlite_engine(url.set(drivername="sqlite+pysqlite"), None)
        return _finish_open(engine, _Schema(frozenset(), None), where="the in-memory database", create=True)

    path = Path(database).expanduser().absolute()
    shown = str(path)
    created = False
    if not path.exists():
        if not create:
            raise NoDatabase(f"There is no Olive Branch database at {shown}.")
        created = _create_file(path)
    elif path.is_dir():
        raise StoreError(f"{shown} is a folder, not an Olive Branch database file.")
    if not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"The database {shown} is read-only or not accessible; check its permissions.")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(
            f"The folder {path.parent} is read-only; Olive Branch needs to write beside {shown}."
        )
    try:
        schema = _sqlite_preflight(path)
        engine = _sqlite_engine(url.set(drivername="sqlite+pysqlite", database=str(path)), path)
        return _finish_open(engine, schema, where=shown, create=create or created, migrate=migrate or created)
    except BaseException:
        if created:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                leftover.unlink(missing_ok=True)
        raise


def _create_file(path: Path) -> bool:
    """Create an empty database file only its owner can read, and its folder."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.parent.is_dir():
            return False  # created meanwhile by someone else; open it as found
        raise StoreError(
            f"Cannot create the database {path}: a file stands where its folder should be."
        ) from None
    except NotADirectoryError:
        raise StoreError(
            f"Cannot create the database {path}: a file stands where its folder should be."
        ) from None
    except OSError as error:
        reason = error.strerror or "the system refused"
        raise StoreError(f"Cannot create the database {path}: {reason.lower()}.") from None
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return True


def _sqlite_preflight(path: Path) -> _Schema:
    """Look at the file read-only, so nothing is changed if it is not ours."""
    shown = str(path)
    if _truncated(path):
        _damaged(shown)
    uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_MS / 1000)
        try:
            tables = frozenset(
                row[0]
                for row in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            )
            versions = None
            if "alembic_version" in tables:
                versions = tuple(
                    str(row[0]) for row in con.execute("SELECT version_num FROM alembic_version")
                )
        finally:
            con.close()
    except sqlite3.Error as error:
        _sqlite_failure(error, shown)
    return _Schema(tables, versions)


def _truncated(path: Path) -> bool:
    """Whether the file is shorter than its own header says (a cut-off copy)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
        wal = Path(f"{path}-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96] and pages > 0
    return header_valid and wal_size == 0 and size < pages * page_size


def _sqlite_failure(error: sqlite3.Error, shown: str) -> NoReturn:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _SQLITE_DAMAGED:
        _damaged(shown)
    if primary in _SQLITE_READONLY:
        raise StoreError(
            f"The database {shown} cannot be opened for writing; check its permissions."
        ) from None
    if primary in _SQLITE_BUSY:
        raise StoreError(f"The database {shown} is busy in another program; try again in a moment.") from None
    raise StoreError(f"The database {shown} could not be read.") from None


def _damaged(shown: str) -> NoReturn:
    raise StoreError(
        f"{shown} is not a readable Olive Branch database (it may be damaged); it was left as it is. "
        "Restore it from a backup or an export, or choose another data folder."
    ) from None


def _sqlite_engine(url: URL, path: Path | None) -> Engine:
    if path is None:  # in memory: one shared connection, or each would see its own empty database
        engine = create_engine(
            url,
            json_serializer=_dumps,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        engine = create_engine(url, json_serializer=_dumps, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten, so forgotten text does not linger in the file.
            cursor.execute("PRAGMA secure_delete = ON")
            if path is not None:
                cursor.execute("PRAGMA journal_mode = WAL")
                # FULL, not the NORMAL some builds default to in WAL mode: a commit is on disk
                # before it is acknowledged, so a power cut cannot take back a saved event.
                cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    return engine


def _open_postgresql(url: URL, *, create: bool, migrate: bool = True) -> Store:
    shown = _shown(url)
    try:
        engine = create_engine(url, json_serializer=_dumps)
    except (ArgumentError, NoSuchModuleError):
        raise StoreError(f"The database URL {shown} is not supported.") from None

    @event.listens_for(engine, "connect")
    def _durable(dbapi_connection: Any, _record: Any) -> None:
        # A commit is acknowledged only once it is on disk, whatever the server's default.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = on")
        dbapi_connection.commit()

    try:
        with engine.connect() as conn:
            tables = frozenset(
                str(name)
                for name in conn.scalars(
                    text(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                )
            )
            versions = None
            if "alembic_version" in tables:
                versions = tuple(
                    str(v) for v in conn.scalars(text("SELECT version_num FROM alembic_version"))
                )
    except DBAPIError:
        engine.dispose()
        raise StoreError(
            f"Cannot connect to the PostgreSQL database at {shown}; "
            "check that the server is running and that the URL and credentials are right."
        ) from None
    try:
        return _finish_open(engine, _Schema(tables, versions), where=shown, create=create, migrate=migrate)
    except BaseException:
        engine.dispose()
        raise


def _finish_open(engine: Engine, schema: _Schema, *, where: str, create: bool, migrate: bool = True) -> Store:
    """Decide from what the database holds: use it, migrate it, or refuse it."""
    if schema.versions is None:
        if schema.tables:
            raise StoreError(
                f"The database {where} belongs to another program (it has no Olive Branch tables); "
                "it was left untouched."
            )
        if not create:
            raise StoreError(f"There is no Olive Branch database at {where}.")
    elif len(schema.versions) == 1 and schema.versions[0] in KNOWN_REVISIONS:
        if schema.versions[0] == HEAD_REVISION:
            return Store(engine, where)  # fast path: nothing to migrate, Alembic not imported
    elif schema.tables >= _OUR_TABLES:
        raise StoreError(
            f"The database {where} was written by a newer version of Olive Branch; "
            "upgrade Olive Branch to open it. It was left untouched."
        )
    else:
        raise StoreError(
            f"The database {where} belongs to another program (it has no Olive Branch tables); "
            "it was left untouched."
        )
    if not migrate and schema.versions is not None:
        raise StoreError(
            f"The database {where} needs migrating to this version of Olive Branch; "
            "run 'olivebranch migrate' first (it was left untouched)."
        )
    _migrate(engine, where)
    return Store(engine, where)


def _migrate(engine: Engine, where: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    location = str(Path(__file__).with_name("migrations"))
    config.set_main_option("script_location", location.replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as error:
        _db_failure(error, where)


# --------------------------------------------------------------------------- errors


def _db_failure(error: DBAPIError, where: str) -> NoReturn:
    """Turn a driver error into a plain message (never the SQL or its parameters)."""
    original = error.orig
    if isinstance(original, sqlite3.Error):
        _sqlite_failure(original, where)
    if error.connection_invalidated or type(error).__name__ == "OperationalError":
        raise StoreError(
            f"The database {where} could not be reached; check that it is running and try again."
        ) from None
    raise StoreError(f"The database {where} refused the change; nothing was saved.") from None


# --------------------------------------------------------------------------- events


def _offset_minutes(moment: datetime) -> int | None:
    offset = moment.utcoffset()
    if offset is None:
        return None
    seconds = offset.total_seconds()
    if seconds % 60:
        return None
    return int(seconds // 60)


def _row(event: Event, person_id: int, minutes: int) -> dict[str, Any]:
    key = vault.key_for(person_id)
    data = dict(event.data)
    if key is not None:  # the person's own words are stored sealed under their data key
        data = vault.seal(data, key, _context(person_id, event.kind.value))
    return {
        "person_id": person_id,
        "kind": event.kind.value,
        "at_utc": event.at.astimezone(UTC).replace(tzinfo=None),
        "utc_offset_minutes": minutes,
        "data": data,
    }


def _context(person_id: int, kind: str) -> str:
    """What a sealed text is bound to: it opens only as this person's event of this kind."""
    return f"olivebranch event {person_id} {kind}"


def _sealed_state(state: dict[str, Any], person_id: int) -> dict[str, Any]:
    key = vault.key_for(person_id)
    if key is None:
        return state
    return {vault.SEALED: vault.seal_value(state, key, f"olivebranch snapshot {person_id}")}


def _opened_state(state: Any, person_id: int) -> Any:
    if isinstance(state, dict) and set(state) == {vault.SEALED}:
        key = vault.key_for(person_id)
        if key is None:
            raise vault.Locked("this person's snapshot is sealed and no key is unlocked")
        return vault.open_value(str(state[vault.SEALED]), key, f"olivebranch snapshot {person_id}")
    return state


def _checked_row(event: Event, person_id: int) -> dict[str, Any]:
    minutes = _offset_minutes(event.at)
    if minutes is None:
        raise StoreError("An event's time has a UTC offset with seconds, which cannot be stored.")
    if not _json_object(event.data):
        raise StoreError("An event's data is not a JSON object of plain values, so it cannot be stored.")
    return _row(event, person_id, minutes)


def _json_object(value: object) -> bool:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        return False
    try:
        _dumps(value).encode("utf-8")  # refuses NaN, infinities, lone surrogates, non-JSON types
    except (TypeError, ValueError):
        return False
    return True


_KINDS: Final = {kind.value: kind for kind in Kind}
_ZONES: dict[int, timezone] = {}


def _zone(minutes: int) -> timezone:
    zone = _ZONES.get(minutes)
    if zone is None:
        zone = _ZONES[minutes] = timezone(timedelta(minutes=minutes))
    return zone


# --------------------------------------------------------------------------- the store


class Store:
    """A person's event log in a database. Use :func:`open_store` to get one."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._where = where
        self._events = cast(Table, EventRow.__table__)
        self._people = cast(Table, Person.__table__)
        self._snapshots = cast(Table, SnapshotRow.__table__)
        self._accounts = cast(Table, AccountRow.__table__)
        self._tokens = cast(Table, TokenRow.__table__)
        self._hits = cast(Table, RateHitRow.__table__)
        self._person_keys = cast(Table, PersonKeyRow.__table__)
        self._local_tokens = cast(Table, LocalTokenRow.__table__)
        # Snapshots as last decoded in this process, by person, with the stamp of the row they
        # came from: a row rewritten anywhere gets a new stamp, so a stale one is never used.
        self._decoded: dict[int, tuple[str, Snapshot]] = {}

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except DBAPIError as error:
            _db_failure(error, self._where)
        except SQLAlchemyError:
            raise StoreError(f"The database {self._where} could not complete the operation.") from None

    def _ensure_person(self, conn: Connection, person_id: int) -> None:
        """Make sure the person exists, and hold their row until the transaction ends.

        The lock (PostgreSQL; SQLite writes one at a time anyway) keeps two
        processes from folding events into the same snapshot at once.
        """
        people = self._people
        found = conn.scalar(select(people.c.id).where(people.c.id == person_id).with_for_update())
        if found is None:
            conn.execute(insert(people).values(id=person_id))

    def append(self, event: Event, person_id: int = LOCAL_PERSON) -> int:
        """Add one event and fold it into the person's snapshot, in one transaction; returns its row id."""
        row = _checked_row(event, person_id)
        with self._transaction() as conn:
            self._ensure_person(conn, person_id)
            result = conn.execute(insert(self._events).values(**row))
            key = result.inserted_primary_key
            if key is None:  # pragma: no cover - every supported backend reports it
                raise StoreError(f"The database {self._where} did not confirm the new event.")
            self._fold(conn, person_id, event, int(key[0]))
        return int(key[0])

    def append_many(self, events: Iterable[Event], person_id: int = LOCAL_PERSON) -> int:
        """Add several events in one transaction; returns how many."""
        rows = [_checked_row(item, person_id) for item in events]
        self._insert(rows, person_id)
        return len(rows)

    def _insert(self, rows: list[dict[str, Any]], person_id: int, *, only_if_empty: bool = False) -> None:
        with self._transaction() as conn:
            if only_if_empty and self._count(conn, person_id):
                raise _AlreadyHasEvents
            self._ensure_person(conn, person_id)
            if rows:
                conn.execute(insert(self._events), rows)
                self._rebuild(conn, person_id, strict=False)

    def events(self, person_id: int = LOCAL_PERSON, kinds: Iterable[Kind] | None = None) -> list[Event]:
        """The person's whole log (or only the events of ``kinds``), by time, then order of entry."""
        with self._transaction() as conn:
            return [event for _id, event in self._read(conn, person_id, kinds)]

    def _read(
        self, conn: Connection, person_id: int, kinds: Iterable[Kind] | None = None
    ) -> list[tuple[int, Event]]:
        table = self._events
        query = (
            select(table.c.id, table.c.kind, table.c.at_utc, table.c.utc_offset_minutes, table.c.data)
            .where(table.c.person_id == person_id)
            .order_by(table.c.at_utc, table.c.id)
        )
        if kinds is not None:
            query = query.where(table.c.kind.in_([kind.value for kind in kinds]))
        return [
            (row_id, self._event(kind, at_utc, minutes, data, person_id))
            for row_id, kind, at_utc, minutes, data in conn.execute(query)
        ]

    def _event(
        self, kind: str, at_utc: datetime, minutes: int, data: dict[str, Any], person_id: int
    ) -> Event:
        known = _KINDS.get(kind)
        if known is None:
            raise StoreError(
                f"The database {self._where} holds an event kind this version does not know; "
                "upgrade Olive Branch."
            )
        if vault.SEALED in data:
            data = vault.open_(data, vault.key_for(person_id), _context(person_id, kind))
        return Event(known, at_utc.replace(tzinfo=UTC).astimezone(_zone(minutes)), data)

    def values(self, kind: Kind, name: str, person_id: int = LOCAL_PERSON) -> list[str]:
        """The distinct text values of one field of the person's events of one kind (not the rest of them)."""
        table = self._events
        field = table.c.data[name].as_string()
        query = select(field).distinct().where(table.c.person_id == person_id, table.c.kind == kind.value)
        with self._transaction() as conn:
            return [str(value) for value in conn.scalars(query) if value is not None]

    # ------------------------------------------------------------ the snapshot

    def snapshot(self, person_id: int = LOCAL_PERSON) -> Snapshot | None:
        """What the engine folded out of the person's log; None before the intake.

        Read from its row when that is of this engine's version and has every
        event in it; otherwise rebuilt from the log (and stored) first. The same
        object may be handed to every caller until the row changes: read it, never
        fold into it.
        """
        from olivebranch.program.state import ENGINE_VERSION

        snapshots, events = self._snapshots, self._events
        newest_id = select(func.max(events.c.id)).where(events.c.person_id == person_id)
        stamp = select(
            snapshots.c.engine_version,
            snapshots.c.last_event_id,
            snapshots.c.stamp,
            newest_id.scalar_subquery(),
        ).where(snapshots.c.person_id == person_id)
        with self._transaction() as conn:
            row = conn.execute(stamp).first()
            if row is not None and row[0] == ENGINE_VERSION and row[1] == row[3]:
                cached = self._decoded.get(person_id)
                if cached is not None and cached[0] == row[2]:
                    return cached[1]
                found = self._decode(conn, person_id)
                if found is not None:
                    self._decoded[person_id] = (row[2], found)
                    return found
            if conn.scalar(newest_id) is None:
                return None
            self._ensure_person(conn, person_id)
            return self._rebuild(conn, person_id)

    def _decode(self, conn: Connection, person_id: int) -> Snapshot | None:
        from olivebranch.program.state import Snapshot

        snapshots, events = self._snapshots, self._events
        query = (
            select(snapshots.c.state, events.c.at_utc, events.c.utc_offset_minutes, events.c.data)
            .join(events, events.c.id == snapshots.c.intake_event_id)
            .where(snapshots.c.person_id == person_id)
        )
        row = conn.execute(query).first()
        if row is None:
            return None
        try:
            state = _opened_state(row[0], person_id)
            return Snapshot.from_json(
                state, self._event(Kind.INTAKE.value, row[1], row[2], row[3], person_id)
            )
        except (KeyError, TypeError, ValueError):
            return None  # not what this version wrote: rebuilt

    def _fold(self, conn: Connection, person_id: int, event: Event, event_id: int) -> None:
        """Fold a new event into the stored snapshot, or rebuild it when it cannot be folded in."""
        from olivebranch.program.state import ENGINE_VERSION, Snapshot

        snapshots, events = self._snapshots, self._events
        before = (
            select(func.max(events.c.id))
            .where(events.c.person_id == person_id, events.c.id != event_id)
            .scalar_subquery()
        )
        query = select(
            snapshots.c.engine_version,
            snapshots.c.last_event_id,
            snapshots.c.state,
            before,
            snapshots.c.intake_event_id,
        ).where(snapshots.c.person_id == person_id)
        row = conn.execute(query).first()
        if row is not None and row[0] == ENGINE_VERSION and row[1] == row[3]:
            intake = self._read_one(conn, row[4])
            try:
                snapshot = Snapshot.from_json(_opened_state(row[2], person_id), intake)
                folded = snapshot.fold(event)
            except (KeyError, TypeError, ValueError):
                folded = False  # not what this version wrote: rebuilt below
            if folded:
                self._save(conn, person_id, snapshot, event_id, row[4])
                return
        self._rebuild(conn, person_id, strict=False)

    def _read_one(self, conn: Connection, event_id: int) -> Event:
        table = self._events
        found = conn.execute(
            select(
                table.c.kind, table.c.at_utc, table.c.utc_offset_minutes, table.c.data, table.c.person_id
            ).where(table.c.id == event_id)
        ).one()
        return self._event(*found)

    def _rebuild(self, conn: Connection, person_id: int, *, strict: bool = True) -> Snapshot | None:
        """Replay the whole log into a new snapshot and store it (or none: no intake yet).

        When the engine cannot read the log (say, an intake with answers it
        refuses), a write still succeeds unless ``strict``: the log is what
        counts; the snapshot is left out, and reading it raises as a replay would.
        """
        from olivebranch.program.state import build

        rows = self._read(conn, person_id)
        conn.execute(delete(self._snapshots).where(self._snapshots.c.person_id == person_id))
        try:
            snapshot = build(event for _id, event in rows)
        except Exception:
            if strict:
                raise
            return None
        if snapshot is not None:
            intake_id = next(row_id for row_id, event in rows if event is snapshot.intake)
            self._save(conn, person_id, snapshot, max(row_id for row_id, _event in rows), intake_id, new=True)
        return snapshot

    def _save(
        self,
        conn: Connection,
        person_id: int,
        snapshot: Snapshot,
        last_id: int,
        intake_id: int,
        *,
        new: bool = False,
    ) -> None:
        from olivebranch.program.state import ENGINE_VERSION

        values = {
            "stamp": secrets.token_hex(8),
            "engine_version": ENGINE_VERSION,
            "last_event_id": last_id,
            "intake_event_id": intake_id,
            "state": _sealed_state(snapshot.to_json(), person_id),
        }
        table = self._snapshots
        if new:
            conn.execute(insert(table).values(person_id=person_id, **values))
        else:
            conn.execute(update(table).where(table.c.person_id == person_id).values(**values))

    def count(self, person_id: int = LOCAL_PERSON) -> int:
        with self._transaction() as conn:
            return self._count(conn, person_id)

    def _count(self, conn: Connection, person_id: int) -> int:
        query = select(func.count()).select_from(self._events).where(self._events.c.person_id == person_id)
        return int(conn.scalar(query) or 0)

    def export(self, person_id: int = LOCAL_PERSON, *, exported_at: datetime) -> dict[str, Any]:
        """The person's log as a JSON-able document that :meth:`import_` reads back."""
        if exported_at.tzinfo is None or exported_at.utcoffset() is None:
            raise ValueError("exported_at must carry a UTC offset")
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": exported_at.isoformat(),
            "events": [
                {"kind": item.kind.value, "at": item.at.isoformat(), "data": dict(item.data)}
                for item in self.events(person_id)
            ],
        }

    def import_(self, document: object, person_id: int = LOCAL_PERSON) -> int:
        """Load an export into a person with no events yet; returns how many were loaded.

        The whole document is checked before anything is written, and it is
        written in one transaction: either every event is stored or none is.
        """
        rows = _validated(document, person_id)
        try:
            self._insert(rows, person_id, only_if_empty=True)
        except _AlreadyHasEvents:
            raise StoreError(
                "This store already holds events, so nothing was imported; "
                "import only into an empty store (export and forget the current data first)."
            ) from None
        return len(rows)

    def forget(self, person_id: int = LOCAL_PERSON) -> int:
        """Delete all of the person's events and the person; returns how many events."""
        with self._transaction() as conn:
            deleted = self._erase(conn, person_id)
        self._checkpoint()
        return deleted

    def _erase(self, conn: Connection, person_id: int) -> int:
        """Every row of the person's history; the person row too unless an account still holds it."""
        conn.execute(delete(self._snapshots).where(self._snapshots.c.person_id == person_id))
        conn.execute(delete(self._local_tokens).where(self._local_tokens.c.person_id == person_id))
        conn.execute(delete(self._person_keys).where(self._person_keys.c.person_id == person_id))
        deleted = conn.execute(delete(self._events).where(self._events.c.person_id == person_id))
        held = conn.scalar(select(self._accounts.c.id).where(self._accounts.c.person_id == person_id))
        if held is None:
            conn.execute(delete(self._people).where(self._people.c.id == person_id))
        self._decoded.pop(person_id, None)
        return int(deleted.rowcount)

    def _checkpoint(self) -> None:
        if self._engine.dialect.name == "sqlite":
            # Fold the write-ahead log back into the (zeroed) file so no copy stays behind.
            with self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------ hosted mode: accounts

    def create_account(
        self, email: str, password_hash: str, key_salt: str, wrapped_key: str, now: datetime
    ) -> Account:
        """A new account with its own (empty) person; AccountExists when the address is taken."""
        with self._transaction() as conn:
            taken = conn.scalar(select(self._accounts.c.id).where(self._accounts.c.email == email))
            if taken is not None:
                raise AccountExists(email)
            person = conn.execute(insert(self._people).values()).inserted_primary_key
            assert person is not None
            person_id = int(person[0])
            row = conn.execute(
                insert(self._accounts).values(
                    person_id=person_id,
                    email=email,
                    password_hash=password_hash,
                    key_salt=key_salt,
                    wrapped_key=wrapped_key,
                    created_at=_naive_utc(now),
                )
            ).inserted_primary_key
            assert row is not None
        return Account(int(row[0]), person_id, email, password_hash, key_salt, wrapped_key)

    def account(self, email: str) -> Account | None:
        table = self._accounts
        query = select(
            table.c.id,
            table.c.person_id,
            table.c.email,
            table.c.password_hash,
            table.c.key_salt,
            table.c.wrapped_key,
        ).where(table.c.email == email)
        with self._transaction() as conn:
            found = conn.execute(query).first()
        return None if found is None else Account(*found)

    def add_token(
        self, account_id: int, token_hash: str, kind: str, wrapped_key: str, now: datetime, expires: datetime
    ) -> None:
        with self._transaction() as conn:
            conn.execute(
                insert(self._tokens).values(
                    account_id=account_id,
                    token_hash=token_hash,
                    kind=kind,
                    wrapped_key=wrapped_key,
                    created_at=_naive_utc(now),
                    expires_at=_naive_utc(expires),
                )
            )

    def token_account(self, token_hash: str, kind: str, now: datetime) -> Account | None:
        """The account a live token of this kind belongs to, or None (unknown, revoked or expired)."""
        a, t = self._accounts, self._tokens
        query = (
            select(a.c.id, a.c.person_id, a.c.email, a.c.password_hash, a.c.key_salt, t.c.wrapped_key)
            .join(t, t.c.account_id == a.c.id)
            .where(t.c.token_hash == token_hash, t.c.kind == kind, t.c.expires_at > _naive_utc(now))
        )
        with self._transaction() as conn:
            found = conn.execute(query).first()
        return None if found is None else Account(*found)

    def change_password(self, account_id: int, password_hash: str, key_salt: str, wrapped_key: str) -> None:
        """A new password: its hash, and the data key re-wrapped under the key it derives."""
        with self._transaction() as conn:
            conn.execute(
                update(self._accounts)
                .where(self._accounts.c.id == account_id)
                .values(password_hash=password_hash, key_salt=key_salt, wrapped_key=wrapped_key)
            )

    def revoke_token(self, token_hash: str) -> bool:
        with self._transaction() as conn:
            gone = conn.execute(delete(self._tokens).where(self._tokens.c.token_hash == token_hash))
        return bool(gone.rowcount)

    def delete_account(self, account: Account) -> int:
        """Erase every row of the account's person, its tokens and the account; returns events erased."""
        with self._transaction() as conn:
            conn.execute(delete(self._tokens).where(self._tokens.c.account_id == account.id))
            conn.execute(delete(self._accounts).where(self._accounts.c.id == account.id))
            deleted = self._erase(conn, account.person_id)
        self._checkpoint()
        return deleted

    def hit(self, key: str, now: datetime, window: timedelta, limit: int) -> bool:
        """Count one attempt under ``key``; False (not counted) once ``limit`` is reached in ``window``."""
        moment = _naive_utc(now)
        table = self._hits
        with self._transaction() as conn:
            recent = conn.scalar(
                select(func.count())
                .select_from(table)
                .where(table.c.key == key, table.c.at_utc > moment - window)
            )
            if int(recent or 0) >= limit:
                return False
            conn.execute(insert(table).values(key=key, at_utc=moment))
            if secrets.randbelow(100) == 0:  # now and then, forget attempts older than a day
                conn.execute(delete(table).where(table.c.at_utc < moment - timedelta(days=1)))
        return True

    def retry_after(self, key: str, now: datetime, window: timedelta) -> int:
        """Seconds until the oldest counted attempt under ``key`` leaves the window."""
        table = self._hits
        with self._transaction() as conn:
            oldest = conn.scalar(
                select(func.min(table.c.at_utc)).where(
                    table.c.key == key, table.c.at_utc > _naive_utc(now) - window
                )
            )
        if oldest is None:
            return 0
        return max(1, int((oldest + window - _naive_utc(now)).total_seconds()) + 1)

    def event_page(self, person_id: int, limit: int, before_id: int | None = None) -> list[tuple[int, Event]]:
        """Up to ``limit`` of the person's events, newest first (by time, then entry), with their ids."""
        table = self._events
        query = select(
            table.c.id, table.c.kind, table.c.at_utc, table.c.utc_offset_minutes, table.c.data
        ).where(table.c.person_id == person_id)
        if before_id is not None:
            with self._transaction() as conn:
                anchor = conn.execute(
                    select(table.c.at_utc, table.c.id).where(
                        table.c.id == before_id, table.c.person_id == person_id
                    )
                ).first()
            if anchor is None:
                return []
            query = query.where(
                (table.c.at_utc < anchor[0]) | ((table.c.at_utc == anchor[0]) & (table.c.id < anchor[1]))
            )
        query = query.order_by(table.c.at_utc.desc(), table.c.id.desc()).limit(limit)
        with self._transaction() as conn:
            rows = conn.execute(query).all()
        return [(int(r[0]), self._event(r[1], r[2], r[3], r[4], person_id)) for r in rows]

    # ------------------------------------------------------------ local mode: the passphrase

    def person_key(self, person_id: int = LOCAL_PERSON) -> tuple[str, str] | None:
        """(salt, wrapped data key) when the person locked their data with a passphrase."""
        table = self._person_keys
        with self._transaction() as conn:
            found = conn.execute(
                select(table.c.key_salt, table.c.wrapped_key).where(table.c.person_id == person_id)
            ).first()
        return None if found is None else (str(found[0]), str(found[1]))

    def reseal(self, person_id: int, new_key: tuple[bytes, str, str] | None) -> int:
        """Seal everything of the person's under a new data key (or open it all with None).

        ``new_key`` is (data key, salt, wrapped key). The current key, if any, must be
        unlocked. Everything is rewritten in one transaction: all or nothing.
        """
        table, keys = self._events, self._person_keys
        with self._transaction() as conn:
            self._ensure_person(conn, person_id)
            rows = self._read(conn, person_id)
            conn.execute(delete(self._snapshots).where(self._snapshots.c.person_id == person_id))
            conn.execute(delete(self._local_tokens).where(self._local_tokens.c.person_id == person_id))
            conn.execute(delete(table).where(table.c.person_id == person_id))
            conn.execute(delete(keys).where(keys.c.person_id == person_id))
            if new_key is None:
                vault.lock(person_id)
            else:
                vault.unlock(person_id, new_key[0])
                conn.execute(
                    insert(keys).values(person_id=person_id, key_salt=new_key[1], wrapped_key=new_key[2])
                )
            fresh = [_checked_row(event, person_id) for _id, event in rows]
            if fresh:
                conn.execute(insert(table), fresh)
                self._rebuild(conn, person_id, strict=False)
        self._checkpoint()
        return len(rows)

    def add_local_token(self, token_hash: str, person_id: int, wrapped_key: str, expires: datetime) -> None:
        with self._transaction() as conn:
            conn.execute(
                insert(self._local_tokens).values(
                    token_hash=token_hash,
                    person_id=person_id,
                    wrapped_key=wrapped_key,
                    expires_at=_naive_utc(expires),
                )
            )

    def local_token(self, token_hash: str, now: datetime) -> tuple[int, str] | None:
        """(person, wrapped data key) for a live unlocked local session, or None."""
        table = self._local_tokens
        with self._transaction() as conn:
            found = conn.execute(
                select(table.c.person_id, table.c.wrapped_key).where(
                    table.c.token_hash == token_hash, table.c.expires_at > _naive_utc(now)
                )
            ).first()
        return None if found is None else (int(found[0]), str(found[1]))

    def revoke_local_token(self, token_hash: str) -> None:
        with self._transaction() as conn:
            conn.execute(delete(self._local_tokens).where(self._local_tokens.c.token_hash == token_hash))

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Account:
    """An account; ``wrapped_key`` is the data key wrapped under the password's key, or (when
    found through a token) under that token's key."""

    id: int
    person_id: int
    email: str
    password_hash: str
    key_salt: str
    wrapped_key: str


class AccountExists(Exception):
    """An account with this e-mail address already exists."""


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a UTC offset")
    return moment.astimezone(UTC).replace(tzinfo=None)


class _AlreadyHasEvents(Exception):
    pass


# --------------------------------------------------------------------------- import checks


def _validated(document: object, person_id: int) -> list[dict[str, Any]]:
    if not isinstance(document, Mapping):
        _refuse("the document is not a JSON object")
    if document.get("format") != EXPORT_FORMAT:
        _refuse("format: not an Olive Branch export")
    version = document.get("version")
    if type(version) is int and version > EXPORT_VERSION:
        _refuse(f"version: {version} was written by a newer version of Olive Branch; upgrade to import it")
    if type(version) is not int or version != EXPORT_VERSION:
        _refuse(f"version: not a supported export version (this Olive Branch reads version {EXPORT_VERSION})")
    if "exported_at" in document and _aware(document["exported_at"]) is None:
        _refuse("exported_at: not an ISO datetime with offset")
    items = document.get("events")
    if not isinstance(items, list):
        _refuse("events: missing or not a list")
    kinds = {kind.value: kind for kind in Kind}
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        where = f"events[{index}]"
        if not isinstance(item, Mapping):
            _refuse(f"{where}: not a JSON object")
        if set(item) - {"kind", "at", "data"}:
            _refuse(f"{where}: has fields other than kind, at and data")
        kind = item.get("kind")
        if not isinstance(kind, str):
            _refuse(f"{where}.kind: missing or not a string")
        if kind not in kinds:
            _refuse(f"{where}.kind: not an event kind Olive Branch knows")
        at = _aware(item.get("at"))
        if at is None:
            _refuse(f"{where}.at: not an ISO datetime with offset")
        minutes = _offset_minutes(at)
        if minutes is None:
            _refuse(f"{where}.at: the UTC offset must be whole minutes")
        data = item.get("data", {})
        if not _json_object(data):
            _refuse(f"{where}.data: not a JSON object of plain values")
        rows.append(_row(Event(kinds[kind], at, data), person_id, minutes))
    return rows


def _refuse(message: str) -> NoReturn:
    raise StoreError(f"The import file was refused, and nothing was imported: {message}.")


def _aware(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment
