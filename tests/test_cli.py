"""Whole scenarios through the command line, with the clock pinned by --now."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.json"


class Person:
    """One person's data directory, driven through the CLI."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path / "data"
        self.tmp = tmp_path
        self.runner = CliRunner()

    def run(self, *args: str, input: str | None = None, code: int = 0) -> str:
        result = self.runner.invoke(
            app,
            ["--data-dir", str(self.dir), *args],
            input=input,
            env={"OLIVEBRANCH_DATABASE_URL": "", "COLUMNS": "200"},
        )
        output = result.output
        assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{output}"
        assert "Traceback" not in output
        return output

    def start(self, now: str, **overrides: Any) -> str:
        answers = json.loads(EXAMPLE.read_text())
        answers.update(overrides)
        path = self.tmp / "answers.json"
        path.write_text(json.dumps(answers))
        return self.run("--now", now, "start", "--answers", str(path))

    def status(self, now: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run("--now", now, "status", "--json"))
        return data

    def log(self, now: str, *args: str, code: int = 0) -> str:
        return self.run("--now", now, "log", *args, code=code)


@pytest.fixture
def person(tmp_path: Path) -> Person:
    return Person(tmp_path)


def test_the_example_answers_lead_to_the_reconcile_track(person: Person) -> None:
    out = person.start("2026-11-01T20:00")
    assert "Worth trying" in out
    status = person.status("2026-11-01T20:00")
    assert status["track"] == "reconcile"
    assert status["phase"] == "no_contact"


@pytest.mark.parametrize(
    ("months", "messy", "anxious", "days"),
    [
        (36, True, False, 45),  # a 3-year messy breakup
        (4, False, False, 21),  # a 4-month calm fling
        (14, False, False, 30),  # 14 calm months
        (14, False, True, 45),  # lots of anxious texting since
        (4, True, False, 45),  # a short but messy one
    ],
)
def test_no_contact_length_follows_the_relationship(
    person: Person, months: int, messy: bool, anxious: bool, days: int
) -> None:
    person.start(
        "2026-10-25T09:00",
        months_together=months,
        breakup_messy=messy,
        anxious_contact_since=anxious,
        ended_on="2026-10-20",
        last_contact_on="2026-10-20",
    )
    status = person.status("2026-10-25T09:00")
    nc = status["no_contact"]
    assert nc["planned_days"] == days
    assert nc["day"] == 5
    assert nc["reasons"], "the plan must say why it chose its length"


def test_a_slip_restarts_the_count_kindly(person: Person) -> None:
    person.start("2026-10-25T09:00", last_contact_on="2026-10-22")
    assert person.status("2026-11-02T09:00")["no_contact"]["day"] == 11
    out = person.log("2026-11-02T23:40", "slip", "--trigger", "our song came on")
    assert "not a failure" in out
    status = person.status("2026-11-03T08:00")
    assert status["no_contact"]["day"] == 1
    assert status["no_contact"]["started_on"] == "2026-11-03"
    assert status["slips"] == [{"day": "2026-11-02", "kind": "slip", "trigger": "our song came on"}]


def test_a_message_during_no_contact_is_a_slip_but_logistics_are_not(person: Person) -> None:
    person.start("2026-10-25T09:00", last_contact_on="2026-10-22")
    person.log("2026-11-01T10:00", "sent", "--logistics", "--text", "can I pick up my books sat?")
    person.log("2026-11-01T11:00", "ex_contact", "--text", "hey, how are you")
    person.log("2026-11-01T12:00", "sent", "--answering", "--text", "doing ok, thanks")
    assert person.status("2026-11-02T09:00")["no_contact"]["day"] == 11
    person.log("2026-11-02T10:00", "sent", "--text", "i miss you")
    assert person.status("2026-11-02T11:00")["no_contact"]["day"] == 0


