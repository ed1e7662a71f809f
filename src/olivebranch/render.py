"""Calm terminal output with Rich. Every text a person reads comes from the engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from olivebranch.coach.checker import CheckResult
from olivebranch.guide.library import Page
from olivebranch.program.events import Event, Kind
from olivebranch.program.state import Phase, Status
from olivebranch.program.timeline import Entry
from olivebranch.safety.resources import RegionHelp, Resource
from olivebranch.safety.screen import ScreenResult

PHASE_NAMES = {
    Phase.NO_CONTACT: "No contact, and working on yourself",
    Phase.FIRST_CONTACT: "First contact",
    Phase.REBUILDING: "Rebuilding, slowly",
    Phase.CONVERSATION: "The honest conversation",
    Phase.MOVING_ON: "Moving on",
    Phase.SAFETY: "Safety and support",
}
TRACK_NAMES = {
    "reconcile": "Reconnecting, if it's right",
    "unclear": "Unclear: healing first, with a therapist's help",
    "let_go": "Letting go",
    "safety": "Safety first",
}
EFFECT_MARKS = {
    "helps": "+",
    "neutral": "·",
    "harder": "-",
    "let_go_sign": "!",
    "decisive": "!!",
}


def intake_summary(out: Console, status: Status, help_: RegionHelp) -> None:
    a = status.assessment
    out.print(Panel(escape(a.headline), title="What your answers say", expand=False))
    for factor in a.factors:
        out.print(f" {EFFECT_MARKS[factor.effect.value]:>2}  {escape(factor.text)}")
    out.print()
    for reason in a.reasons:
        out.print(escape(reason))
    nc = status.no_contact
    if nc is not None:
        out.print()
        out.print(
            f"[bold]Your no-contact plan: {nc.planned_days} days[/bold], day 1 is "
            f"{nc.started_on.isoformat()}."
        )
        for reason in nc.reasons:
            out.print(f"  {escape(reason)}")
    out.print()
    status_body(out, status, help_)


def status(out: Console, status: Status, help_: RegionHelp) -> None:
    status_body(out, status, help_)


def status_body(out: Console, status: Status, help_: RegionHelp) -> None:
    lines = [f"[bold]{escape(PHASE_NAMES[status.phase])}[/bold]  ({TRACK_NAMES[status.track.value]})"]
    nc = status.no_contact
    if nc is not None and status.phase is Phase.NO_CONTACT:
        if nc.day < nc.planned_days:
            lines.append(f"Day {nc.day} of {nc.planned_days} without contact.")
        else:
            lines.append(f"All {nc.planned_days} planned days done (day {nc.day} without contact).")
    lines.append("")
    lines.append(f"[bold]Next step:[/bold] {escape(status.next_step.text)}")
    out.print(Panel("\n".join(lines), expand=False))
    if status.warnings:
        out.print("[bold]Worth stopping for[/bold]")
        for warning in status.warnings:
            out.print(f"  • {escape(warning.text)}")
    if status.notes:
        out.print("[bold]Noticed[/bold]")
        for note in status.notes:
            out.print(f"  • {escape(note.text)}")
    if status.scenarios:
        out.print("[bold]For your situation[/bold]")
        for item in status.scenarios:
            out.print(f"  • {escape(item.text)}")
    upcoming = [m for m in status.milestones if not m.reached][:3]
    if upcoming:
        out.print("[bold]Coming up[/bold]")
        for m in upcoming:
            out.print(f"  {m.on.isoformat()}  {escape(m.title)}")
    support(out, help_, emphasise=status.phase is Phase.SAFETY)


def reach(*ways: object) -> str:
    """A support line's ways to reach it (phone, text, web), those it has, in one line."""
    return ", ".join(str(x) for x in ways if x)


