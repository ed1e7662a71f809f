"""`olivebranch check`: the public contract, through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app

ROOT = Path(__file__).parent.parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"
SCRIPT = str(Path(sys.executable).with_name("olivebranch"))
FIELDS = {"id", "stage", "verdict", "findings", "suggestion", "resources"}


def run(data: Path, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["--data-dir", str(data), *args], input=input, env={"OLIVEBRANCH_DATABASE_URL": ""}
    )
    return result.exit_code, result.stdout, result.stderr


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_with_a_stage_it_is_stateless_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    code, out, _ = run(data, "check", "--stage", "first_contact", "--json", "i miss you so much")
    assert code == 0
    result = json.loads(out)
    assert set(result) == FIELDS
    assert result["verdict"] == "revise"
    assert [f["code"] for f in result["findings"]] == ["neediness"]
    finding = result["findings"][0]
    assert finding["severity"] == "major"
    assert "i miss you so much"[finding["start"] : finding["end"]].startswith("i miss you")
    assert result["suggestion"] == "[Something specific] made me smile today. Hope all is well on your end."
    assert result["resources"] == []
    assert not data.exists() or not any(data.iterdir())


def test_without_a_stage_it_uses_the_persons_phase(tmp_path: Path) -> None:
    run(tmp_path, "--now", "2026-11-01T20:00", "start", "--answers", str(EXAMPLE))
    code, out, _ = run(tmp_path, "--now", "2026-11-02T02:00", "check", "--json", "hey how are you")
    assert code == 0
    result = json.loads(out)
    assert result["stage"] == "no_contact"
    assert result["verdict"] == "hold"
    assert [f["code"] for f in result["findings"]] == ["no_contact_breach"]
    assert (result["findings"][0]["start"], result["findings"][0]["end"]) == (0, 15)


def test_a_first_message_waiting_for_an_answer_makes_the_stage_follow_up(tmp_path: Path) -> None:
    run(tmp_path, "--now", "2026-11-20T20:00", "start", "--answers", str(EXAMPLE))
    run(tmp_path, "--now", "2026-11-26T20:00", "log", "readiness", "--passed")
    code, out, _ = run(tmp_path, "--now", "2026-11-26T20:10", "check", "--json", "saw a heron today")
    assert json.loads(out)["stage"] == "first_contact"
    run(tmp_path, "--now", "2026-11-27T10:00", "log", "sent", "--text", "saw a heron today")
    code, out, _ = run(tmp_path, "--now", "2026-12-05T10:00", "check", "--json", "hope the week went ok")
    assert code == 0
    assert json.loads(out)["stage"] == "follow_up"


def test_a_phase_without_a_stage_says_so_and_exits_2(tmp_path: Path) -> None:
    answers = json.loads(EXAMPLE.read_text())
    answers["repeated_betrayal"] = True  # the let-go track: moving on
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    run(tmp_path, "--now", "2026-11-01T20:00", "start", "--answers", str(path))
    code, _, err = run(tmp_path, "--now", "2026-11-02T20:00", "check", "hey")
    assert code == 2
    assert "moving-on" in err and "--stage" in err


def test_no_stage_and_no_intake_exits_2(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "check", "hey")
    assert code == 2 and "--stage" in err


def test_crisis_brings_the_crisis_lines_for_the_region(tmp_path: Path) -> None:
    text = "i dont want to be alive anymore"
    code, out, _ = run(tmp_path, "check", "--stage", "rebuilding", "--json", text)
    result = json.loads(out)
    assert result["verdict"] == "hold"
    assert {r["region"] for r in result["resources"]} == {"US", "INTL"}
    assert any(r["phone"] == "988" for r in result["resources"])
    code, out, _ = run(tmp_path, "check", "--stage", "rebuilding", "--region", "GB", "--json", text)
    assert code == 0
    assert {r["region"] for r in json.loads(out)["resources"]} == {"GB"}
    assert any("Samaritans" in r["name"] for r in json.loads(out)["resources"])


def test_human_output_shows_the_draft_the_verdict_and_the_reasons(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "check", "--stage", "first_contact", "i miss you. can we talk about us?")
    assert code == 0
    assert "i miss you. can we talk about us?" in out
    assert "Worth rewriting" in out
    assert "[major] neediness" in out and "pressure" in out and "relationship_talk" in out


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--stage", "brunch", "hi"), "unknown stage 'brunch'"),
        (("--stage", "rebuilding", "   "), "text is empty"),
        (("--stage", "rebuilding", "x" * 10_001), "10,001 characters"),
        (("--stage", "rebuilding", "hi\x07there"), "control character (U+0007)"),
        (
            (
                "--stage",
                "rebuilding",
            ),
            "give the draft",
        ),
        (("--region", "UK", "--stage", "rebuilding", "hi"), "GB"),
    ],
)
def test_bad_single_input_is_a_clear_error(tmp_path: Path, args: tuple[str, ...], problem: str) -> None:
    code, _, err = run(tmp_path, "check", *args)
    assert code == 2
    assert problem in err


def test_a_batch_keeps_going_past_bad_lines_and_says_which(tmp_path: Path) -> None:
    good = {"id": "a", "stage": "first_contact", "text": "saw a heron at the lake today, made me smile"}
    rows: list[bytes] = [
        json.dumps(good).encode(),
        b"this is not json",
        json.dumps({"id": "c", "stage": "first_contact"}).encode(),
        json.dumps({"id": "d", "stage": "first_contact", "text": "hi", "mood": 3}).encode(),
        json.dumps({"id": "e", "stage": "whenever", "text": "hi"}).encode(),
        json.dumps({"id": "f", "stage": "rebuilding", "text": ""}).encode(),
        json.dumps({"id": "g", "stage": "rebuilding", "text": "y" * 10_001}).encode(),
        b'{"id": "h", "stage": "rebuilding", "text": "caf\xe9"}',
        json.dumps({"id": "i", "stage": "rebuilding", "text": "hi\u0000"}).encode(),
        json.dumps(
            {"id": "j", "stage": "rebuilding", "text": "👨‍👩‍👧 pickup at 4, tabs\tand\r\nnewlines ok"}
        ).encode(),
        json.dumps({"id": 11, "stage": "no_contact", "text": "answer me or you'll regret it"}).encode(),
    ]
    source = tmp_path / "drafts.jsonl"
    source.write_bytes(b"\n".join(rows) + b"\n")
    code, out, err = run(tmp_path, "check", "--jsonl", str(source))
    assert code == 1
    results = lines(out)
    assert [r.get("id") for r in results] == ["a", None, "c", "d", "e", "f", "g", None, "i", "j", 11]
    errors = {r["line"]: r["error"] for r in results if "error" in r}
    assert errors == {
        2: "line 2: not JSON (Expecting value at column 1)",
        3: "line 3: missing field 'text'",
        4: "line 4: unknown field 'mood'",
        5: "line 5: unknown stage 'whenever'; use one of no_contact, first_contact, follow_up, "
        "rebuilding, conversation, answering",
        6: "line 6: text is empty",
        7: "line 7: text is 10,001 characters long; the limit is 10,000",
        8: "line 8: not valid UTF-8 (byte 48)",
        9: "line 9: text contains a control character (U+0000) at position 2",
    }
    assert "line 2: not JSON" in err
    ok = {r["id"]: r for r in results if "error" not in r}
    assert ok["a"]["verdict"] == "send" and set(ok["a"]) == FIELDS
    assert ok["j"]["verdict"] == "send"
    assert ok[11]["verdict"] == "hold" and "ultimatum" in {f["code"] for f in ok[11]["findings"]}


def test_a_batch_from_stdin_uses_the_stage_option_for_lines_without_one(tmp_path: Path) -> None:
    rows = "\n".join(
        [
            json.dumps({"id": 1, "text": "hey can we talk?"}),
            json.dumps({"id": 2, "stage": "conversation", "text": "hey can we talk?"}),
        ]
    )
    code, out, _ = run(tmp_path, "check", "--stage", "rebuilding", "--jsonl", "-", input=rows)
    assert code == 0
    first, second = lines(out)
    assert (first["stage"], [f["code"] for f in first["findings"]]) == ("rebuilding", ["pressure"])
    assert (second["stage"], second["findings"]) == ("conversation", [])
    assert not any(tmp_path.iterdir())  # stateless: nothing stored


def test_the_console_script_exits_non_zero_on_a_failed_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [SCRIPT, "--data-dir", str(tmp_path), "check", "--jsonl", "-"],
        input=b'{"id": 1, "stage": "rebuilding", "text": "hi"}\n{"id": 2}\n',
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 2
