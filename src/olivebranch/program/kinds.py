"""Each event kind's own fields, checked: what an API client (or any other writer) may record.

Pure: a mapping in, the clean fields out, or :class:`FieldsInvalid` naming every
field that is wrong. The intake is validated by ``profile.parse_answers``; the
screen's own events are written by the program, never by a client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from olivebranch.program.events import Kind
from olivebranch.program.journal import PROMPTS
from olivebranch.program.readiness import CONVERSATION_READINESS, NO_CONTACT_READINESS, REASSESSMENT
from olivebranch.program.signals import SIGNAL_KINDS

MAX_TEXT = 10_000
TONES = ("warm", "neutral", "brief", "cool", "hostile")


class FieldsInvalid(ValueError):
    """Every problem with an event's fields, each as (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False


def text(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is longer than {MAX_TEXT:,} characters")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value) or "\x7f" in value:
        raise ValueError("contains control characters")
    return value.strip() or None


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def whole(low: int, high: int) -> Check:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value

    return check


def one_of(*options: str) -> Check:
    def check(name: str, value: Any) -> str:
        if value not in options:
            raise ValueError("must be one of " + ", ".join(options))
        return str(value)

    return check


def answers(questions: Mapping[str, str]) -> Check:
    def check(name: str, value: Any) -> dict[str, bool]:
        if not isinstance(value, Mapping):
            raise ValueError("must be an object of true/false answers")
        unknown = [k for k in value if k not in questions]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a question; use {', '.join(questions)}")
        if not all(isinstance(v, bool) for v in value.values()):
            raise ValueError("every answer must be true or false")
        return {key: bool(value.get(key, False)) for key in questions}

    return check


def region(name: str, value: Any) -> str:
    from olivebranch.program.regions import support_region

    code = support_region(value) if isinstance(value, str) else None
    if code is None:
        raise ValueError("must be an ISO 3166-1 alpha-2 code such as GB, or INTL")
    return code


NOTE = {"note": Field(text)}

FIELDS: dict[Kind, dict[str, Field]] = {
    Kind.CHECKIN: {"mood": Field(whole(1, 10), True), "urge": Field(whole(0, 10), True), **NOTE},
    Kind.URGE: {
        "trigger": Field(text),
        "strength": Field(whole(0, 10)),
        "unsent": Field(text),
        "outcome": Field(one_of("held", "rewrote", "sent")),
        **NOTE,
    },
    Kind.SLIP: {"trigger": Field(text), **NOTE},
    Kind.SENT: {"text": Field(text), "logistics": Field(flag), "answering": Field(flag)},
    Kind.READINESS: {"answers": Field(answers(NO_CONTACT_READINESS)), "passed": Field(flag)},
    Kind.CONVERSATION_READINESS: {"answers": Field(answers(CONVERSATION_READINESS)), "passed": Field(flag)},
    Kind.REASSESSMENT: {
        "answers": Field(answers(REASSESSMENT)),
        "outcome": Field(one_of("reconcile", "let_go"), True),
    },
    Kind.REPLY: {
        "tone": Field(one_of(*TONES), True),
        "text": Field(text),
        "no_contact_requested": Field(flag),
    },
    Kind.EX_CONTACT: {"text": Field(text), "logistics": Field(flag), "tone": Field(one_of(*TONES))},
    Kind.SIGNAL: {"kind": Field(one_of(*SIGNAL_KINDS), True), "interpretation": Field(text), **NOTE},
    Kind.MEETING: {"went": Field(one_of("good", "mixed", "bad"), True), **NOTE},
    Kind.CONVERSATION: {"outcome": Field(one_of("together", "not_yet", "apart"), True), **NOTE},
    Kind.JOURNAL: {"text": Field(text, True), "prompt": Field(one_of(*PROMPTS))},
    Kind.SCREEN_REVIEW: {"outcome": Field(one_of("misread", "confirmed"), True)},
    Kind.SETTINGS: {"region": Field(region, True)},
    **{
        k: dict(NOTE)
        for k in (
            Kind.SOCIAL_CHECK,
            Kind.FRIEND_NEWS,
            Kind.FRIEND_MESSAGE,
            Kind.CALL,
            Kind.VISIT,
            Kind.GESTURE,
            Kind.EX_NEW_PARTNER,
            Kind.LET_GO,
            Kind.SAFETY_CONCERN,
            Kind.HARASSMENT_STOPPED,
        )
    },
}
WRITABLE = tuple(k.value for k in FIELDS)


def event_fields(kind: Kind, given: Mapping[str, Any]) -> dict[str, Any]:
    """The kind's fields, checked and cleaned (empty text and false flags dropped)."""
    spec = FIELDS.get(kind)
    if spec is None:
        raise FieldsInvalid([("kind", f"{kind.value!r} cannot be recorded directly")])
    problems: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    for name in given:
        if name not in spec:
            problems.append((name, f"is not a field of {kind.value}; use {', '.join(spec) or 'no fields'}"))
    for name, field in spec.items():
        if name not in given or given[name] is None:
            if field.required:
                problems.append((name, "is required"))
            continue
        try:
            value = field.check(name, given[name])
        except ValueError as err:
            problems.append((name, str(err)))
            continue
        if value is not None and value is not False:
            clean[name] = value
    if kind is Kind.JOURNAL and "text" not in clean and not any(f == "text" for f, _ in problems):
        problems.append(("text", "the entry is empty"))
    if kind in (Kind.READINESS, Kind.CONVERSATION_READINESS) and "answers" in clean:
        clean["passed"] = all(clean["answers"].values())
    if problems:
        raise FieldsInvalid(problems)
    return clean
