"""The web bench for `make bench`: prints figures, asserts nothing.

Starts `olivebranch serve --workers 2` on loopback over a person with a history of
2,000 events and loads it with wrk (installed from Debian when missing) at 32
connections for 10 s each: the Today page, a static file and the live draft
check. Goals on a 2-core machine: Today at least 400 requests/s with p99 under
100 ms and no errors; the checker endpoint at least 150 requests/s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from status_bench import START, build_log

from olivebranch.program.events import Event, Kind

EVENTS = 2_000
CONNECTIONS = 32
SECONDS = 10
WORKERS = 2
ROOT = Path(__file__).resolve().parent.parent
DRAFT = "Hey, I saw the trail we used to walk is open again. Hope the new job is going well!"


@dataclass(frozen=True)
class Load:
    name: str
    path: str
    rps_goal: float | None = None
    p99_goal_ms: float | None = None
    script: str | None = None


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it from Debian (apt-get install -y wrk)", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def history() -> list[Event]:
    """2,000 events: an intake, then a long and busy history, all in the past."""
    events, _end = build_log(EVENTS)
    assert events[0].kind is Kind.INTAKE and events[0].at == START
    return events


def wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server stopped; see its log")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start within 60 s")


def run_wrk(wrk: str, url: str, seconds: int, script: str | None) -> str:
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", script]
    return subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def figures(output: str) -> tuple[float, float, int, int]:
    """Requests per second, p99 latency in ms, errors (socket, non-2xx/3xx), requests."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return rps, p99, errors, requests


def report(load: Load, output: str) -> None:
    rps, p99, errors, requests = figures(output)
    verdicts = []
    if load.rps_goal is not None:
        verdicts.append(f">= {load.rps_goal:.0f}/s")
    if load.p99_goal_ms is not None:
        verdicts.append(f"p99 < {load.p99_goal_ms:.0f} ms")
    met = (
        (load.rps_goal is None or rps >= load.rps_goal)
        and (load.p99_goal_ms is None or p99 < load.p99_goal_ms)
        and errors == 0
    )
    goal = f"goal {', '.join(verdicts)}, no errors  {'ok' if met else 'OVER GOAL'}" if verdicts else ""
    print(
        f"{load.name:<34} {rps:8.1f} req/s   p99 {p99:7.1f} ms   errors {errors:<4} "
        f"({requests:,} requests)   {goal}",
        flush=True,
    )


def drafts(limit: int = 600) -> list[tuple[str, str]]:
    """Distinct drafts from the checker's training files (never the held-out split)."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "corpus" / "checker").glob("train-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["stage"] in ("first_contact", "rebuilding", "follow_up") and len(item["text"]) < 600:
                found.append((item["stage"], item["text"]))
    return found[:limit] or [("first_contact", DRAFT)]


def main() -> None:
    wrk = ensure_wrk()
    events = history()
    with tempfile.TemporaryDirectory(prefix="olivebranch-web-bench-") as tmp:
        data = Path(tmp) / "data"
        from olivebranch import config
        from olivebranch.store import open_store

        with open_store(config.database_url(data)) as store:
            store.append_many(events)
        coach = Path(tmp) / "coach.lua"
        # Many different drafts, in turn: the same text again would be answered from caches.
        bodies = [f"stage={stage}&text={urllib.request.quote(text)}" for stage, text in drafts()]
        coach.write_text(
            "local bodies = {" + ",".join(json.dumps(b) for b in bodies) + "}\n"
            "local n = 0\n"
            "local headers = {"
            '["Content-Type"] = "application/x-www-form-urlencoded", ["HX-Request"] = "true"}\n'
            "request = function()\n"
            "  n = n + 1\n"
            '  return wrk.format("POST", nil, headers, bodies[(n % #bodies) + 1])\n'
            "end\n"
        )
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
        script = str(Path(sys.executable).with_name("olivebranch"))
        command = [script, "--data-dir", str(data), "serve", "--port", str(port), "--workers", str(WORKERS)]
        log = (Path(tmp) / "server.log").open("w")
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/", server)
            print(
                f"serve --workers {WORKERS} on loopback, a history of {len(events):,} events; "
                f"wrk at {CONNECTIONS} connections for {SECONDS} s each ({os.cpu_count()} CPUs)",
                flush=True,
            )
            loads = [
                Load("Today (GET /)", "/", rps_goal=400, p99_goal_ms=100),
                Load("static file (GET /static/app.css)", "/static/app.css"),
                Load("checker (POST /coach, htmx)", "/coach", rps_goal=150, script=str(coach)),
            ]
            for load in loads:
                run_wrk(wrk, base + load.path, 3, load.script)  # warm up (the checker loads its model)
                report(load, run_wrk(wrk, base + load.path, SECONDS, load.script))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


if __name__ == "__main__":
    main()
