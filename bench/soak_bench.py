"""The hosted soak for `make bench`: prints figures, asserts nothing.

Starts `olivebranch serve --hosted --workers 2` on loopback (SQLite in a fresh data
folder, or `--database-url`), with the rate limits raised through their settings.
Fifty people sign up, sign in once and record their intake; then wrk holds one
connection per person for 60 s, each request with a person's token, mixing
`GET /api/status` (5 in 10), `POST /api/events` (a check-in, 3 in 10) and
`POST /api/check` (2 in 10). Printed: requests per second, p99 latency, errors
(goal zero; 429 answers counted apart) and the memory of the whole server (the RSS
of every process in its process group, from /proc) after a 10 s warm-up and at the
end (goal: under 10% growth).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from web_bench import ensure_wrk, free_port, milliseconds

PEOPLE = 50  # one connection each
SECONDS = 60
WARM_UP = 10
WORKERS = 2
RAISED_LIMITS = {
    "OLIVEBRANCH_EVENTS_PER_MINUTE": "100000",
    "OLIVEBRANCH_SIGNINS_PER_MINUTE": "10000",
    "OLIVEBRANCH_ACCOUNT_SIGNINS_PER_MINUTE": "10000",
    "OLIVEBRANCH_SIGNUPS_PER_HOUR": "100000",
}
PASSWORD = "a soak-test passphrase"
RUN = secrets.token_hex(4)
DRAFTS = [
    "Hey, I saw the trail we used to walk is open again. Hope the new job is going well!",
    "Happy birthday! I hope the day is a good one.",
    "I miss you so much, please just talk to me.",
    "Your sister's band is playing on Friday, made me think of that first gig. Hope you're well.",
]
INTAKE = {
    "months_together": 30,
    "ended_on": "2026-01-05",
    "last_contact_on": "2026-01-06",
    "breakup_messy": False,
    "anxious_contact_since": False,
    "safety": dict.fromkeys(
        ("emotional_abuse", "controlling", "physical_aggression", "threats", "felt_unsafe"), False
    ),
    "repeated_betrayal": False,
    "region": "GB",
    "timezone": "Europe/London",
}

# One wrk thread runs this for its connections; each request takes the next person of the
# thread's share (so every person is in use all along), and every answer's status is counted.
LUA = r"""
local tokens = %(tokens)s
local drafts = %(drafts)s
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mine = {}
  for i, token in ipairs(tokens) do
    if i %% %(threads)d == id then table.insert(mine, token) end
  end
  n = 0
  codes = {}
end

