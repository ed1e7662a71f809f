"""The command line: every capability of the program, for people and scripts.

Heavy modules (the store, Rich, icalendar) are imported only by the commands
that need them, so that ``olivebranch status`` starts quickly.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import typer

from olivebranch import config
from olivebranch.coach.tones import Tone
from olivebranch.program.events import Kind
from olivebranch.service import (
    Problem,
    Program,
    clean_text,
    journal_data,
    parse_moment,
    resources_for,
    system_zone,
)

if TYPE_CHECKING:
    from rich.console import Console

    from olivebranch.program.state import Status
    from olivebranch.store import Store

EXIT_USAGE = 2
EXIT_FAILURE = 1
ABOUT = (
    "Olive Branch is a private coach for the weeks after a breakup. It is education, not "
    "therapy, and not a substitute for a counsellor. It never sends a message for you: it helps "
    "you decide what, and whether, to send. Your answers stay on this computer."
)

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    add_completion=False,
    help="Olive Branch: a private, honest coach for the weeks after a breakup.",
    pretty_exceptions_enable=False,
)
log_app = typer.Typer(help="Record something that happened (add --at to date it).")
app.add_typer(log_app, name="log")


UsageProblem = Problem


class Session(Program):
    """What one command invocation needs: the moment, the data directory, the store."""

    def __init__(self, now: str | None, data_dir: Path | None) -> None:
        super().__init__()
        self.now_option = now
        self.data_dir_option = data_dir

    def open_store(self, create: bool) -> Store | None:
        from olivebranch.store import NoDatabase, open_store

        directory = config.data_dir(self.data_dir_option)
        try:
            store = open_store(config.database_url(directory), create=create)
        except NoDatabase:
            if create:
                raise
            return None
        if not self._unlock(store, required=create):
            store.close()
            return None  # a stateless command: it works without the person's (locked) data
        return store

    def _unlock(self, store: Store, required: bool) -> bool:
        """With a passphrase set, open the data key (from OLIVEBRANCH_PASSPHRASE, else asked)."""
        from olivebranch.service import PASSPHRASE_ENV, unlock_with_passphrase
        from olivebranch.store import vault

        if vault.key_for(self.person_id) is not None or store.person_key(self.person_id) is None:
            return True
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None and not required:
            return False
        if passphrase is None and sys.stdin.isatty():
            passphrase = typer.prompt("Passphrase", hide_input=True)
        if not passphrase:
            store.close()
            raise UsageProblem(
                f"your data is locked with a passphrase: run this in a terminal, or set {PASSPHRASE_ENV}"
            )
        try:
            unlock_with_passphrase(store, self.person_id, passphrase)
        except Problem:
            store.close()
            raise UsageProblem("that passphrase does not unlock your data") from None
        return True

    def now(self, tz: ZoneInfo | None = None) -> datetime:
        tz = tz or self.tz()
        if self.now_option is None:
            return datetime.now(tz)
        return parse_moment(self.now_option, "now", tz)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Show bad input and store problems as one plain line, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Problem as problem:
            where = f"--{problem.field.replace('_', '-')}: " if problem.field else ""
            console(stderr=True).print(f"error: {where}{problem.message}", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
        except Exception as problem:
            from olivebranch.store import StoreError

            if not isinstance(problem, StoreError):
                raise
            console(stderr=True).print(f"error: {problem}", markup=False)
            raise typer.Exit(EXIT_FAILURE) from None

    return wrapper


def session(ctx: typer.Context) -> Session:
    obj = ctx.find_root().obj
    assert isinstance(obj, Session)
    return obj


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Act as if it were this moment (ISO date or date-time; naive means local time).",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where the data lives (default: OLIVEBRANCH_DATA_DIR, else the user data directory).",
        ),
    ] = None,
) -> None:
    """Run with no command for the interactive program."""
    ctx.obj = Session(now, data_dir)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from olivebranch.interactive import home

        guarded(home)(ctx.obj)


# ---------------------------------------------------------------- intake


@app.command()
@guarded
def start(
    ctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="Answer the intake from a JSON file instead of prompts."),
    ] = None,
    again: Annotated[bool, typer.Option("--again", help="Redo the intake; your history is kept.")] = False,
) -> None:
    """The intake: safety questions, the relationship profile, the assessment and the plan."""
    s = session(ctx)
    existing = s.intake()
    if existing is not None and not again:
        raise UsageProblem(
            f"the intake was already done on {existing.at.date().isoformat()}; "
            "use 'olivebranch start --again' to answer it anew (your history is kept)"
        )
    if answers is not None:
        data = read_answers_file(answers)
    else:
        from olivebranch.interactive import ask_intake

        data = ask_intake(system_zone())
    record_intake(s, data)


def read_answers_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageProblem(f"--answers: no file at {path}") from None
    except OSError as err:
        raise UsageProblem(f"--answers: cannot read {path}: {err.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageProblem(f"--answers: {path} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise UsageProblem(
            f"--answers: {path} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    if not isinstance(data, dict):
        raise UsageProblem(f"--answers: {path} must hold a JSON object of answers")
    return data


def record_intake(s: Session, data: dict[str, Any]) -> None:
    recorded = s.start(data)
    from olivebranch import render

    if recorded.screened is not None:
        render.screened(console(), recorded.screened.result, recorded.screened.document)
    render.intake_summary(console(), recorded.after, resources_for(recorded.after))


# ---------------------------------------------------------------- status


def evaluate_now(s: Session, now: datetime) -> Status:
    return s.evaluate(now)


@app.command()
@guarded
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    at: Annotated[str | None, typer.Option("--at", help="Evaluate at this moment instead of now.")] = None,
) -> None:
    """Where you are: track, phase, day N of M, the next step, warnings and milestones."""
    s = session(ctx)
    s.require_intake()
    moment = parse_moment(at, "at", s.tz()) if at else s.now()
    result = evaluate_now(s, moment)
    help_ = resources_for(result)
    if as_json:
        from olivebranch.present import status_json

        print(json.dumps(status_json(result, help_), ensure_ascii=False, indent=2))
        return
    from olivebranch import render

    render.status(console(), result, help_)


# ---------------------------------------------------------------- log


class Went(StrEnum):
    good = "good"
    mixed = "mixed"
    bad = "bad"


class Outcome(StrEnum):
    reconcile = "reconcile"
    let_go = "let_go"


class ConversationOutcome(StrEnum):
    together = "together"
    not_yet = "not_yet"
    apart = "apart"


AtOption = Annotated[
    str | None, typer.Option("--at", help="When it happened (default: now). Naive is local time.")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A few words, for you.")]


def record(ctx: typer.Context, event_kind: Kind, at: str | None, **data: Any) -> Status:
    """Append one event after checking its moment, then say what it means."""
    s = session(ctx)
    s.require_intake()
    moment = parse_moment(at, "at", s.tz()) if at else None
    recorded = s.record(event_kind, moment, **data)
    from olivebranch import render

    render.logged(console(), event_kind, recorded.before, recorded.after)
    if recorded.screened is not None:
        render.screened(console(), recorded.screened.result, recorded.screened.document)
    return recorded.after


@log_app.command("checkin")
@guarded
def log_checkin(
    ctx: typer.Context,
    mood: Annotated[int, typer.Option("--mood", min=1, max=10, help="1 (very low) to 10.")],
    urge: Annotated[int, typer.Option("--urge", min=0, max=10, help="Urge to contact them, 0 to 10.")],
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """A daily check-in: mood and the urge to reach out."""
    record(ctx, Kind.CHECKIN, at, mood=mood, urge=urge, note=clean_text(note, "note"))


@log_app.command("urge")
@guarded
def log_urge(
    ctx: typer.Context,
    trigger: Annotated[
        str | None, typer.Option("--trigger", help="What set it off (a song, a place, 2 a.m.).")
    ] = None,
    strength: Annotated[int | None, typer.Option("--strength", min=0, max=10)] = None,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """An urge to contact them that you noticed (and rode out)."""
    record(
        ctx,
        Kind.URGE,
        at,
        trigger=clean_text(trigger, "trigger"),
        strength=strength,
        note=clean_text(note, "note"),
    )


@log_app.command("slip")
@guarded
def log_slip(
    ctx: typer.Context,
    trigger: Annotated[str | None, typer.Option("--trigger", help="What led to it.")] = None,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """You contacted them during no contact: the count restarts, kindly."""
    record(ctx, Kind.SLIP, at, trigger=clean_text(trigger, "trigger"), note=clean_text(note, "note"))


@log_app.command("readiness")
@guarded
def log_readiness(
    ctx: typer.Context,
    passed: Annotated[
        bool, typer.Option("--passed", help="Record every question answered yes, without prompts.")
    ] = False,
    at: AtOption = None,
) -> None:
    """The readiness check at the end of no contact."""
    from olivebranch.program.readiness import NO_CONTACT_READINESS

    answers = ask_check(NO_CONTACT_READINESS, passed)
    record(ctx, Kind.READINESS, at, answers=answers, passed=all(answers.values()))


@log_app.command("reassessment")
@guarded
def log_reassessment(
    ctx: typer.Context,
    outcome: Annotated[
        Outcome | None,
        typer.Option("--outcome", help="Skip the questions and record this outcome."),
    ] = None,
    at: AtOption = None,
) -> None:
    """The short re-assessment that ends the unclear track's healing period."""
    from olivebranch.program.readiness import REASSESSMENT, evaluate_check

    if outcome is None:
        answers = ask_check(REASSESSMENT, False)
        chosen = "reconcile" if evaluate_check(REASSESSMENT, answers).passed else "let_go"
        record(ctx, Kind.REASSESSMENT, at, answers=answers, outcome=chosen)
    else:
        record(ctx, Kind.REASSESSMENT, at, outcome=outcome.value)


