"""What the pages show: the context every template gets, and the small readings behind it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.requests import Request

from olivebranch.coach.stages import Stage, parse_stage
from olivebranch.coach.tones import Tone
from olivebranch.program.events import Event, Kind
from olivebranch.program.journal import PROMPTS, next_prompt
from olivebranch.program.profile import SAFETY_QUESTIONS
from olivebranch.program.readiness import CONVERSATION_READINESS, NO_CONTACT_READINESS, REASSESSMENT
from olivebranch.program.state import Phase, Status
from olivebranch.render import PHASE_NAMES, TRACK_NAMES
from olivebranch.service import Problem, Program, parse_moment, resources_for, zone
from olivebranch.web.forms import CHOICES, REASON_LABELS, FormErrors

T = TypeVar("T")
PAUSE_MINUTES = 10
URGE_OUTCOMES = {
    "held": "I didn't send it",
    "rewrote": "I rewrote it and sent that",
    "sent": "I sent it anyway",
}
TONES = [t.value for t in Tone]
READINESS = NO_CONTACT_READINESS
CONVERSATION = CONVERSATION_READINESS
REASSESSMENT_CHECK = REASSESSMENT
SCREENED_FIELDS = ("text", "unsent", "note", "trigger", "story", "change_steps")
STAGE_LABELS = {
    "no_contact": "During no contact (a message you feel like sending)",
    "answering": "Answering a message they sent first",
    "first_contact": "The first message after no contact",
    "follow_up": "A follow-up while you wait",
    "rebuilding": "While rebuilding",
    "conversation": "Before the honest conversation",
}
VERDICT_WORDS = {
    "send": "This reads as kind and light. It's yours to send, or not.",
    "revise": "Worth another look before you send it.",
    "hold": "Not now. Hold on to this one.",
}
SAVED = {
    "checkin": "Check-in saved. Thank you for showing up for yourself today.",
    "let_go": "Saved. Choosing to let go takes courage; the program now walks with you through moving on.",
    "review_misread": "Thank you. The screen's reading was withdrawn.",
    "review_confirmed": "Thank you for telling us. The support below is here for you.",
    "safety_concern": "Saved. The program has switched to support and safety.",
    "harassment_stopped": "Saved. Keep it stopped; coaching comes back after 30 days with nothing new.",
    "sent": "Saved to your contact log.",
    "ex": "Saved to your contact log.",
    "reply": "Saved to your contact log.",
    "meeting": "Saved to your contact log.",
    "conversation": "Saved to your contact log.",
    "other": "Saved. Thank you for being honest with yourself.",
    "journal": "Saved to your journal. It stays here.",
    "readiness": "Your readiness check is saved.",
    "conversation_readiness": "Your checklist is saved.",
    "region": "Region saved: the support lines now fit where you are.",
    "passphrase_set": "Locked: what you write is now encrypted under your passphrase.",
    "password": "Your password is changed; everything you wrote is still yours to read.",
    "passphrase_remove": "The passphrase is removed; your text is stored unencrypted again.",
    "signal": "Saved to your signals.",
    "deleted": "Everything was deleted. Nothing of yours is left here.",
}
FLAG_WORDS = {
    "crisis": "You matter, and help is there right now",
    "abuse": "What you wrote sounds like abuse or control",
    "harassment_risk": "This has crossed a line, and it needs to stop",
}
SIGNAL_KINDS = {
    "unsolicited_contact": "Reached out with no practical reason",
    "asked_about_you": "Asked mutual friends about me",
    "old_content": "Engaged with something from before the breakup",
    "shared_memory": "Brought up a good shared memory",
    "significant_moment": "Reached out at a meaningful moment (a birthday, a hard day)",
    "story_view": "Watched a story or viewed a post",
    "like": "Liked something",
    "brief_reply": "Sent a brief reply",
    "other": "Something else",
}
# The note-only kinds the contact log offers under "something else happened".
OTHER_KINDS = {
    "social_check": "I looked at their social media",
    "friend_news": "I asked a friend for news about them",
    "friend_message": "I asked a friend to pass something on",
    "call": "I called them",
    "visit": "I went to see them without an arrangement",
    "gesture": "A grand gesture (flowers, a long letter, something public)",
    "ex_new_partner": "I learned they are seeing someone new",
}
CONTACT_SHOWN = 30
CONTACT_KINDS = (
    Kind.SENT,
    Kind.EX_CONTACT,
    Kind.REPLY,
    Kind.MEETING,
    Kind.CONVERSATION,
    Kind.CALL,
    Kind.VISIT,
    Kind.GESTURE,
    Kind.FRIEND_MESSAGE,
    Kind.EX_NEW_PARTNER,
)


def zone_or_utc(name: object) -> ZoneInfo:
    return zone(name) if isinstance(name, str) and name else ZoneInfo("UTC")


EXIT_URL = "https://www.bbc.co.uk/weather"


def _regions() -> list[tuple[str, str]]:
    import pycountry

    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


_ENV: Environment | None = None


def install(env: Environment) -> None:
    from zoneinfo import available_timezones

    global _ENV
    _ENV = env
    from olivebranch.service import system_zone

    env.filters["mark_spans"] = mark_spans
    env.filters["id"] = id
    env.filters["format_hour"] = lambda h: f"{int(h):02d}:00"
    env.filters["went_score"] = lambda went: {"good": 3, "mixed": 2, "bad": 1}.get(went, 0)
    env.filters["day"] = lambda d: d.strftime("%a %-d %b %Y") if d else ""
    env.globals.update(
        PHASE_NAMES={p.value: n for p, n in PHASE_NAMES.items()},
        TRACK_NAMES=TRACK_NAMES,
        SAFETY_QUESTIONS=SAFETY_QUESTIONS,
        REASON_LABELS={r.value: label for r, label in REASON_LABELS.items()},
        CHOICES=CHOICES,
        PROMPTS=PROMPTS,
        URGE_OUTCOMES=URGE_OUTCOMES,
        TONES=TONES,
        READINESS=READINESS,
        CONVERSATION=CONVERSATION,
        REASSESSMENT=REASSESSMENT,
        STAGE_LABELS=STAGE_LABELS,
        SIGNAL_KINDS=SIGNAL_KINDS,
        OTHER_KINDS=OTHER_KINDS,
        VERDICT_WORDS=VERDICT_WORDS,
        FLAG_WORDS=FLAG_WORDS,
        PAUSE_MINUTES=PAUSE_MINUTES,
        REGIONS=_regions(),
        TIMEZONES=sorted(available_timezones()),
        default_zone=str(system_zone().key),
        exit_url=EXIT_URL,
        screened_doc=screened_doc,
        spans_of=spans_of,
        chart_json=chart_json,
        guide_pages=_guide_pages(),
        why=why,
        guide_card=guide_card,
    )


def why(table: str, code: str | None, label: str = "Why") -> Markup:
    """A small link from a judgement to the guide page that explains it ("" when none)."""
    from olivebranch.guide.library import page
    from olivebranch.guide.links import HELP, TABLES

    target = TABLES[table].get(code or "")
    if target is None:
        return Markup("")
    if target == HELP:
        return Markup('<a class="why" href="/help" hx-boost="false">Support lines, any time</a>')
    found = page(target)
    if found is None:
        return Markup("")
    return Markup(f'<a class="why" href="/guide/{found.id}">{escape(label)}: {escape(found.title)}</a>')


def guide_card(status: Status) -> Any:
    from olivebranch.guide.library import page
    from olivebranch.guide.links import situation_page

    return page(situation_page(status))


def _guide_pages() -> Any:
    from olivebranch.guide.library import pages

    return pages()


def page_context(p: Program, request: Request, **context: Any) -> dict[str, Any]:
    """Everything a page may show: the state (when there is one), help lines, what was saved."""
    status: Status | None = None
    problem: str | None = None
    if p.intake() is not None:
        try:
            status = p.status()
        except Problem as err:
            problem = err.message
    region = p.region_if_any()
    help_ = resources_for(status, region) if status is not None else _default_help(region)
    saved = request.query_params.get("saved", "")
    saved_text = SAVED.get(saved)
    if saved.startswith("imported_"):
        saved_text = f"Imported {saved.removeprefix('imported_')} events."
    context.setdefault("errors", FormErrors())
    context.setdefault("values", {})
    base: dict[str, Any] = {
        "status": status,
        "state_problem": problem,
        "help": help_,
        "region": region,
        "saved": saved_text,
        "path": request.url.path,
        "urge_link": status is not None and status.phase is Phase.NO_CONTACT,
        "program": p,
        "passphrase_set": request.url.path == "/settings" and p.store().person_key(p.person_id) is not None,
    }
    if status is not None:
        base.update(_status_context(p, status))
    base.update(context)
    return base


def bare_context(request: Request) -> dict[str, Any]:
    """For pages with nothing personal on them (the offline page): no state, no region."""
    return {
        "status": None,
        "help": _default_help(None),
        "region": None,
        "saved": None,
        "path": request.url.path,
        "urge_link": False,
        "errors": FormErrors(),
        "values": {},
    }


def _default_help(region: str | None) -> Any:
    from olivebranch.safety.resources import load, resources_for

    return resources_for(load(), region or "INTL", kinds=("crisis", "abuse"))


def _status_context(p: Program, status: Status) -> dict[str, Any]:
    """What the pages show besides the status. Lists only some pages show are read when shown."""
    tz = status.profile.tz
    screens = p.events_of(Kind.SCREEN)
    journal = Later(lambda: sorted(p.events_of(Kind.JOURNAL), key=Event.sort_key, reverse=True))
    contact = Later(lambda: [e for e in p.events_of(*CONTACT_KINDS) if e.at >= _intake_at(p)])
    return {
        "tz": tz,
        "journal_entries": journal,
        "next_prompt": Later(lambda: next_prompt(p.journal_prompts())),
        "contact_events": Later(lambda: sorted(contact, key=Event.sort_key, reverse=True)[:CONTACT_SHOWN]),
        "signal_events": Later(
            lambda: sorted(
                (
                    e
                    for e in p.events_of(Kind.SIGNAL, Kind.EX_CONTACT)
                    if e.kind is Kind.SIGNAL or not e.flag("logistics")
                ),
                key=Event.sort_key,
                reverse=True,
            )
        ),
        "step_after": Later(lambda: _steps_after(p.events(), list(contact)[-CONTACT_SHOWN:])),
        "stage": _stage_name(status),
        "last_screen": max(screens, key=Event.sort_key) if screens else None,
        "local": lambda e: e.at.astimezone(tz),
        "counts": Later(lambda: _counts(p.events())),
        "focus_week": _focus_week(status),
    }


class Later(Generic[T]):
    """A list or mapping for a page, read from the log only if the page uses it."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute

    @cached_property
    def value(self) -> T:
        return self._compute()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.value)  # type: ignore[call-overload,no-any-return]

    def __len__(self) -> int:
        return len(self.value)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.value)

    def __getitem__(self, key: Any) -> Any:
        return self.value[key]  # type: ignore[index]

    def __contains__(self, key: Any) -> bool:
        return key in self.value  # type: ignore[operator]

    def get(self, key: Any, default: Any = None) -> Any:
        return self.value.get(key, default)  # type: ignore[attr-defined]


