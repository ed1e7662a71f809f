"""The interactive terminal program: the intake's questions and a small home menu."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from olivebranch.program.profile import (
    CAUSE_CAN_CHANGE,
    ENDED_BY,
    HOW_IT_ENDED,
    MUTUAL_INVESTMENT,
    PRONOUNS,
    SAFETY_QUESTIONS,
    Reason,
)
from olivebranch.service import system_zone

if TYPE_CHECKING:
    from olivebranch.cli import Session

REASON_CHOICES = [r.value for r in Reason]


def ask_intake(default_zone: ZoneInfo) -> dict[str, Any]:
    """Every intake question, safety first; returns answers in the answers-file format."""
    from olivebranch.cli import ABOUT

    out = Console(highlight=False)
    out.print(ABOUT)
    out.print()
    out.print(
        "First, a few questions about safety. Answer honestly; there is no wrong answer, "
        "and nothing leaves this computer."
    )
    answers: dict[str, Any] = {"safety": {}}
    for key, question in SAFETY_QUESTIONS.items():
        answers["safety"][key] = typer.confirm(question, default=False)
    answers["repeated_betrayal"] = typer.confirm(
        "Did they betray your trust again and again without taking responsibility?", default=False
    )
    out.print()
    out.print("Now the relationship itself.")
    answers["months_together"] = _number("How many months were you together?")
    answers["ended_on"] = _day("When did it end? (YYYY-MM-DD)")
    answers["last_contact_on"] = _day("When were you last in contact? (YYYY-MM-DD)")
    answers["breakup_messy"] = typer.confirm("Was the breakup messy?", default=False)
    answers["anxious_contact_since"] = typer.confirm(
        "Since the split, have you texted or called a lot, anxiously?", default=False
    )
    safety_track = any(answers["safety"].values())
    if not safety_track:
        answers["ended_by"] = _choice("Who ended it?", ENDED_BY)
        answers["how_it_ended"] = _choice(
            "Did it end suddenly in one conflict (impulsive) or slowly (gradual)?", HOW_IT_ENDED
        )
        answers["reasons"] = _reasons()
        answers["mutual_investment"] = _choice("Was the love mutual?", MUTUAL_INVESTMENT)
        answers["cause_can_change"] = _choice(
            "Can what ended it really change (not promised: changeable)?", CAUSE_CAN_CHANGE
        )
        answers["change_steps"] = typer.prompt(
            "What has anyone done about it so far, concretely? (leave empty if nothing)",
            default="",
            show_default=False,
        )
        answers["on_off_cycles"] = int(
            typer.prompt("How many times have you broken up and got back together before?", default=0)
        )
        answers["disrespect_unchanged"] = typer.confirm(
            "Was there disrespect that didn't change even after you talked about it?", default=False
        )
        answers["wellbeing_compromised"] = typer.confirm(
            "Was your own wellbeing worn down again and again?", default=False
        )
        answers["married"] = typer.confirm("Are you married?", default=False)
        answers["living_together"] = typer.confirm("Did you live together?", default=False)
        answers["children"] = typer.confirm("Do you share children?", default=False)
        answers["shared_work"] = typer.confirm("Do you work together?", default=False)
        answers["mutual_friends"] = typer.confirm("Do you share a circle of friends?", default=False)
    answers["ex_pronouns"] = _choice("Which pronouns should I use for them?", PRONOUNS, "they")
    answers["region"] = (
        typer.prompt("Which country are you in? (two letters, like US, GB, IE, CA, AU, NZ)").strip().upper()
    )
    answers["timezone"] = typer.prompt("Your time zone", default=str(default_zone.key))
    return answers


def _number(question: str) -> float:
    while True:
        raw = typer.prompt(question)
        try:
            value = float(raw)
        except ValueError:
            typer.echo(f"'{raw}' is not a number; try again.")
            continue
        return int(value) if value.is_integer() else value


def _day(question: str) -> str:
    while True:
        raw = typer.prompt(question).strip()
        try:
            date.fromisoformat(raw)
        except ValueError:
            typer.echo(f"'{raw}' is not a date like 2026-10-31; try again.")
            continue
        return str(raw)


def _choice(question: str, options: tuple[str, ...], default: str | None = None) -> str:
    hint = "/".join(options)
    while True:
        raw = typer.prompt(f"{question} [{hint}]", default=default or options[-1]).strip().lower()
        if raw in options:
            return str(raw)
        typer.echo(f"Please answer one of: {', '.join(options)}.")


def _reasons() -> list[str]:
    typer.echo("Why did it end? Pick any that fit, separated by commas:")
    for i, reason in enumerate(REASON_CHOICES, 1):
        typer.echo(f"  {i}. {reason.replace('_', ' ')}")
    while True:
        raw = typer.prompt("Numbers", default="")
        picked: list[str] = []
        try:
            for part in filter(None, (p.strip() for p in raw.split(","))):
                picked.append(REASON_CHOICES[int(part) - 1])
        except (ValueError, IndexError):
            typer.echo("Use the numbers from the list, like 1,4.")
            continue
        return picked


MENU = (
    ("1", "Check in (mood and urge)"),
    ("2", "I want to contact them right now"),
    ("3", "Write in the journal"),
    ("4", "See the timeline"),
    ("5", "Show my status again"),
    ("q", "Quit"),
)


def home(session: Session) -> None:
    """The interactive program: the intake if needed, then status and a small menu."""
    from olivebranch import cli

    out = Console(highlight=False)
    if session.intake() is None:
        cli.record_intake(session, ask_intake(system_zone()))
    else:
        _show_status(session, out)
    while True:
        out.print()
        for key, label in MENU:
            out.print(f"  [{key}] {label}", markup=False)
        choice = typer.prompt("Choose", default="q").strip().lower()
        if choice == "q":
            out.print("Take care of yourself. Everything is saved.")
            return
        if choice == "1":
            mood = typer.prompt("Mood, 1 (very low) to 10", type=int)
            urge = typer.prompt("Urge to contact them, 0 to 10", type=int)
            _log(session, "checkin", "--mood", str(mood), "--urge", str(urge))
        elif choice == "2":
            _urge_pause(session, out)
        elif choice == "3":
            _run(session, "journal")
        elif choice == "4":
            _run(session, "timeline")
        elif choice == "5":
            _show_status(session, out)


def _urge_pause(session: Session, out: Console) -> None:
    out.print(
        "Pause here for a few minutes before doing anything. Breathe in for four counts, hold "
        "for four, out for six. Name five things you can see. The urge will rise and then fall; "
        "it always does."
    )
    trigger = typer.prompt("What set it off? (optional)", default="", show_default=False)
    args = ["urge"] + (["--trigger", trigger] if trigger.strip() else [])
    _log(session, *args)


def _show_status(session: Session, out: Console) -> None:
    _run(session, "status")


def _log(session: Session, *args: str) -> None:
    _run(session, "log", *args)


def _run(session: Session, *args: str) -> None:
    from olivebranch import cli

    base: list[str] = []
    if session.now_option:
        base += ["--now", session.now_option]
    if session.data_dir_option:
        base += ["--data-dir", str(session.data_dir_option)]
    try:
        cli.app([*base, *args], standalone_mode=False)
    except cli.UsageProblem as problem:
        typer.echo(f"error: {problem}", err=True)
    except Exception as problem:  # a typer usage error inside the menu: show, keep going
        typer.echo(f"error: {problem}", err=True)