def test_social_checks_are_named_not_restarts_and_often_is_a_warning(person: Person) -> None:
    person.start("2026-10-25T09:00", last_contact_on="2026-10-22")
    out = person.log("2026-11-01T22:00", "social_check")
    assert "doesn't restart" in out
    status = person.status("2026-11-01T23:00")
    assert status["no_contact"]["day"] == 10
    assert [n["code"] for n in status["notes"]] == ["social_check"]
    assert status["warnings"] == []
    person.log("2026-11-02T22:00", "social_check")
    person.log("2026-11-03T22:00", "social_check")
    codes = [w["code"] for w in person.status("2026-11-03T23:00")["warnings"]]
    assert codes == ["checking_social_media"]


def test_an_unanswered_first_message_leads_to_one_follow_up_then_the_boundary(
    person: Person,
) -> None:
    person.start("2026-11-20T20:00", last_contact_on="2026-10-20", ended_on="2026-10-20")
    person.log("2026-11-20T20:05", "readiness", "--passed")
    assert person.status("2026-11-20T20:10")["phase"] == "first_contact"
    assert person.status("2026-11-20T20:10")["next_step"]["code"] == "send_first_message"
    person.log("2026-11-21T10:00", "sent", "--text", "saw a corgi in a raincoat, thought of you")
    for day, code in [("2026-11-22", "wait_for_reply"), ("2026-11-27", "wait_for_reply")]:
        assert person.status(day)["next_step"]["code"] == code
    status = person.status("2026-11-29T10:00")  # 8 days later
    assert status["next_step"]["code"] == "send_follow_up"
    assert status["phase"] == "first_contact"
    person.log("2026-11-29T10:30", "sent", "--text", "hope your week went well")
    assert person.status("2026-12-05T10:00")["next_step"]["code"] == "wait_for_reply"
    status = person.status("2026-12-06T10:00")  # 7 days after the follow-up
    assert status["next_step"]["code"] == "respect_boundary"
    assert status["phase"] == "moving_on"


def test_a_warm_reply_starts_rebuilding_and_good_meetings_open_the_conversation(
    person: Person,
) -> None:
    person.start("2026-11-20T20:00", last_contact_on="2026-10-20", ended_on="2026-10-20")
    person.log("2026-11-20T20:05", "readiness", "--passed")
    person.log("2026-11-21T10:00", "sent", "--text", "that bakery reopened!")
    person.log("2026-11-21T18:00", "reply", "--tone", "warm", "--text", "no way, best croissants")
    status = person.status("2026-11-22T10:00")
    assert (status["phase"], status["next_step"]["code"]) == ("rebuilding", "keep_it_light")
    assert person.status("2026-11-29T10:00")["next_step"]["code"] == "suggest_meeting"
    for day in ("2026-12-01", "2026-12-06", "2026-12-12"):
        person.log(f"{day}T20:00", "meeting", "--went", "good")
    person.log("2026-12-13T10:00", "conversation_readiness", "--passed")
    assert person.status("2026-12-13T11:00")["phase"] == "conversation"


def test_being_asked_for_no_contact_ends_coaching_and_more_contact_is_named(
    person: Person,
) -> None:
    person.start("2026-11-20T20:00", last_contact_on="2026-10-20", ended_on="2026-10-20")
    person.log("2026-11-20T20:05", "readiness", "--passed")
    person.log("2026-11-21T10:00", "sent", "--text", "hey")
    person.log("2026-11-21T12:00", "reply", "--tone", "cool", "--no-contact-requested")
    assert person.status("2026-11-21T13:00")["next_step"]["code"] == "respect_boundary"
    out = person.log("2026-11-22T10:00", "sent", "--text", "please just talk to me")
    assert "harassment" in out
    assert "contact_after_no" in [w["code"] for w in person.status("2026-11-22T11:00")["warnings"]]