@log_app.command("sent")
@guarded
def log_sent(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="What you sent.")] = None,
    logistics: Annotated[
        bool, typer.Option("--logistics", help="Purely practical: belongings, bills, children.")
    ] = False,
    answering: Annotated[
        bool, typer.Option("--answering", help="An answer to a message they sent first.")
    ] = False,
    at: AtOption = None,
) -> None:
    """A message you sent them."""
    record(
        ctx,
        Kind.SENT,
        at,
        text=clean_text(text, "text"),
        logistics=logistics,
        answering=answering,
    )


@log_app.command("reply")
@guarded
def log_reply(
    ctx: typer.Context,
    tone: Annotated[
        Tone | None,
        typer.Option("--tone", help="How the reply felt (default: read from --text, and asked to confirm)."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="What they wrote.")] = None,
    no_contact_requested: Annotated[
        bool,
        typer.Option("--no-contact-requested", help="They asked you not to contact them."),
    ] = False,
    at: AtOption = None,
) -> None:
    """Their reply to your message."""
    body = clean_text(text, "text")
    read_by = "you"
    if tone is None:
        if body is None:
            raise UsageProblem("give --tone, or --text so the reply can be read for you")
        reading = read_reply_or_fail(body)
        chosen = Tone(reading.tone.value)
        no_contact_requested = no_contact_requested or reading.no_contact_requested
        console().print(
            f"Read as [bold]{chosen.value}[/bold]"
            + (", and they asked not to be contacted" if reading.no_contact_requested else "")
            + "."
        )
        if sys.stdin.isatty():
            answer = (
                typer.prompt(
                    "Is that right? Press Enter to keep it, or type warm, neutral, brief, cool or hostile",
                    default=chosen.value,
                    show_default=False,
                )
                .strip()
                .lower()
            )
            if answer not in {t.value for t in Tone}:
                raise UsageProblem(f"--tone: {answer!r} is not a tone")
            read_by = "reader" if answer == chosen.value else "you"
            chosen = Tone(answer)
            if reading.no_contact_requested:
                no_contact_requested = typer.confirm(
                    "They asked not to be contacted: is that right?", default=True
                )
        else:
            read_by = "reader"
            console().print("If that's wrong, log it again with --tone.")
        tone = chosen
    record(
        ctx,
        Kind.REPLY,
        at,
        tone=tone.value,
        text=body,
        no_contact_requested=no_contact_requested,
        tone_read_by=read_by if read_by == "reader" else None,
    )


