"""The installed console script, run as a person would: exit codes, plain errors, files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.json"
SCRIPT = str(Path(sys.executable).with_name("olivebranch"))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
    clean.update(env)
    return subprocess.run([SCRIPT, *args], env=clean, capture_output=True, text=True, timeout=60)


def test_the_default_data_dir_is_the_user_data_directory(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    result = run("--now", "2026-11-01T20:00", "start", "--answers", str(EXAMPLE), env=env)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "xdg" / "olivebranch" / "olivebranch.db"
    assert database.is_file()
    assert database.stat().st_mode & 0o777 == 0o600


def test_the_environment_chooses_the_data_dir_and_the_option_wins(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "OLIVEBRANCH_DATA_DIR": str(tmp_path / "env")}
    assert run("--now", "2026-11-01", "start", "--answers", str(EXAMPLE), env=env).returncode == 0
    assert (tmp_path / "env" / "olivebranch.db").is_file()
    other = tmp_path / "option"
    result = run("--data-dir", str(other), "status", env=env)
    assert result.returncode == 2 and "olivebranch start" in result.stderr
    assert (other / "olivebranch.db").is_file()


def test_a_damaged_database_is_a_clear_error_and_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = data / "olivebranch.db"
    database.write_bytes(b"this is not a database, it is a grocery list\n" * 100)
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    result = run("status", env={"OLIVEBRANCH_DATA_DIR": str(data), "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert str(database) in result.stderr.replace("\n", "")
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest


def test_a_data_dir_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("--data-dir", str(blocker / "data"), "status", env={"HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "a-file" in result.stderr


def test_unknown_kind_exits_2_naming_it(tmp_path: Path) -> None:
    env = {"OLIVEBRANCH_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    result = run("log", "hug", env=env)
    assert result.returncode == 2
    assert "hug" in result.stderr


def test_serve_prints_its_address_and_answers_on_it(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
    clean["OLIVEBRANCH_DATA_DIR"] = str(tmp_path / "data")
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port)],
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    assert answer.status == 200
                    assert "Begin" in answer.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert (tmp_path / "data" / "olivebranch.db").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_with_two_workers_answers_every_request_from_the_shared_log_and_clock(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.parse
    import urllib.request

    data = tmp_path / "data"
    started = run(
        "--data-dir", str(data), "--now", "2026-11-01T20:00", "start", "--answers", str(EXAMPLE), env={}
    )
    assert started.returncode == 0, started.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
    clean["OLIVEBRANCH_TEST_CLOCK"] = "1"
    server = subprocess.Popen(
        [SCRIPT, "--data-dir", str(data), "serve", "--port", str(port), "--workers", "2"],
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert server.stdout is not None
        assert f"{base}/" in server.stdout.readline()
        deadline = time.monotonic() + 60
        while True:
            try:
                form = urllib.parse.urlencode({"now": "2026-11-10T09:00:00-05:00"}).encode()
                with urllib.request.urlopen(f"{base}/__test__/clock", data=form, timeout=5) as moved:
                    assert moved.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for _ in range(12):  # each on a new connection, which either worker may accept
            with urllib.request.urlopen(f"{base}/", timeout=10) as answer:
                assert "Day 19 of 30" in answer.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("--data-dir", str(tmp_path), "serve", "--port", str(port), env={})
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: --host/--port: cannot listen on 127.0.0.1:{port}")
    assert "running at" not in result.stdout
