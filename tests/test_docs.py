"""The README documents every code and field a script can meet (checked, like datasette)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app, log_app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
PROGRAM = ROOT / "src" / "olivebranch" / "program"


def codes(pattern: str, *files: str) -> set[str]:
    found: set[str] = set()
    for name in files:
        found |= set(re.findall(pattern, (PROGRAM / name).read_text()))
    return found


@pytest.mark.parametrize(
    ("what", "found"),
    [
        ("next-step code", codes(r'NextStep\(\s*"(\w+)"', "state.py")),
        ("warning code", codes(r'Warning\(\s*"(\w+)"', "mistakes.py")),
        ("note code", codes(r'Note\(\s*"(\w+)"', "state.py")),
        ("milestone code", codes(r'\(\s*"(\w+)",\s*"[A-Z]', "state.py")),
        ("scenario code", codes(r'(?m)^\s+"(\w+)": \($', "scenarios.py")),
    ],
)
def test_every_code_is_documented(what: str, found: set[str]) -> None:
    assert found, f"no {what}s found: the pattern is out of date"
    missing = sorted(code for code in found if f"`{code}`" not in README)
    assert not missing, f"undocumented {what}s: {missing}"


def test_every_log_kind_is_documented() -> None:
    kinds = [c.name for c in log_app.registered_commands]
    assert len(kinds) >= 20
    missing = [k for k in kinds if f"`{k}`" not in README]
    assert not missing


def test_every_status_field_is_documented(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path), "--now", "2026-11-01T20:00"]
    runner.invoke(app, [*base, "start", "--answers", str(ROOT / "examples" / "answers.json")])
    result = runner.invoke(app, [*base, "status", "--json"])
    status = json.loads(result.output)
    missing = [field for field in status if f"`{field}`" not in README]
    assert not missing, f"undocumented status fields: {missing}"
    for field in ("planned_days", "day", "reasons"):
        assert f"`{field}`" in README