def read_reply_or_fail(text: str) -> Any:
    from olivebranch.coach.reply import default_reader

    reader = default_reader()
    if reader is None:
        raise UsageProblem("the reply reader's model is missing; give --tone")
    return reader(text)


@log_app.command("ex_contact")
@guarded
def log_ex_contact(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="What they wrote.")] = None,
    logistics: Annotated[bool, typer.Option("--logistics", help="Purely practical.")] = False,
    tone: Annotated[Tone | None, typer.Option("--tone")] = None,
    at: AtOption = None,
) -> None:
    """They reached out first."""
    record(
        ctx,
        Kind.EX_CONTACT,
        at,
        text=clean_text(text, "text"),
        logistics=logistics,
        tone=tone.value if tone else None,
    )


def _signal_kinds() -> list[str]:
    from olivebranch.program.signals import SIGNAL_KINDS

    return list(SIGNAL_KINDS)


@log_app.command("signal")
@guarded
def log_signal(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="unsolicited_contact, asked_about_you, old_content, shared_memory, "
            "significant_moment, story_view, like, brief_reply or other.",
        ),
    ],
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """Something they did that might mean something (facts, not interpretation)."""
    if kind not in _signal_kinds():
        raise UsageProblem(f"--kind: {kind!r} is not a signal kind; use one of {', '.join(_signal_kinds())}")
    record(ctx, Kind.SIGNAL, at, kind=kind, note=clean_text(note, "note"))