def _stage_name(status: Status) -> str:
    stage = default_stage(status)
    return stage.value if stage is not None else "no_contact"


def _steps_after(events: list[Event], shown: list[Event]) -> dict[int, str]:
    """The next step the program gave right after each shown contact event (keyed by the event object)."""
    from olivebranch.program.state import NoIntake, evaluate

    steps: dict[int, str] = {}
    for event in shown:
        try:
            steps[id(event)] = evaluate(events, event.at).next_step.text
        except NoIntake:
            continue
    return steps


def _intake_at(p: Program) -> datetime:
    intake = p.intake()
    assert intake is not None
    return intake.at


def _counts(events: list[Event]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in events:
        counts[e.kind.value] = counts.get(e.kind.value, 0) + 1
    return counts


def _focus_week(status: Status) -> int | None:
    if status.moving_on_since is None:
        return None
    return (status.today - status.moving_on_since).days // 7 + 1


def on_hold(p: Program) -> bool:
    """Whether a harassment hold stands: no contact coaching until it clears."""
    if p.intake() is None:
        return False
    try:
        return p.status().harassment_hold is not None
    except Problem:
        return False


def default_stage(status: Status) -> Stage | None:
    """The stage the coach starts on: the phase, or follow-up while a first message waits."""
    if status.phase is Phase.FIRST_CONTACT and status.contact.awaiting_reply_since is not None:
        return Stage.FOLLOW_UP
    return parse_stage(status.phase.value)


@dataclass(frozen=True)
class Checked:
    """A draft read by the checker, with what the screen found in it."""

    result: Any
    instead: str | None
    crisis_lines: list[Any]
    screened: Any


def check_draft(p: Program, text: str, stage_name: str) -> Checked | None:
    from olivebranch.checking import check_text
    from olivebranch.coach.suggest import instead
    from olivebranch.safety.resources import load
    from olivebranch.safety.resources import resources_for as lines_for

    stage = parse_stage(stage_name)
    if stage is None or not text.strip():
        return None
    result = check_text(text, stage)
    screened = screen_only(p, text)
    lines = []
    if result.crisis and (screened is None or "crisis" not in screened["flags"]):
        region = p.region_if_any()
        lines = list(lines_for(load(), region or "INTL", kinds=("crisis",)).resources)
    return Checked(result, instead(result), lines, screened)


def checked_or_errors(p: Program, form: dict[str, str]) -> tuple[FormErrors, Checked | None]:
    from olivebranch.contract import text_problem

    errors = FormErrors()
    text = form.get("text") or form.get("unsent") or ""
    stage = form.get("stage", "")
    if parse_stage(stage) is None:
        errors.add("stage", "Please choose one of the stages.")
    if not text.strip():
        return errors, None
    problem = text_problem(text)
    if problem is not None:
        errors.add("text", problem[:1].upper() + problem[1:] + ".")
    if errors:
        return errors, None
    return errors, check_draft(p, text, stage)


def spans_of(result: Any) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.message) for f in result.findings]


