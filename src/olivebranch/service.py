"""The program as one person uses it: the event log, the clock, the intake and recording.

Shared by the command line and the web app. It checks input, appends events,
screens what the person wrote and evaluates the state; showing the results is
left to the caller. Problems with the input raise :class:`Problem`, which names
the field (``at``, ``text``...) so each interface can point at it in its own way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from olivebranch.program.events import Event, Kind

if TYPE_CHECKING:
    from olivebranch.program.state import Snapshot, Status
    from olivebranch.safety.resources import RegionHelp
    from olivebranch.safety.screen import ScreenResult
    from olivebranch.store import Store

MAX_TEXT = 10_000
# The fields of an event that hold the person's own words (screened when written).
FREE_TEXT_FIELDS = ("story", "text", "note", "trigger", "change_steps", "unsent")


class Problem(Exception):
    """Bad input from the person, naming the field it concerns when there is one."""

    def __init__(self, message: str, field: str | None = None, details: tuple[str, ...] = ()) -> None:
        self.message = message
        self.field = field
        self.details = details
        super().__init__(message)


def zone(name: str) -> ZoneInfo:
    """An IANA zone by name; UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def system_zone() -> ZoneInfo:
    """The machine's IANA zone where it can be told, else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            link = os.readlink("/etc/localtime")
            name = link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else ""
        except OSError:
            name = ""
    return zone(name) if name else ZoneInfo("UTC")


def parse_moment(value: str, field: str, tz: ZoneInfo) -> datetime:
    """An ISO date or date-time; a naive value is local time in ``tz``.

    A bare date means noon that day, which no daylight-saving change can move.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(12, 0), tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Problem(
            f"{value!r} is not a date or time; write it like 2026-11-03 or "
            "2026-11-03T21:30 (a UTC offset such as +01:00 is optional)",
            field,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def clean_text(value: str | None, field: str) -> str | None:
    """Text the person typed, trimmed; None when empty. Refuses what cannot be stored as text."""
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise Problem(f"longer than {MAX_TEXT:,} characters", field)
    bad = [ch for ch in value if ord(ch) < 32 and ch not in "\t\n\r"]
    if bad or "\x7f" in value:
        raise Problem("contains control characters", field)
    return value.strip() or None


def journal_data(
    prompt: str, text: str, prompt_field: str = "prompt", text_field: str = "text"
) -> dict[str, Any]:
    from olivebranch.program.journal import PROMPTS

    if prompt not in PROMPTS:
        raise Problem(f"{prompt!r} is not a prompt; use one of {', '.join(PROMPTS)}", prompt_field)
    body = clean_text(text, text_field)
    if not body:
        raise Problem("the entry is empty", text_field)
    return {"prompt": prompt, "text": body}


@dataclass(frozen=True)
class Screened:
    """What the screen found in something the person just wrote, and the help that fits."""

    result: ScreenResult
    document: dict[str, Any]

    @property
    def flags(self) -> list[str]:
        return list(self.document["flags"])


@dataclass(frozen=True)
class Recorded:
    """One event appended: the state just before and after, and what the screen found."""

    event: Event
    before: Status
    after: Status
    screened: Screened | None

    @property
    def restarted(self) -> bool:
        a, b = self.after.no_contact, self.before.no_contact
        return a is not None and b is not None and a.restarts > b.restarts


_RARE_KINDS = frozenset({Kind.INTAKE, Kind.SETTINGS, Kind.SCREEN})


class Program:
    """One person's program over a store. Subclasses decide how the store is opened."""

    def __init__(self, clock: Callable[[], datetime] | None = None, person_id: int = 1) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self.person_id = person_id  # local mode has one person (1); hosted mode one per account
        self._store: Store | None = None
        self._events: list[Event] | None = None
        # Read once per instance (a command, a web request) and forgotten on every append.
        self._kinds: dict[frozenset[Kind], list[Event]] = {}
        self._snapshot: Snapshot | None = None
        self._status: Status | None = None

    # -- the store

    def open_store(self, create: bool) -> Store | None:
        """The store, or None when ``create`` is false and there is none yet."""
        raise NotImplementedError

    def store(self) -> Store:
        if self._store is None:
            self._store = self.open_store(True)
            assert self._store is not None
        return self._store

    def events(self) -> list[Event]:
        if self._events is None:
            self._events = self.store().events(self.person_id)
        return self._events

    def events_if_any(self) -> list[Event]:
        """The log if a database exists; never creates one (for stateless commands)."""
        if self._events is None and self._store is None:
            self._store = self.open_store(False)
            if self._store is None:
                return []
        return self.events()

    def events_of(self, *kinds: Kind) -> list[Event]:
        """The events of these kinds only, in log order (without reading the whole log).

        The rare kinds every page looks at (intake, settings, screen flags) are read together.
        """
        key = frozenset(kinds)
        if self._events is not None:
            return [e for e in self._events if e.kind in key]
        fetched = _RARE_KINDS if key <= _RARE_KINDS else key
        if fetched not in self._kinds:
            self._kinds[fetched] = self.store().events(self.person_id, kinds=fetched)
        found = self._kinds[fetched]
        return found if fetched == key else [e for e in found if e.kind in key]

    def snapshot(self) -> Snapshot | None:
        """What the engine folded out of the log (kept up to date by the store); None before the intake."""
        if self._snapshot is None:
            self._snapshot = self.store().snapshot(self.person_id)
        return self._snapshot

    def append(self, event: Event) -> None:
        self.store().append(event, self.person_id)
        self._events = None
        self._kinds = {}
        self._snapshot = None
        self._status = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # -- who and when

    def intake(self) -> Event | None:
        intakes = [e for e in self.events_of(Kind.INTAKE, Kind.SETTINGS) if e.kind is Kind.INTAKE]
        return max(intakes, key=Event.sort_key) if intakes else None

    def journal_prompts(self) -> list[str]:
        """The prompts written about in the journal (without reading the entries)."""
        if self._events is not None:
            return [str(e.data.get("prompt")) for e in self._events if e.kind is Kind.JOURNAL]
        return self.store().values(Kind.JOURNAL, "prompt", self.person_id)

    def require_intake(self) -> Event:
        intake = self.intake()
        if intake is None:
            raise Problem(
                "there is no intake yet: answer the questions first "
                "('olivebranch start', or Begin in the app)"
            )
        return intake

    def region_if_any(self) -> str | None:
        """The region the person chose last: in the intake, or later in the settings."""
        if self._events is None and self._store is None:
            self._store = self.open_store(False)
            if self._store is None:
                return None
        chosen = [
            e for e in self.events_of(Kind.INTAKE, Kind.SETTINGS) if isinstance(e.data.get("region"), str)
        ]
        if not chosen:
            return None
        return str(max(chosen, key=Event.sort_key).data["region"]).upper()

    def tz(self) -> ZoneInfo:
        intake = self.intake()
        name = intake.data.get("timezone") if intake else None
        return zone(name) if isinstance(name, str) else system_zone()

    def now(self, tz: ZoneInfo | None = None) -> datetime:
        return self._clock().astimezone(tz or self.tz())

    # -- the state

    def evaluate(self, moment: datetime) -> Status:
        """The state at ``moment``: from the stored snapshot, or (before its last event) a replay."""
        from olivebranch.program.state import NoIntake, evaluate, status_from

        snapshot = self.snapshot()
        if snapshot is not None and moment >= snapshot.last_at:
            return status_from(snapshot, moment)
        intake = self.require_intake()
        try:
            return evaluate(self.events(), moment)
        except NoIntake:
            raise Problem(
                f"the intake was recorded at {intake.at.isoformat()}, after the moment asked about "
                f"({moment.isoformat()}); choose a later moment"
            ) from None

    def status(self) -> Status:
        """The state now; worked out once per instance (one command, one web request) until an append."""
        if self._status is None:
            self._status = self.evaluate(self.now())
        return self._status

    # -- writing

    def start(self, answers: dict[str, Any]) -> Recorded:
        """Record the intake after validating every answer (all problems listed at once)."""
        from olivebranch.program.profile import AnswersInvalid, parse_answers

        tz_name = answers.get("timezone")
        tz = zone(tz_name) if isinstance(tz_name, str) else system_zone()
        now = self.now(tz)
        try:
            parse_answers(answers, now.astimezone(tz).date())
        except AnswersInvalid as err:
            raise Problem(
                "the answers cannot be used:\n" + "\n".join(f"  - {e}" for e in err.errors),
                details=tuple(str(e) for e in err.errors),
            ) from None
        previous = self.evaluate(now) if self.intake() is not None else None
        event = Event(Kind.INTAKE, now, answers)
        self.append(event)
        screened = self.screen_free_text(Kind.INTAKE, now, answers)
        after = self.evaluate(now)
        return Recorded(event, previous or after, after, screened)

    def record(self, kind: Kind, at: datetime | None = None, /, **data: Any) -> Recorded:
        """Append one event after checking its moment (default: now)."""
        intake = self.require_intake()
        tz = self.tz()
        now = self.now(tz)
        moment = at or now
        if moment > now:
            raise Problem(f"{moment.isoformat()} is in the future (now is {now.isoformat()})", "at")
        if moment < intake.at:
            raise Problem(
                f"{moment.isoformat()} is before the intake ({intake.at.isoformat()}); "
                "events before it are part of the intake's answers",
                "at",
            )
        clean = {k: v for k, v in data.items() if v is not None and v is not False}
        before = self.evaluate(now)
        event = Event(kind, moment, clean)
        self.append(event)
        screened = self.screen_free_text(kind, moment, clean)
        return Recorded(event, before, self.evaluate(now), screened)

    def screen_free_text(self, kind: Kind, moment: datetime, data: dict[str, Any]) -> Screened | None:
        """Screen what the person wrote (crisis first); record the flags, never the text again."""
        if kind is Kind.REPLY or kind is Kind.EX_CONTACT:
            return None  # their words, not the person's
        texts = [str(data[f]) for f in FREE_TEXT_FIELDS if isinstance(data.get(f), str) and data[f].strip()]
        if not texts:
            return None
        from olivebranch.safety_screen import screen_json, screen_text

        result = screen_text("\n".join(texts))
        if not result.flags:
            return None
        self.append(
            Event(
                Kind.SCREEN,
                moment,
                {
                    "flags": [f.value for f in result.flags],
                    "source": kind.value,
                    "writer_caused_harm": result.writer_caused_harm,
                },
            )
        )
        return Screened(result, screen_json(None, result, self.region_if_any()))


class StoreProgram(Program):
    """The program over a store someone else owns and closes (a web request, an API call)."""

    def __init__(self, store: Store, clock: Callable[[], datetime], person_id: int = 1) -> None:
        super().__init__(clock, person_id)
        self._store = store

    def open_store(self, create: bool) -> Store | None:
        return self._store

    def close(self) -> None:
        pass


def resources_for(status: Status, region: str | None = None) -> RegionHelp:
    """The support lines a status page shows: crisis always, abuse too on the safety track."""
    from olivebranch.safety.resources import load, resources_for

    where = region or status.profile.region
    if status.phase.value == "safety":
        return resources_for(load(), where)
    return resources_for(load(), where, kinds=("crisis",))


# ---------------------------------------------------------------- local mode's passphrase

PASSPHRASE_ENV = "OLIVEBRANCH_PASSPHRASE"
NEW_PASSPHRASE_ENV = "OLIVEBRANCH_NEW_PASSPHRASE"
MIN_PASSPHRASE = 10


def unlock_with_passphrase(store: Store, person_id: int, passphrase: str) -> bytes:
    """Open the person's data key with their passphrase (Problem when it is wrong)."""
    from olivebranch.store import vault

    found = store.person_key(person_id)
    if found is None:
        raise Problem("there is no passphrase to unlock")
    salt, wrapped = found
    try:
        data_key = vault.unwrap(wrapped, vault.password_key(passphrase, bytes.fromhex(salt)))
    except vault.Locked:
        raise Problem("that passphrase does not unlock this data", "passphrase") from None
    vault.unlock(person_id, data_key)
    return data_key


def set_passphrase(store: Store, person_id: int, new: str | None, current: str | None) -> int:
    """Lock (or re-lock, or with ``new`` None unlock for good) everything the person wrote.

    Returns how many events were rewritten. The current passphrase is needed when there is one.
    """
    from olivebranch.store import vault

    if store.person_key(person_id) is not None:
        if not current:
            raise Problem("give the current passphrase first", "passphrase")
        unlock_with_passphrase(store, person_id, current)
    if new is None:
        return store.reseal(person_id, None)
    if len(new) < MIN_PASSPHRASE:
        raise Problem(
            f"use at least {MIN_PASSPHRASE} characters (a few words together work well)", "new_passphrase"
        )
    salt = vault.new_salt()
    data_key = vault.new_data_key()
    wrapped = vault.wrap(data_key, vault.password_key(new, salt))
    return store.reseal(person_id, (data_key, salt.hex(), wrapped))