@log_app.command("meeting")
@guarded
def log_meeting(
    ctx: typer.Context,
    went: Annotated[Went, typer.Option("--went", help="How it went.")],
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """You met in person."""
    record(ctx, Kind.MEETING, at, went=went.value, note=clean_text(note, "note"))


@log_app.command("conversation_readiness")
@guarded
def log_conversation_readiness(
    ctx: typer.Context,
    passed: Annotated[bool, typer.Option("--passed")] = False,
    at: AtOption = None,
) -> None:
    """The short checklist before the honest conversation."""
    from olivebranch.program.readiness import CONVERSATION_READINESS

    answers = ask_check(CONVERSATION_READINESS, passed)
    record(ctx, Kind.CONVERSATION_READINESS, at, answers=answers, passed=all(answers.values()))


@log_app.command("conversation")
@guarded
def log_conversation(
    ctx: typer.Context,
    outcome: Annotated[ConversationOutcome, typer.Option("--outcome")],
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """How the honest conversation ended."""
    record(ctx, Kind.CONVERSATION, at, outcome=outcome.value, note=clean_text(note, "note"))


@log_app.command("journal")
@guarded
def log_journal(
    ctx: typer.Context,
    text: Annotated[str, typer.Option("--text", help="The entry.")],
    prompt: Annotated[str, typer.Option("--prompt", help="Which prompt it answers.")] = "free",
    at: AtOption = None,
) -> None:
    """A journal entry."""
    record(ctx, Kind.JOURNAL, at, **journal_data(prompt, text))


class Review(StrEnum):
    misread = "misread"
    confirmed = "confirmed"


@log_app.command("screen_review")
@guarded
def log_screen_review(
    ctx: typer.Context,
    outcome: Annotated[Review, typer.Option("--outcome", help="misread: the screen got it wrong.")],
    at: AtOption = None,
) -> None:
    """Your review of what the safety screen flagged (misread withdraws its abuse flags)."""
    record(ctx, Kind.SCREEN_REVIEW, at, outcome=outcome.value)


@log_app.command("harassment_stopped")
@guarded
def log_harassment_stopped(ctx: typer.Context, note: NoteOption = None, at: AtOption = None) -> None:
    """You confirm that the watching or contacting the screen named has stopped."""
    record(ctx, Kind.HARASSMENT_STOPPED, at, note=clean_text(note, "note"))


# Kinds that carry only an optional note: one shared command shape.
NOTE_ONLY_KINDS = {
    Kind.SOCIAL_CHECK: "You looked at their social media.",
    Kind.FRIEND_NEWS: "You asked a friend for news about them.",
    Kind.FRIEND_MESSAGE: "You asked a friend to pass something on to them.",
    Kind.CALL: "You called them.",
    Kind.VISIT: "You went to see them without an arrangement.",
    Kind.GESTURE: "A grand gesture: flowers at the door, a long letter, a public declaration.",
    Kind.EX_NEW_PARTNER: "You learned they are seeing someone new.",
    Kind.LET_GO: "You have decided to let go and move on.",
    Kind.SAFETY_CONCERN: "Something about them makes you feel unsafe: the program switches to support.",
}


def _note_only_command(kind: Kind, summary: str) -> None:
    def command(ctx: typer.Context, note: NoteOption = None, at: AtOption = None) -> None:
        record(ctx, kind, at, note=clean_text(note, "note"))

    command.__doc__ = summary
    log_app.command(kind.value)(guarded(command))


for _kind, _summary in NOTE_ONLY_KINDS.items():
    _note_only_command(_kind, _summary)


def ask_check(questions: dict[str, str], passed: bool) -> dict[str, bool]:
    if passed:
        return dict.fromkeys(questions, True)
    if not sys.stdin.isatty() and os.environ.get("OLIVEBRANCH_FORCE_PROMPTS") != "1":
        raise UsageProblem("this check asks questions; run it in a terminal, or pass --passed")
    return {key: typer.confirm(text, default=False) for key, text in questions.items()}


# ---------------------------------------------------------------- journal, timeline


@app.command()
@guarded
def journal(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="Write the entry without prompts.")] = None,
    prompt: Annotated[str | None, typer.Option("--prompt", help="Which prompt to answer.")] = None,
    show: Annotated[bool, typer.Option("--list", help="Show your entries.")] = False,
) -> None:
    """The journal: the self-assessment prompts, and your entries."""
    from olivebranch import render
    from olivebranch.program.journal import PROMPTS, next_prompt

    s = session(ctx)
    s.require_intake()
    entries = [e for e in s.events() if e.kind is Kind.JOURNAL]
    if show:
        render.journal_entries(console(), entries, s.tz())
        return
    key = prompt or next_prompt(str(e.data.get("prompt")) for e in entries)
    if key not in PROMPTS:
        raise UsageProblem(f"--prompt: {key!r} is not a prompt; use one of {', '.join(PROMPTS)}")
    if text is None:
        out = console()
        out.print(PROMPTS[key])
        text = typer.prompt("Your entry", default="", show_default=False)
        if not text.strip():
            out.print("Nothing written; that's fine. The prompt will be here later.")
            return
    record(ctx, Kind.JOURNAL, None, **journal_data(key, text))


