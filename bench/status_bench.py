"""Benchmarks for `make bench`: prints figures, asserts nothing.

1. status from an in-memory log of 10,000 events (goal: under 20 ms);
2. the same end to end from an SQLite database: open, read, evaluate (goal: under 150 ms);
3. the CLI's cold start for `olivebranch status --json` (goal: under 600 ms).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from olivebranch.program.events import Event, Kind
from olivebranch.program.state import evaluate

EVENTS = 10_000
TZ = ZoneInfo("America/New_York")
ANSWERS = json.loads((Path(__file__).parent.parent / "examples" / "answers.json").read_text())
START = datetime(2025, 1, 10, 9, 0, tzinfo=TZ)


def build_log(count: int = EVENTS, seed: int = 7) -> tuple[list[Event], datetime]:
    """A long, busy history: check-ins, urges, journal, looks, messages, replies, signals."""
    rng = random.Random(seed)
    answers = dict(ANSWERS, ended_on="2025-01-05", last_contact_on="2025-01-08")
    events = [Event(Kind.INTAKE, START, answers)]
    moment = START
    kinds = [
        (Kind.CHECKIN, 30),
        (Kind.URGE, 20),
        (Kind.JOURNAL, 15),
        (Kind.SOCIAL_CHECK, 8),
        (Kind.FRIEND_NEWS, 3),
        (Kind.SENT, 8),
        (Kind.REPLY, 6),
        (Kind.SIGNAL, 5),
        (Kind.SLIP, 1),
        (Kind.MEETING, 2),
        (Kind.CALL, 1),
        (Kind.READINESS, 1),
    ]
    population = [k for k, _ in kinds]
    weights = [w for _, w in kinds]
    while len(events) < count:
        moment += timedelta(minutes=rng.randint(20, 180))
        kind = rng.choices(population, weights)[0]
        data: dict[str, object] = {}
        if kind is Kind.CHECKIN:
            data = {"mood": rng.randint(1, 10), "urge": rng.randint(0, 10)}
        elif kind is Kind.URGE:
            data = {"trigger": rng.choice(["song", "2 a.m.", "their street", "photos"])}
        elif kind is Kind.JOURNAL:
            data = {"prompt": rng.choice(["what_ended_it", "growth", "free"]), "text": "x" * 400}
        elif kind is Kind.SENT:
            data = {"text": "hope the new job is going well", "logistics": rng.random() < 0.2}
        elif kind is Kind.REPLY:
            data = {"tone": rng.choice(["warm", "neutral", "brief", "cool"])}
        elif kind is Kind.SIGNAL:
            data = {"kind": rng.choice(["story_view", "like", "shared_memory", "old_content"])}
        elif kind is Kind.MEETING:
            data = {"went": rng.choice(["good", "mixed"])}
        elif kind is Kind.READINESS:
            data = {"passed": True}
        events.append(Event(kind, moment, data))
    return events, moment + timedelta(hours=1)


def timed(fn: object, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - t0) * 1000)
    return runs


def report(name: str, runs: list[float], goal: float) -> None:
    median = statistics.median(runs)
    verdict = "ok" if median < goal else "OVER GOAL"
    print(f"{name:<44} median {median:7.1f} ms   min {min(runs):7.1f} ms   goal < {goal:.0f} ms   {verdict}")


def main() -> None:
    events, now = build_log()
    print(f"log: {len(events):,} events over {(now - START).days} days")
    evaluate(events, now)  # warm caches (zoneinfo, pycountry) as a running app would have
    report("status from an in-memory log", timed(lambda: evaluate(events, now), 20), 20)

    from olivebranch.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/olivebranch.db"
        store = open_store(url)
        store.append_many(events)
        store.close()

        def end_to_end() -> None:
            s = open_store(url)
            evaluate(s.events(), now)
            s.close()

        report("status end to end from SQLite", timed(end_to_end, 10), 150)

        env = dict(os.environ, OLIVEBRANCH_DATABASE_URL=url)
        command = [
            str(Path(sys.executable).with_name("olivebranch")),
            "--now",
            now.isoformat(),
            "status",
            "--json",
        ]

        def cold() -> None:
            subprocess.run(command, env=env, check=True, capture_output=True)

        cold()
        report("CLI cold start: status --json (10k events)", timed(cold, 7), 600)

        small = f"sqlite:///{tmp}/small.db"
        store = open_store(small)
        store.append_many(events[:50])
        store.close()
        env_small = dict(os.environ, OLIVEBRANCH_DATABASE_URL=small)

        def cold_small() -> None:
            subprocess.run(command, env=env_small, check=True, capture_output=True)

        cold_small()
        report("CLI cold start: status --json (50 events)", timed(cold_small, 7), 600)


if __name__ == "__main__":
    main()