def support(out: Console, help_: RegionHelp, emphasise: bool) -> None:
    if not help_.resources:
        return
    title = "Support, any time" if emphasise else "If things feel too heavy"
    out.print(f"[bold]{title}[/bold]")
    if help_.emergency and emphasise:
        out.print(f"  In immediate danger, call {help_.emergency}.")
    for r in help_.resources:
        ways = reach(r.phone, r.text, r.url)
        out.print(f"  {escape(r.name)}: {escape(ways)}")


RESTART_KINDS = (Kind.SLIP, Kind.SENT, Kind.CALL, Kind.VISIT)


def logged(out: Console, kind: Kind, before: Status, after: Status) -> None:
    restarted = (
        after.no_contact is not None
        and before.no_contact is not None
        and after.no_contact.restarts > before.no_contact.restarts
    )
    if restarted and after.no_contact is not None:
        out.print(
            "Logged. That was contact, so the no-contact count starts again: day 1 is "
            f"{after.no_contact.started_on.isoformat()}. A slip is a place to restart from, "
            "not a failure. What set it off is worth a line in the journal."
        )
    elif kind is Kind.SOCIAL_CHECK:
        out.print(
            "Logged. Looking at their profile doesn't restart the count, but each look keeps the wound open."
        )
    elif kind is Kind.FRIEND_NEWS:
        out.print("Logged. Asking for news doesn't restart the count, but it keeps you tied to the past.")
    elif kind is Kind.URGE:
        out.print("Logged. Noticing an urge without acting on it is the work. Well done.")
    else:
        out.print("Logged.")
    new_warnings = {w.code for w in after.warnings} - {w.code for w in before.warnings}
    for warning in after.warnings:
        if warning.code in new_warnings:
            out.print(f"[bold]Worth stopping for:[/bold] {escape(warning.text)}")
    if after.phase is not before.phase:
        out.print(f"You are now in: [bold]{escape(PHASE_NAMES[after.phase])}[/bold].")
    out.print(f"Next step: {escape(after.next_step.text)}")


def timeline(out: Console, entries: Sequence[Entry]) -> None:
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("Date")
    table.add_column("")
    table.add_column("What")
    for e in entries:
        when = e.on.isoformat() + (f" to {e.until.isoformat()}" if e.until else "")
        mark = "✓" if e.reached else " "
        table.add_row(when, mark, escape(e.title))
    out.print(table)


def journal_entries(out: Console, entries: Sequence[Event], tz: ZoneInfo) -> None:
    if not entries:
        out.print("No entries yet. 'olivebranch journal' opens today's prompt.")
        return
    for entry in entries:
        day = entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        out.print(f"[bold]{day}[/bold]  ({escape(str(entry.data.get('prompt', 'free')))})")
        out.print(escape(str(entry.data.get("text", ""))))
        out.print()


VERDICT_WORDS = {
    "send": "Looks okay to send, if you still want to.",
    "revise": "Worth rewriting before you send it.",
    "hold": "Don't send this one.",
}
SEVERITY_STYLE = {"hold": "bold red", "major": "bold yellow", "minor": "underline"}


def check_result(out: Console, result: CheckResult, lines: list[dict[str, object]]) -> None:
    from rich.text import Text

    draft = Text(result.text)
    for finding in result.findings:
        if finding.end - finding.start < len(result.text):  # whole-message codes stay unmarked
            draft.stylize(SEVERITY_STYLE[finding.severity.value], finding.start, finding.end)
    out.print(Panel(draft, title=f"Your draft ({result.stage.value.replace('_', ' ')})", expand=False))
    out.print(f"[bold]{VERDICT_WORDS[result.verdict.value]}[/bold]")
    for finding in sorted(result.findings, key=lambda f: (f.code != "crisis", f.start)):
        quoted = result.text[finding.start : finding.end]
        where = "" if len(quoted) == len(result.text) else f' "{escape(quoted)}":'
        label = escape(f"[{finding.severity.value}]")
        out.print(f"  • {label} {finding.code}{where} {escape(finding.message)}")
    if result.suggestion:
        out.print(
            Panel(
                escape(result.suggestion),
                title=escape("Try this instead (fill in the [brackets])"),
                expand=False,
            )
        )
    from olivebranch.coach.suggest import instead

    why_not = instead(result)
    if why_not:
        out.print(escape(why_not))
    if lines:
        out.print("[bold]Please reach out now[/bold]")
        for line in lines:
            ways = reach(line.get("phone"), line.get("text"), line.get("url"))
            out.print(f"  {escape(str(line['name']))}: {escape(ways)}")