@app.command()
@guarded
def timeline(
    ctx: typer.Context,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write the milestones to this calendar file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Milestones of the plan and of your history, by date."""
    from olivebranch.program.timeline import timeline as build

    s = session(ctx)
    now = s.now()
    entries = build(evaluate_now(s, now), s.events())
    if ics is not None:
        from olivebranch.calendar import milestones_ics

        write_private(ics, milestones_ics(entries, now), "--ics")
        console().print(f"Wrote the milestones to {ics}.")
        return
    if as_json:
        from olivebranch.present import timeline_json

        print(json.dumps(timeline_json(entries), ensure_ascii=False, indent=2))
        return
    from olivebranch import render

    render.timeline(console(), entries)


def write_private(path: Path, data: bytes, field: str) -> None:
    """Write a file only its owner can read (it holds personal history)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as err:
        raise UsageProblem(f"{field}: cannot write {path}: {err.strerror}") from None


# ---------------------------------------------------------------- check


@app.command("check")
@guarded
def check_(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="The draft to check.")] = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            help="no_contact, first_contact, follow_up, rebuilding, conversation or answering "
            "(default: your current phase).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract's JSON.")] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='Check many: a file of {"id","stage","text"} lines, or - for stdin.'),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Which region's crisis lines to show (e.g. GB).")
    ] = None,
) -> None:
    """Read a draft before you send it: what in it may push them away, and why."""
    from olivebranch import checking
    from olivebranch.coach.stages import parse_stage

    s = session(ctx)
    chosen = None
    if stage is not None:
        chosen = parse_stage(stage)
        if chosen is None:
            raise UsageProblem(f"--stage: unknown stage {stage!r}; use one of {checking.STAGE_NAMES}")
    region_code = _region_option(region)
    if jsonl is not None:
        if text is not None:
            raise UsageProblem("give either a TEXT or --jsonl, not both")
        failures = checking.check_batch(s, _jsonl_source(jsonl), chosen, region_code, sys.stdout)
        if failures:
            raise typer.Exit(EXIT_FAILURE)
        return
    if text is None:
        raise UsageProblem("give the draft to check as TEXT, or --jsonl FILE")
    from olivebranch.contract import text_problem

    problem = text_problem(text)
    if problem is not None:
        raise UsageProblem(problem)
    try:
        chosen = chosen or checking.stage_from_phase(s)
    except checking.NoStage as reason:
        raise UsageProblem(str(reason)) from None
    result = checking.check_text(text, chosen)
    lines = checking.resources(s, region_code, result.crisis)
    if as_json:
        print(json.dumps(checking.result_json(None, result, lines), ensure_ascii=False, indent=2))
        return
    from olivebranch import render

    render.check_result(console(), result, lines)