def test_a_safety_answer_gives_the_safety_track_with_support_lines(person: Person) -> None:
    out = person.start(
        "2026-11-01T20:00",
        safety={
            "emotional_abuse": False,
            "controlling": True,
            "physical_aggression": False,
            "threats": False,
            "felt_unsafe": False,
        },
        region="GB",
    )
    assert "safety" in out.lower()
    status = person.status("2026-11-01T20:00")
    assert (status["track"], status["phase"]) == ("safety", "safety")
    assert status["no_contact"] is None
    assert status["next_step"]["code"] == "get_support"
    names = {r["name"] for r in status["resources"]}
    assert any("Refuge" in n or "Domestic Abuse" in n for n in names)
    assert all(r["region"] == "GB" and r["source"] for r in status["resources"])


def test_a_region_without_listed_lines_gets_the_international_ones(person: Person) -> None:
    person.start("2026-11-01T20:00", region="FR", timezone="Europe/Paris")
    resources = person.status("2026-11-01T20:00")["resources"]
    assert resources and {r["region"] for r in resources} == {"INTL"}


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"ended_on": "2027-05-01"}, "ended_on"),
        ({"last_contact_on": "2026-10-01", "ended_on": "2026-10-10"}, "last_contact_on"),
        ({"months_together": "lots"}, "months_together"),
        ({"region": "UK"}, "GB"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"favourite_song": "x"}, "favourite_song"),
        ({"ended_on": "2026-02-30"}, "2026-02-30"),
    ],
)
def test_wrong_answers_name_the_field_and_value(
    person: Person, overrides: dict[str, Any], named: str
) -> None:
    answers = json.loads(EXAMPLE.read_text())
    answers.update(overrides)
    path = person.tmp / "bad.json"
    path.write_text(json.dumps(answers))
    out = person.run("--now", "2026-11-01T20:00", "start", "--answers", str(path), code=2)
    assert named in out
    person.run("status", code=2)  # nothing was recorded


def test_a_broken_answers_file_is_a_clear_error(person: Person) -> None:
    path = person.tmp / "broken.json"
    path.write_text('{"months_together": 14,')
    out = person.run("start", "--answers", str(path), code=2)
    assert "not valid JSON" in out and "line 1" in out
    assert "no file" in person.run("start", "--answers", str(person.tmp / "nope.json"), code=2)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("log", "bogus"), "bogus"),
        (("log", "checkin", "--mood", "11", "--urge", "3"), "--mood"),
        (("log", "reply", "--tone", "lukewarm"), "lukewarm"),
        (("log", "signal", "--kind", "horoscope"), "horoscope"),
        (("log", "slip", "--at", "2027-01-01"), "future"),
        (("log", "slip", "--at", "2026-10-01"), "before the intake"),
        (("log", "slip", "--at", "yesterday"), "yesterday"),
        (("status", "--at", "2026-13-01"), "2026-13-01"),
        (("log", "journal", "--prompt", "nope", "--text", "x"), "nope"),
    ],
)
def test_bad_commands_name_the_problem_and_exit_2(person: Person, args: tuple[str, ...], named: str) -> None:
    person.start("2026-11-01T20:00")
    out = person.run("--now", "2026-11-02T10:00", *args, code=2)
    assert named in out


def test_commands_need_the_intake_first(person: Person) -> None:
    assert "olivebranch start" in person.run("status", code=2)
    assert "olivebranch start" in person.log("2026-11-01", "checkin", "--mood", "4", "--urge", "2", code=2)


def test_the_intake_is_not_silently_redone(person: Person) -> None:
    person.start("2026-11-01T20:00")
    out = person.run("--now", "2026-11-02T20:00", "start", "--answers", str(EXAMPLE), code=2)
    assert "--again" in out
    person.run("--now", "2026-11-02T20:00", "start", "--again", "--answers", str(EXAMPLE))


def test_the_interactive_intake_asks_safety_first(person: Person) -> None:
    answers = (
        "\n".join(
            [
                "n",
                "n",
                "n",
                "n",
                "n",  # the five safety questions
                "n",  # repeated betrayal
                "14",
                "2026-10-20",
                "2026-10-22",
                "n",
                "n",
                "them",
                "impulsive",
                "1,4",
                "mutual",
                "yes",
                "couples course booked",
                "0",
                "n",
                "n",
                "n",
                "n",
                "n",
                "n",
                "y",
                "she",
                "US",
                "America/New_York",
            ]
        )
        + "\n"
    )
    out = person.run("--now", "2026-11-01T20:00", "start", input=answers)
    assert out.index("education, not therapy") < out.index("afraid of them")
    status = person.status("2026-11-01T20:00")
    assert status["track"] == "reconcile"
    assert status["no_contact"]["planned_days"] == 30


