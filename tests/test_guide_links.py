"""Every judgement links to the page that explains it; Today shows the page that fits; the CLI reads pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app
from olivebranch.coach.findings import CODES
from olivebranch.guide.library import page
from olivebranch.guide.links import (
    FINDING_PAGES,
    HELP,
    NEXT_STEP_PAGES,
    NOTE_PAGES,
    SCENARIO_PAGES,
    SCREEN_PAGES,
    TABLES,
    WARNING_PAGES,
)
from olivebranch.safety.screen import FLAGS

PROGRAM = Path(__file__).resolve().parent.parent / "src" / "olivebranch" / "program"


def codes_in(source: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, source, flags=re.S | re.M))


def test_every_next_step_code_links_to_a_page() -> None:
    source = (PROGRAM / "state.py").read_text()
    found = codes_in(source, r'NextStep\(\s*"([a-z_]+)"')
    assert len(found) >= 15
    assert found <= set(NEXT_STEP_PAGES), sorted(found - set(NEXT_STEP_PAGES))


def test_every_warning_note_and_scenario_links_to_a_page() -> None:
    warnings = codes_in((PROGRAM / "mistakes.py").read_text(), r'Warning\(\s*"([a-z_]+)"')
    assert len(warnings) >= 10 and warnings <= set(WARNING_PAGES), sorted(warnings - set(WARNING_PAGES))
    notes = codes_in((PROGRAM / "state.py").read_text(), r'Note\(\s*"([a-z_]+)"')
    assert notes and notes <= set(NOTE_PAGES), sorted(notes - set(NOTE_PAGES))
    scenarios = codes_in((PROGRAM / "scenarios.py").read_text(), r'^\s*"([a-z_]+)": \(')
    assert scenarios and scenarios <= set(SCENARIO_PAGES), sorted(scenarios - set(SCENARIO_PAGES))


def test_every_checker_code_and_screen_flag_links_somewhere() -> None:
    assert set(CODES) <= set(FINDING_PAGES)
    assert {f.value for f in FLAGS} <= set(SCREEN_PAGES)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_link_target_exists(table: str) -> None:
    for code, target in TABLES[table].items():
        assert target == HELP or page(target) is not None, f"{table} {code} -> {target}"


def test_cli_lists_and_reads_pages_with_the_regions_lines(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["--data-dir", str(tmp_path), "guide"])
    assert listed.exit_code == 0 and "no-contact" in listed.output and "if-you-slip" in listed.output
    shown = runner.invoke(app, ["--data-dir", str(tmp_path), "guide", "no-contact", "--region", "GB"])
    assert shown.exit_code == 0, shown.output
    assert "Samaritans" in shown.output and "[[support" not in shown.output
    missing = runner.invoke(app, ["--data-dir", str(tmp_path), "guide", "nope"])
    assert missing.exit_code == 2 and "no guide page 'nope'" in missing.output