@app.command("reply")
@guarded
def reply_(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Their reply.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract's JSON.")] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='Read many: a file of {"id","text"} lines, or - for stdin.'),
    ] = None,
) -> None:
    """Read their reply: its tone, whether they asked for no contact, and the next step."""
    from olivebranch.contract import text_problem

    if jsonl is not None:
        if text is not None:
            raise UsageProblem("give either a TEXT or --jsonl, not both")
        batch(jsonl, lambda ident, body: reply_json(ident, read_reply_or_fail(body)))
        return
    if text is None:
        raise UsageProblem("give their reply as TEXT, or --jsonl FILE")
    problem = text_problem(text)
    if problem is not None:
        raise UsageProblem(problem)
    reading = read_reply_or_fail(text)
    if as_json:
        print(json.dumps(reply_json(None, reading), ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(f"Tone: [bold]{reading.tone.value}[/bold]")
    if reading.no_contact_requested:
        out.print("[bold]They asked not to be contacted.[/bold]")
    if reading.logistics:
        out.print("A practical reply.")
    out.print(f"Next step: {reading.next_step.text}")


@app.command("screen")
@guarded
def screen_(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Any text: a story, a journal entry, a draft.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract's JSON.")] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='Screen many: a file of {"id","text"} lines, or - for stdin.'),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Which region's support lines to show (e.g. GB).")
    ] = None,
) -> None:
    """Screen a text for abuse, crisis and harassment risk, with the right help for the region."""
    from olivebranch.contract import text_problem
    from olivebranch.safety_screen import screen_json, screen_text

    s = session(ctx)
    region_code = _region_option(region) or s.region_if_any()
    if jsonl is not None:
        if text is not None:
            raise UsageProblem("give either a TEXT or --jsonl, not both")
        batch(jsonl, lambda ident, body: screen_json(ident, screen_text(body), region_code))
        return
    if text is None:
        raise UsageProblem("give the text to screen as TEXT, or --jsonl FILE")
    problem = text_problem(text)
    if problem is not None:
        raise UsageProblem(problem)
    result = screen_text(text)
    document = screen_json(None, result, region_code)
    if as_json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    from olivebranch import render
    from olivebranch.safety.resources import help_for_flags, load

    # Nothing found still leaves a crisis line in view: the screen misses some of what words leave
    # unsaid, and someone screening their own words at night may need it anyway.
    lines = [] if result.flags else help_for_flags(load(), ["crisis"], region_code, False)
    render.screen_result(console(), result, document, lines[0] if lines else None)


def batch(source: str, answer: Callable[[Any, str], dict[str, Any]]) -> None:
    """One JSON object out per {"id", "text"} line in, in order; bad lines say why."""
    from olivebranch.contract import BadLine, read_lines

    failures = 0
    for item in read_lines(_jsonl_source(source), required=("id", "text")):
        if isinstance(item, BadLine):
            failures += 1
            print(json.dumps(item.as_json(), ensure_ascii=False))
            print(item.as_json()["error"], file=sys.stderr)
            continue
        print(json.dumps(answer(item.id, item.fields["text"]), ensure_ascii=False))
    if failures:
        raise typer.Exit(EXIT_FAILURE)


def reply_json(ident: Any, reading: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "tone": reading.tone.value,
        "no_contact_requested": reading.no_contact_requested,
        "logistics": reading.logistics,
        "next_step": {"code": reading.next_step.code, "text": reading.next_step.text},
    }


def _region_option(value: str | None) -> str | None:
    if value is None:
        return None
    from olivebranch.safety.resources import load, regions

    code = value.strip().upper()
    known = regions(load())
    if code == "UK":
        raise UsageProblem("--region: use GB for the United Kingdom (ISO 3166-1)")
    from olivebranch.program.regions import is_region_code

    if code not in known and not is_region_code(code):
        raise UsageProblem(f"--region: {value!r} is not an ISO 3166-1 alpha-2 code or INTL")
    return code


def _jsonl_source(name: str) -> list[bytes]:
    if name == "-":
        return sys.stdin.buffer.read().split(b"\n")
    try:
        with open(name, "rb") as handle:
            return handle.read().split(b"\n")
    except FileNotFoundError:
        raise UsageProblem(f"--jsonl: no file at {name}") from None
    except OSError as err:
        raise UsageProblem(f"--jsonl: cannot read {name}: {err.strerror}") from None


# ---------------------------------------------------------------- export, import, forget


@app.command("export")
@guarded
def export_(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Your whole history as JSON."""
    s = session(ctx)
    document = s.store().export(exported_at=s.now())
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    if output is None:
        sys.stdout.buffer.write(data)
        return
    write_private(output, data, "--output")
    console(stderr=True).print(f"Exported {len(document['events'])} events to {output}.")


@app.command("import")
@guarded
def import_(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A file written by 'olivebranch export'.")],
) -> None:
    """Bring back a history written by export (into an empty store)."""
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageProblem(f"no file at {source}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageProblem(f"{source} is not a JSON export: {err}") from None
    count = session(ctx).store().import_(document)
    console().print(f"Imported {count} events.")


@app.command()
@guarded
def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")] = False,
) -> None:
    """Delete everything: your answers and your whole history."""
    s = session(ctx)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageProblem("forget deletes everything; confirm with --yes")
        if not typer.confirm("Delete your answers and your whole history? This cannot be undone"):
            console().print("Nothing was deleted.")
            return
    count = s.store().forget()
    console().print(f"Deleted {count} events. Nothing of yours is left in the store.")


@app.command()
@guarded
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """A copy of the whole database, taken safely even while the app runs (SQLite; PostgreSQL: pg_dump)."""
    from olivebranch.store.backup import backup as write_backup

    s = session(ctx)
    done = write_backup(config.database_url(config.data_dir(s.data_dir_option)), target, force=force)
    console(stderr=True).print(
        f"Backed up {done.events} events to {done.path} (readable only by you).", markup=False
    )


@app.command()
@guarded
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by 'olivebranch backup'.")],
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")] = False,
) -> None:
    """Replace the database with a backup, after checking it (stop the server first)."""
    from olivebranch.store.backup import PG_RESTORE, Copied, sqlite_file
    from olivebranch.store.backup import restore as restore_backup

    s = session(ctx)
    url = config.database_url(config.data_dir(s.data_dir_option))
    database = sqlite_file(url, PG_RESTORE)

    def confirm(found: Copied) -> bool:
        if yes or not database.exists():
            return True
        if not sys.stdin.isatty():
            raise UsageProblem("restore replaces the current database; confirm with --yes")
        return typer.confirm(f"Replace the current database with this backup of {found.events} events?")

    done = restore_backup(url, source, confirm)
    if done is None:
        console().print("Nothing was restored.")
        return
    console().print(f"Restored {done.events} events into {done.path}.", markup=False)


# ---------------------------------------------------------------- the guide


@app.command()
@guarded
def guide(
    ctx: typer.Context,
    page_id: Annotated[str | None, typer.Argument(metavar="ID", help="The page to read.")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Whose support lines to show in the page (e.g. GB).")
    ] = None,
) -> None:
    """The guidance library: the list of pages, or one page by its id."""
    from olivebranch.guide.library import page, pages

    if page_id is None:
        from olivebranch import render

        render.guide_list(console(), pages())
        return
    found = page(page_id)
    if found is None:
        raise UsageProblem(f"ID: no guide page {page_id!r}; 'olivebranch guide' lists them")
    code = _region_option(region) or session(ctx).region_if_any()
    from olivebranch import render

    render.guide_page(console(), found, code)


# ---------------------------------------------------------------- the passphrase

passphrase_app = typer.Typer(help="Lock what you write with a passphrase (encrypted at rest).")
app.add_typer(passphrase_app, name="passphrase")


def _new_passphrase() -> str:
    from olivebranch.service import NEW_PASSPHRASE_ENV

    given = os.environ.get(NEW_PASSPHRASE_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UsageProblem(f"run this in a terminal, or give the new passphrase in {NEW_PASSPHRASE_ENV}")
    first = typer.prompt("New passphrase", hide_input=True)
    if typer.prompt("The same again", hide_input=True) != first:
        raise UsageProblem("the two passphrases differ; nothing was changed")
    return str(first)


@passphrase_app.command("set")
@guarded
def passphrase_set(ctx: typer.Context) -> None:
    """Set or change the passphrase: everything you wrote is re-encrypted under a new key."""
    from olivebranch.service import PASSPHRASE_ENV, set_passphrase

    s = session(ctx)
    store = s.store()
    new = _new_passphrase()
    count = set_passphrase(store, s.person_id, new, os.environ.get(PASSPHRASE_ENV))
    console().print(
        f"Locked: {count} events are encrypted under your passphrase. If you forget it, what you wrote "
        "cannot be recovered; 'olivebranch export' now and then keeps a copy you control."
    )


@passphrase_app.command("remove")
@guarded
def passphrase_remove(ctx: typer.Context) -> None:
    """Remove the passphrase: your text is stored unencrypted again (the file stays owner-only)."""
    from olivebranch.service import PASSPHRASE_ENV, set_passphrase

    s = session(ctx)
    count = set_passphrase(s.store(), s.person_id, None, os.environ.get(PASSPHRASE_ENV))
    console().print(f"Unlocked: {count} events are stored without a passphrase again.")


# ---------------------------------------------------------------- the web app


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="How many worker processes serve requests.")
    ] = 1,
    hosted: Annotated[
        bool,
        typer.Option(
            "--hosted", help="Hosted mode: accounts, sign-in and the JSON API (or OLIVEBRANCH_HOSTED=1)."
        ),
    ] = False,
    no_migrate: Annotated[
        bool, typer.Option("--no-migrate", help="Refuse to start if the database needs migrating.")
    ] = False,
) -> None:
    """The web app: the whole program in your browser, served from this computer."""
    s = session(ctx)
    if s.now_option is not None:
        console(stderr=True).print("error: --now does not apply to serve", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if hosted:
        os.environ["OLIVEBRANCH_HOSTED"] = "1"  # the workers read their settings from the environment
    import uvicorn

    from olivebranch.hosted.settings import ConfigError
    from olivebranch.store import StoreError
    from olivebranch.web.app import create_app

    try:
        web = create_app(s.data_dir_option, migrate=not no_migrate)
    except ConfigError as problem:
        for line in problem.problems:
            console(stderr=True).print(f"error: {line}", markup=False)
        raise typer.Exit(EXIT_FAILURE) from None
    except (StoreError, RuntimeError) as problem:
        console(stderr=True).print(f"error: {problem}", markup=False)
        raise typer.Exit(EXIT_FAILURE) from None
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except (OSError, OverflowError) as err:
        listener.close()
        reason = getattr(err, "strerror", None) or str(err)
        console(stderr=True).print(
            f"error: --host/--port: cannot listen on {host}:{port}: {reason}", markup=False
        )
        raise typer.Exit(EXIT_FAILURE) from None
    shown = f"[{host}]" if ":" in host else host
    console().print(f"Olive Branch is running at http://{shown}:{port}/ (press Ctrl+C to stop)")
    # Forwarded headers are believed only from OLIVEBRANCH_TRUSTED_PROXIES (the app's own middleware).
    settings: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
    }
    if workers == 1:
        uvicorn.Server(uvicorn.Config(web, **settings)).run(sockets=[listener])
        return
    # Each worker builds its own app from the environment; this one only checked (and migrated) the store.
    listener.set_inheritable(True)
    web.state.store.close()
    if s.data_dir_option is not None:
        os.environ[config.DATA_DIR_ENV] = str(s.data_dir_option.expanduser().absolute())
    from uvicorn.supervisors import Multiprocess

    factory = uvicorn.Config("olivebranch.web.app:app_from_env", factory=True, workers=workers, **settings)
    Multiprocess(factory, sockets=[listener]).run()


@app.command()
@guarded
def migrate(ctx: typer.Context) -> None:
    """Apply pending database migrations (serve does this at start unless --no-migrate)."""
    from olivebranch.store import HEAD_REVISION, open_store

    s = session(ctx)
    store = open_store(config.database_url(config.data_dir(s.data_dir_option)))
    store.close()
    console().print(f"The database is at the current version ({HEAD_REVISION}).")


# ---------------------------------------------------------------- entry point


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