def test_journal_prompts_move_through_the_self_assessment(person: Person) -> None:
    person.start("2026-11-01T20:00")
    person.run("--now", "2026-11-02T21:00", "journal", "--text", "we stopped talking about money")
    listing = person.run("journal", "--list")
    assert "we stopped talking about money" in listing and "what_ended_it" in listing
    status = person.status("2026-11-02T22:00")
    assert "Which of those patterns were yours" in status["next_step"]["text"]


def test_timeline_lists_milestones_and_writes_a_calendar(person: Person) -> None:
    person.start("2026-11-01T20:00", ended_on="2026-10-20", last_contact_on="2026-10-22")
    entries = json.loads(person.run("--now", "2026-11-02T10:00", "timeline", "--json"))
    codes = {e["code"]: e for e in entries}
    assert codes["no_contact_start"]["on"] == "2026-10-23"
    assert codes["readiness_check"]["on"] == "2026-11-21"
    assert codes["processing_window"]["on"] == "2026-12-08"
    assert codes["processing_window"]["until"] == "2027-01-04"
    ics = person.tmp / "plan.ics"
    person.run("--now", "2026-11-02T10:00", "timeline", "--ics", str(ics))
    text = ics.read_text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20261121" in text
    assert ics.stat().st_mode & 0o077 == 0


def test_export_import_round_trip_and_forget(person: Person, tmp_path: Path) -> None:
    person.start("2026-11-01T20:00")
    person.log("2026-11-02T21:00", "checkin", "--mood", "4", "--urge", "7", "--note", "rough 🌧️ night")
    person.log("2026-11-02T22:00", "urge", "--trigger", "2 a.m. scrolling")
    exported = tmp_path / "export.json"
    person.run("export", "--output", str(exported))
    before = person.status("2026-11-03T10:00")

    other = Person(tmp_path / "elsewhere")
    other.run("import", str(exported))
    assert other.status("2026-11-03T10:00") == before
    assert "rough 🌧️ night" in other.run("export")

    refused = other.run("import", str(exported), code=1)
    assert "error:" in refused
    assert other.status("2026-11-03T10:00") == before  # nothing doubled
    other.run("forget", "--yes")
    other.run("status", code=2)
    assert json.loads(other.run("export"))["events"] == []


def test_forget_asks_before_deleting(person: Person) -> None:
    person.start("2026-11-01T20:00")
    person.run("forget", input="n\n", code=2)  # no terminal: refuses without --yes
    person.status("2026-11-01T20:00")  # still there


def test_the_interactive_program_checks_in_and_pauses_an_urge(person: Person) -> None:
    person.start("2026-11-01T20:00")
    out = person.run("--now", "2026-11-02T23:50", input="1\n3\n8\n2\nthe playlist\nq\n")
    assert "Next step" in out  # the status opens the program
    assert "Breathe in" in out
    assert "Everything is saved" in out
    status = person.status("2026-11-02T23:55")
    assert status["last_checkin"] == {"on": "2026-11-02", "mood": 3, "urge": 8}
    exported = json.loads(person.run("export"))
    urges = [e for e in exported["events"] if e["kind"] == "urge"]
    assert urges[0]["data"]["trigger"] == "the playlist"


def test_asking_about_a_moment_before_the_intake_is_a_clear_error(person: Person) -> None:
    person.start("2026-11-01T20:00")
    out = person.run("--now", "2026-10-01T10:00", "status", code=2)
    assert "after the moment asked about" in out
    assert "after the moment" in person.run("status", "--at", "2026-10-01", code=2)