def screened_doc(screened: Any) -> dict[str, Any]:
    """A recorded screen result as the pages show it: flags, reasons, help."""
    result = screened.result
    document = dict(screened.document)
    document["writer_caused_harm"] = result.writer_caused_harm
    document["reasons"] = {
        flag.value: list(dict.fromkeys(m.reason for m in result.matches if m.flag is flag))
        for flag in result.flags
    }
    return document


def screen_only(p: Program, text: str) -> dict[str, Any] | None:
    """The screen's flags and help for a text (nothing stored), or None when nothing is found."""
    from olivebranch.safety_screen import screen_json, screen_text

    if not text.strip():
        return None
    result = screen_text(text)
    if not result.flags:
        return None
    from olivebranch.service import Screened

    return screened_doc(Screened(result, screen_json(None, result, p.region_if_any())))


def read_reply(text: str) -> Any:
    from olivebranch.coach.reply import default_reader

    reader = default_reader()
    return reader(text) if reader is not None else None


def moment(p: Program, value: str | None, field: str) -> datetime | None:
    """An optional date-time field (the browser's datetime-local), in the person's zone."""
    if not value or not value.strip():
        return None
    return parse_moment(value, field, p.tz())


def problem_errors(problem: Problem) -> FormErrors:
    errors = FormErrors()
    message = problem.message[:1].upper() + problem.message[1:]
    if not message.endswith("."):
        message += "."
    if problem.field:
        errors.add(problem.field, message)
    else:
        errors.general.append(message)
    return errors