function request()
  n = n + 1
  local headers = {}
  headers["Authorization"] = "Bearer " .. mine[(n %% #mine) + 1]
  headers["Content-Type"] = "application/json"
  local kind = n %% 10
  if kind < 5 then
    return wrk.format("GET", "/api/status", headers)
  elseif kind < 8 then
    local at = os.date("!%%Y-%%m-%%dT%%H:%%M:%%S+00:00")
    local body = string.format('{"kind":"checkin","at":"%%s","mood":%%d,"urge":%%d}',
      at, n %% 10 + 1, n %% 11)
    return wrk.format("POST", "/api/events", headers, body)
  else
    local draft = drafts[(n %% #drafts) + 1]
    return wrk.format("POST", "/api/check", headers,
      string.format('{"text":"%%s","stage":"first_contact"}', draft))
  end
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      total[tostring(status)] = (total[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, string.format('"%%s": %%d', status, count)) end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def group_rss_mib(pgid: int) -> float:
    """The resident memory of every process in the process group, in MiB."""
    total_kib = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rpartition(")")[2].split()[2]) != pgid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total_kib += int(found.group(1)) if found else 0
    return total_kib / 1024


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/help", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    sys.exit("the server did not start within 60 s")


def person(base: str, n: int) -> str:
    """Sign up, sign in once, record the intake; the token is what the soak reuses."""
    email = f"soak{n}-{RUN}@example.org"  # new people on every run, on a reused database too
    with httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post("/api/users", json={"email": email, "password": PASSWORD})
        answer.raise_for_status()
        token = str(client.post("/api/session", json={"email": email, "password": PASSWORD}).json()["token"])
        at = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0).isoformat()
        intake = client.post(
            "/api/events",
            json={"kind": "intake", "at": at, **INTAKE},
            headers={"Authorization": f"Bearer {token}"},
        )
        intake.raise_for_status()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="e.g. a PostgreSQL URL (default: SQLite in a fresh folder)")
    parser.add_argument("--seconds", type=int, default=SECONDS)
    args = parser.parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="olivebranch-soak-") as tmp:
        data = Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
        env.update(
            RAISED_LIMITS, OLIVEBRANCH_SECRET_KEY=secrets.token_urlsafe(48), OLIVEBRANCH_DATA_DIR=str(data)
        )
        if args.database_url:
            env["OLIVEBRANCH_DATABASE_URL"] = args.database_url
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        script = str(Path(sys.executable).with_name("olivebranch"))
        command = [script, "serve", "--hosted", "--port", str(port), "--workers", str(WORKERS)]
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
        try:
            wait_until_up(base, server, log)
            with ThreadPoolExecutor(4) as pool:
                tokens = list(pool.map(lambda n: person(base, n), range(PEOPLE)))
            lua = Path(tmp) / "soak.lua"
            lua.write_text(LUA % {"tokens": _lua_list(tokens), "drafts": _lua_list(DRAFTS), "threads": 2})
            database = "PostgreSQL" if args.database_url else "SQLite"
            print(
                f"soak: serve --hosted --workers {WORKERS} on loopback ({database}, {os.cpu_count()} CPUs), "
                f"{PEOPLE} people, one wrk connection each, {args.seconds} s: "
                "status 5, check-in 3, draft check 2 in 10",
                flush=True,
            )
            samples: dict[str, float] = {}

            def warm_sample() -> None:
                time.sleep(WARM_UP)
                samples["warm"] = group_rss_mib(server.pid)

            sampler = threading.Thread(target=warm_sample)
            sampler.start()
            load = [wrk, "-t2", f"-c{PEOPLE}", f"-d{args.seconds}s", "--latency", "--timeout", "5s"]
            result = subprocess.run(
                [*load, "-s", str(lua), base],
                capture_output=True,
                text=True,
                check=True,
            )
            samples["end"] = group_rss_mib(server.pid)
            sampler.join()
            report(result.stdout, samples)
            if server.poll() is not None:
                print(f"the server stopped during the soak:\n{log.read_text()}")
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()


def _lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


def report(output: str, samples: dict[str, float]) -> None:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p50 = milliseconds(re.search(r"50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    statuses = {
        int(k): v
        for k, v in json.loads(re.search(r"STATUSES (\{.*\})", output).group(1)).items()  # type: ignore[union-attr]
    }
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    counts = [int(n) for n in socket_errors.groups()] if socket_errors else [0, 0, 0, 0]
    broken = sum(counts)
    kinds = ", ".join(
        f"{name} {n}" for name, n in zip(("connect", "read", "write", "timeout"), counts, strict=True)
    )
    limited = statuses.get(429, 0)
    errors = broken + sum(count for code, count in statuses.items() if code >= 400 and code != 429)
    growth = (samples["end"] - samples["warm"]) / samples["warm"] * 100
    shown = ", ".join(f"{code}: {count:,}" for code, count in sorted(statuses.items()))
    print(f"  {rps:8.1f} req/s   p50 {p50:.1f} ms   p99 {p99:.1f} ms   ({requests:,} requests; {shown})")
    print(
        f"  errors {errors} (socket: {kinds}; goal 0)   rate-limited (429) {limited}   "
        f"{'ok' if errors == 0 else 'OVER GOAL'}"
    )
    print(
        f"  server memory (RSS, whole process group): {samples['warm']:.0f} MiB after {WARM_UP} s, "
        f"{samples['end']:.0f} MiB at the end: {growth:+.1f}% (goal under 10%)   "
        f"{'ok' if growth < 10 else 'OVER GOAL'}",
        flush=True,
    )


if __name__ == "__main__":
    main()
