"""Nothing acknowledged is lost: the whole server is killed (SIGKILL) while people write.

`olivebranch serve --hosted --workers 2` runs as a subprocess in its own process
group; clients post events through the API and the pages; the whole group is
killed mid-stream, twice; the server is started again on the same database and
every event that was answered 201 (or saved by a page) must be there, by id and
content, and the database must open cleanly, at the current version.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hosted_kit import INTAKE
from sqlalchemy.engine import make_url

from olivebranch.store import HEAD_REVISION, open_store

pytestmark = pytest.mark.postgres

WRITERS = 6  # people posting through the API at once
ROUNDS = 2  # kills
PASSWORD = "correct horse battery"
SECRET = "dUr4ble-tests-only_Q8w7E6r5T4y3U2i1O0pAsDfGhJkLzXcV"
RAISED_LIMITS = {
    "OLIVEBRANCH_EVENTS_PER_MINUTE": "100000",
    "OLIVEBRANCH_SIGNINS_PER_MINUTE": "10000",
    "OLIVEBRANCH_ACCOUNT_SIGNINS_PER_MINUTE": "10000",
    "OLIVEBRANCH_SIGNUPS_PER_HOUR": "100000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`olivebranch serve --hosted --workers 2` in its own process group."""

    def __init__(self, url: str, data_dir: Path, log: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
        self.env.update(
            RAISED_LIMITS,
            OLIVEBRANCH_SECRET_KEY=SECRET,
            OLIVEBRANCH_DATABASE_URL=url,
            OLIVEBRANCH_DATA_DIR=str(data_dir),
        )
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self, *extra: str) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        script = Path(sys.executable).with_name("olivebranch")
        command = [str(script), "serve", "--hosted", "--workers", "2", "--port", str(port), *extra]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.log.read_text()}"
            try:
                if httpx.get(f"{self.base}/help", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        pytest.fail(f"the server did not start within 30 s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the supervisor and both workers, mid-request."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


@dataclass
class Writer:
    """One person posting events through the API; keeps what was acknowledged."""

    email: str
    token: str = ""
    acknowledged: dict[int, dict[str, Any]] = field(default_factory=dict)
    sent: int = 0
    cut_off: bool = False
    refused: list[str] = field(default_factory=list)

    def sign_up(self, base: str, *, new: bool = True) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            if new:
                answer = client.post("/api/users", json={"email": self.email, "password": PASSWORD})
                assert answer.status_code == 201, answer.text
            answer = client.post("/api/session", json={"email": self.email, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.token = answer.json()["token"]
            intake = {"kind": "intake", "at": _moment(timedelta(days=1)), **INTAKE}
            answer = client.post("/api/events", json=intake, headers=self.auth)
            assert answer.status_code == 201, answer.text
            self.acknowledged[answer.json()["id"]] = intake

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def write_until_cut_off(self, base: str, stop: threading.Event) -> None:
        self.cut_off = False
        with httpx.Client(base_url=base, timeout=30, headers=self.auth) as client:
            while not stop.is_set():
                self.sent += 1
                body = self._next_event()
                try:
                    answer = client.post("/api/events", json=body)
                except httpx.HTTPError:
                    self.cut_off = True  # the server is gone: this one was never acknowledged
                    return
                if answer.status_code != 201:
                    self.refused.append(f"{answer.status_code} {answer.text}")
                    return
                self.acknowledged[answer.json()["id"]] = body

    def _next_event(self) -> dict[str, Any]:
        at = _moment(timedelta(seconds=1))
        if self.sent % 2:
            return {"kind": "journal", "at": at, "prompt": "free", "text": f"{self.email} entry {self.sent}"}
        return {"kind": "checkin", "at": at, "mood": 1 + self.sent % 10, "urge": self.sent % 11}


@dataclass
class PageWriter:
    """One person writing journal entries on the pages (a cookie session and the form's CSRF value)."""

    email: str
    saved: list[str] = field(default_factory=list)
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)
    sent: int = 0
    cut_off: bool = False
    refused: list[str] = field(default_factory=list)

    def sign_up(self, base: str, api: Writer) -> None:
        with httpx.Client(base_url=base, timeout=30, cookies=self.cookies) as client:
            answer = client.post(
                "/signup", data={"email": self.email, "password": PASSWORD, "csrf": _csrf(client, "/signup")}
            )
            assert answer.status_code in (200, 303), answer.text
            self.cookies = client.cookies
        api.sign_up(base, new=False)  # the same person through the API: the intake, a token to read with

    def write_until_cut_off(self, base: str, stop: threading.Event) -> None:
        self.cut_off = False
        with httpx.Client(base_url=base, timeout=30, cookies=self.cookies) as client:
            try:
                token = _csrf(client, "/journal")
            except httpx.HTTPError:
                return
            while not stop.is_set():
                self.sent += 1
                text = f"{self.email} page entry {self.sent}"
                try:
                    answer = client.post("/journal", data={"prompt": "free", "text": text, "csrf": token})
                except httpx.HTTPError:
                    self.cut_off = True
                    return
                if answer.status_code not in (200, 303):
                    self.refused.append(f"{answer.status_code} {answer.text[:200]}")
                    return
                self.saved.append(text)


def _moment(ago: timedelta) -> str:
    return (datetime.now(UTC) - ago).replace(microsecond=0).isoformat()


def _csrf(client: httpx.Client, page: str) -> str:
    import re

    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(page).text)
    assert found, f"{page} has no anti-forgery value"
    return found.group(1)


def all_events(base: str, token: str) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    cursor: str | None = None
    with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        while True:
            params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            answer = client.get("/api/events", params=params)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            found.update({event["id"]: event for event in page["events"]})
            cursor = page["next"]
            if cursor is None:
                return found


def same_content(sent: dict[str, Any], stored: dict[str, Any]) -> bool:
    at = datetime.fromisoformat(stored["at"]) == datetime.fromisoformat(sent["at"])
    return at and all(stored.get(key) == value for key, value in sent.items() if key != "at")


def check_nothing_acknowledged_is_lost(server: Server, writers: list[Writer], pages: list[PageWriter]) -> int:
    count = 0
    for writer in writers:
        status = httpx.get(f"{server.base}/api/status", headers=writer.auth, timeout=30)
        assert status.status_code == 200, status.text
        stored = all_events(server.base, writer.token)
        for event_id, sent in writer.acknowledged.items():
            assert event_id in stored, f"acknowledged event {event_id} of {writer.email} is lost"
            assert same_content(sent, stored[event_id]), (sent, stored[event_id])
            count += 1
    for page, writer in zip(pages, writers, strict=False):
        texts = {event.get("text") for event in all_events(server.base, writer.token).values()}
        lost = [text for text in page.saved if text not in texts]
        assert not lost, f"entries saved on the journal page are lost: {lost[:3]}"
        count += len(page.saved)
    return count


def check_the_database_opens_cleanly(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(str(parsed.database)) as con:  # recovers the write-ahead log as any opener would
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
        con.close()
    with open_store(url, create=False, migrate=False):
        pass  # opened at the current version, without migrating


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Iterator[Server]:
    started = Server(store_url, tmp_path / "data", tmp_path / "server.log")
    yield started
    started.kill()


def test_every_acknowledged_event_survives_killing_the_whole_server(server: Server, store_url: str) -> None:
    server.start()
    writers = [Writer(f"writer{n}@example.org") for n in range(WRITERS)]
    pages = [PageWriter(f"page{n}@example.org") for n in range(2)]
    for page, writer in zip(pages, writers, strict=False):
        writer.email = page.email
        page.sign_up(server.base, writer)
    for writer in writers[len(pages) :]:
        writer.sign_up(server.base)
    rng = random.Random()
    for round_ in range(ROUNDS):
        if round_:
            server.start("--no-migrate")
            check_nothing_acknowledged_is_lost(server, writers, pages)
        stop = threading.Event()
        threads = [
            threading.Thread(target=w.write_until_cut_off, args=(server.base, stop))
            for w in [*writers, *pages]
        ]
        before = sum(len(w.acknowledged) for w in writers)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while sum(len(w.acknowledged) for w in writers) < before + 40:  # writing in earnest
            assert time.monotonic() < deadline, f"the writers got nowhere:\n{server.log.read_text()}"
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.5))  # then at any moment
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not [r for w in [*writers, *pages] for r in w.refused], "a write was refused before the kill"
        assert any(w.cut_off for w in [*writers, *pages]), "the kill came when no request was in flight"
    check_the_database_opens_cleanly(store_url)
    server.start("--no-migrate")
    kept = check_nothing_acknowledged_is_lost(server, writers, pages)
    assert kept > ROUNDS * 40
    assert all(page.saved for page in pages), "the pages saved nothing before the kill"


def test_a_commit_is_on_disk_before_it_is_acknowledged(store_url: str) -> None:
    """Killing the process cannot test a power cut: these settings are what make one safe."""
    with open_store(store_url) as store, store._engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL, whatever the build
        else:
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