def mark_spans(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The text with the flagged spans in <mark>, each titled with its reason (escaped)."""
    whole = len(text)
    spans = sorted((s, e, why) for s, e, why in spans if e - s < whole)
    out: list[str] = []
    at = 0
    for start, end, why in spans:
        if start < at:
            continue  # overlapping: the first span shown covers it
        out.append(str(escape(text[at:start])))
        out.append(f'<mark title="{escape(why)}">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def patterns_of(p: Program) -> Any:
    from olivebranch.program.patterns import patterns

    if p.intake() is None:
        return None
    try:
        return patterns(p.status(), p.events())
    except Problem:
        return None


def timeline_of(p: Program) -> Any:
    from olivebranch.program.timeline import timeline

    if p.intake() is None:
        return None
    try:
        return timeline(p.status(), p.events())
    except Problem:
        return None


def chart_json(value: Any) -> str:
    """Chart data for a data- attribute (read by static/app.js; no inline script)."""
    import json

    return json.dumps(value, separators=(",", ":"))


def guide_html(p: Program, page: Any) -> Markup:
    """A guide page's body, with the support lines for the reader's region where it asks."""
    from olivebranch.safety.resources import load
    from olivebranch.safety.resources import resources_for as lines_for

    region = p.region_if_any()

    def support(kinds: tuple[str, ...]) -> str:
        found = lines_for(load(), region or "INTL", kinds=kinds)
        assert _ENV is not None
        return _ENV.get_template("_lines.html").render(resources=found.resources, heading="Support lines")

    return Markup(page.html(support))