FLAG_WORDS = {
    "crisis": "You matter, and help is there right now",
    "abuse": "This sounds like abuse or control",
    "harassment_risk": "This has crossed a line, and it needs to stop",
}


def screen_result(
    out: Console, result: ScreenResult, document: dict[str, Any], in_reach: Resource | None = None
) -> None:
    """What the screen found, with its help. With nothing found, ``in_reach`` is the crisis line
    kept in view anyway: the screen reads words, and it misses some of what they leave unsaid."""
    from rich.text import Text

    if not result.matches:
        out.print("Nothing here needs a safety note. Thank you for writing it down.")
        if in_reach is not None:
            ways = reach(in_reach.phone, in_reach.text, in_reach.url)
            out.print(
                "The screen reads only the words, and it can miss things. If you are not safe"
                f" right now, {escape(in_reach.name)} is there: {escape(ways)}."
            )
        return
    shown = Text(result.text)
    for match in result.matches:
        if match.end - match.start < len(result.text):
            shown.stylize("bold", match.start, match.end)
    out.print(Panel(shown, expand=False))
    for flag in result.flags:
        out.print(f"[bold]{escape(FLAG_WORDS[flag.value])}[/bold]")
        for reason in dict.fromkeys(m.reason for m in result.matches if m.flag is flag):
            out.print(f"  {escape(reason)}")
    if document["resources"]:
        out.print("[bold]Support[/bold]")
        for line in document["resources"]:
            ways = reach(line.get("phone"), line.get("text"), line.get("url"))
            out.print(f"  {escape(str(line['name']))}: {escape(ways)} (checked {line['verified_on']})")
    elif "harassment_risk" in document["flags"] or result.writer_caused_harm:
        out.print(
            "  A licensed therapist or counsellor can help you stop; no dedicated line is listed "
            "for this region."
        )


def screened(out: Console, result: ScreenResult, document: dict[str, Any]) -> None:
    """After something the person wrote was flagged: calm, direct, never blocking."""
    out.print()
    screen_result(out, result, document)
    if "abuse" in document["flags"]:
        out.print(
            "Because of this, the program switches to support and safety, not reconnecting. If "
            "the screen misread you, say so: olivebranch log screen_review --outcome misread"
        )


def guide_list(out: Console, pages: Sequence[Page]) -> None:
    for page in pages:
        out.print(f"[bold]{escape(page.id)}[/bold]  {escape(page.title)} ({page.reading_minutes} min)")
        out.print(f"    {escape(page.summary)}")
    out.print("Read one with: olivebranch guide ID")


def guide_page(out: Console, page: Page, region: str | None) -> None:
    """A guide page in the terminal, with the support lines for the region where it asks."""
    from rich.markdown import Markdown

    from olivebranch.safety.resources import load, resources_for

    def support(kinds: tuple[str, ...]) -> str:
        lines = []
        for code in [region] if region else ["US", "INTL"]:
            for r in resources_for(load(), code, kinds=kinds).resources:
                ways = reach(r.phone, r.text, r.url)
                lines.append(f"- **{r.name}**: {ways} (checked {r.verified_on})")
        return "\n".join(lines)

    out.print(Markdown(f"# {page.title}\n\n*{page.summary}*\n\n{page.text(support)}"))
    if page.sources:
        out.print(Markdown("## Sources\n\n" + "\n".join(f"- {src}" for src in page.sources)))
