"""The intake: the relationship profile and the safety questions, validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from olivebranch.program.regions import is_region_code


class Reason(StrEnum):
    """Why it ended, in the terms of the viability assessment."""

    COMMUNICATION_BREAKDOWN = "communication_breakdown"
    EMOTIONAL_UNAVAILABILITY = "emotional_unavailability"
    POOR_TIMING = "poor_timing"
    EXTERNAL_STRESS = "external_stress"
    UNRESOLVED_CONFLICTS = "unresolved_conflicts"
    INCOMPATIBLE_VALUES = "incompatible_values"
    DISHONESTY = "dishonesty"
    PATTERNS_OF_HARM = "patterns_of_harm"
    OTHER = "other"


WORKABLE_REASONS = frozenset(
    {
        Reason.COMMUNICATION_BREAKDOWN,
        Reason.EMOTIONAL_UNAVAILABILITY,
        Reason.POOR_TIMING,
        Reason.EXTERNAL_STRESS,
        Reason.UNRESOLVED_CONFLICTS,
    }
)
HARDER_REASONS = frozenset({Reason.INCOMPATIBLE_VALUES, Reason.DISHONESTY, Reason.PATTERNS_OF_HARM})

SAFETY_QUESTIONS: dict[str, str] = {
    "emotional_abuse": "Did they put you down, humiliate you, or make you feel worthless, again and again?",
    "controlling": (
        "Did they control you: check your phone, track where you were, control money, "
        "cut you off from friends or family, or decide what you could wear or do?"
    ),
    "physical_aggression": (
        "Did they ever push, hit, grab or hurt you, or break things, punch walls or hurt pets to scare you?"
    ),
    "threats": (
        "Did they threaten you, your children, your things, or threaten to hurt themselves if you left?"
    ),
    "felt_unsafe": "Did you ever feel afraid of them, or unsafe around them?",
}

ENDED_BY = ("me", "them", "mutual")
HOW_IT_ENDED = ("impulsive", "gradual", "unsure")
MUTUAL_INVESTMENT = ("mutual", "one_sided", "unsure")
CAUSE_CAN_CHANGE = ("yes", "no", "unsure")
PRONOUNS = ("she", "he", "they")

REQUIRED_KEYS = (
    "months_together",
    "ended_on",
    "last_contact_on",
    "breakup_messy",
    "anxious_contact_since",
    "safety",
    "repeated_betrayal",
    "region",
    "timezone",
)
OPTIONAL_KEYS = (
    "ended_by",
    "how_it_ended",
    "living_together",
    "married",
    "children",
    "shared_work",
    "mutual_friends",
    "reasons",
    "mutual_investment",
    "cause_can_change",
    "change_steps",
    "on_off_cycles",
    "disrespect_unchanged",
    "wellbeing_compromised",
    "ex_pronouns",
    "story",
)
MAX_MONTHS = 1200
EARLIEST_DATE = date(1950, 1, 1)


class AnswerError(ValueError):
    """One answer that cannot be used, with the field and value it concerns."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field}: {problem} (got {value!r})")


class AnswersInvalid(ValueError):
    """The answers as a whole cannot be used; every problem is listed."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class SafetyAnswers:
    answers: Mapping[str, bool]

    @property
    def concerns(self) -> list[str]:
        return [key for key in SAFETY_QUESTIONS if self.answers.get(key)]

    @property
    def any_concern(self) -> bool:
        return bool(self.concerns)


@dataclass(frozen=True)
class Pronouns:
    they: str
    them: str
    their: str

    @staticmethod
    def of(word: str) -> Pronouns:
        return {
            "she": Pronouns("she", "her", "her"),
            "he": Pronouns("he", "him", "his"),
        }.get(word, Pronouns("they", "them", "their"))


@dataclass(frozen=True)
class Profile:
    """The person's answers, parsed. Pronouns only shape wording."""

    months_together: float
    ended_on: date
    last_contact_on: date
    breakup_messy: bool
    anxious_contact_since: bool
    safety: SafetyAnswers
    repeated_betrayal: bool
    region: str
    timezone: str
    ended_by: str = "mutual"
    how_it_ended: str = "unsure"
    living_together: bool = False
    married: bool = False
    children: bool = False
    shared_work: bool = False
    mutual_friends: bool = False
    reasons: tuple[Reason, ...] = ()
    mutual_investment: str = "unsure"
    cause_can_change: str = "unsure"
    change_steps: str = ""
    on_off_cycles: int = 0
    disrespect_unchanged: bool = False
    wellbeing_compromised: bool = False
    ex_pronouns: str = "they"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def pronouns(self) -> Pronouns:
        return Pronouns.of(self.ex_pronouns)


def parse_answers(answers: Mapping[str, Any], today: date) -> Profile:
    """Validate intake answers; ``today`` is the person's local date.

    Raises AnswersInvalid listing every field that is wrong, by name and value.
    """
    errors: list[AnswerError] = []
    if not isinstance(answers, Mapping):
        raise AnswersInvalid([AnswerError("answers", answers, "must be a JSON object")])

    for key in answers:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            errors.append(AnswerError(key, answers[key], "is not a known answer"))
    for key in REQUIRED_KEYS:
        if key not in answers:
            errors.append(AnswerError(key, None, "is required"))

    def take(key: str, parse: Any, default: Any = None) -> Any:
        if key not in answers:
            return default
        try:
            return parse(key, answers[key])
        except AnswerError as err:
            errors.append(err)
            return default

    months = take("months_together", _months)
    ended_on = take("ended_on", _date_not_after(today))
    last_contact_on = take("last_contact_on", _date_not_after(today))
    if ended_on and last_contact_on and last_contact_on < ended_on:
        errors.append(
            AnswerError(
                "last_contact_on",
                last_contact_on.isoformat(),
                f"is before the breakup ({ended_on.isoformat()}); the breakup itself counts as contact",
            )
        )
    region = take("region", _region)
    timezone = take("timezone", _timezone)
    safety = take("safety", _safety)
    reasons = take("reasons", _reasons, ())
    profile_fields: dict[str, Any] = {
        "breakup_messy": take("breakup_messy", _bool),
        "anxious_contact_since": take("anxious_contact_since", _bool),
        "repeated_betrayal": take("repeated_betrayal", _bool),
        "ended_by": take("ended_by", _choice(ENDED_BY), "mutual"),
        "how_it_ended": take("how_it_ended", _choice(HOW_IT_ENDED), "unsure"),
        "living_together": take("living_together", _bool, False),
        "married": take("married", _bool, False),
        "children": take("children", _bool, False),
        "shared_work": take("shared_work", _bool, False),
        "mutual_friends": take("mutual_friends", _bool, False),
        "mutual_investment": take("mutual_investment", _choice(MUTUAL_INVESTMENT), "unsure"),
        "cause_can_change": take("cause_can_change", _choice(CAUSE_CAN_CHANGE), "unsure"),
        "change_steps": take("change_steps", _text, ""),
        "on_off_cycles": take("on_off_cycles", _count, 0),
        "disrespect_unchanged": take("disrespect_unchanged", _bool, False),
        "wellbeing_compromised": take("wellbeing_compromised", _bool, False),
        "ex_pronouns": take("ex_pronouns", _choice(PRONOUNS), "they"),
    }
    take("story", _text, "")  # screened for safety; the assessment does not read it
    if errors:
        raise AnswersInvalid(errors)
    return Profile(
        months_together=months,
        ended_on=ended_on,
        last_contact_on=last_contact_on,
        safety=safety,
        region=region,
        timezone=timezone,
        reasons=reasons,
        **profile_fields,
    )


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise AnswerError(key, value, "must be true or false")
    return value


def _months(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerError(key, value, "must be a number of months")
    if not 0 < value <= MAX_MONTHS:
        raise AnswerError(key, value, f"must be more than 0 and at most {MAX_MONTHS}")
    return float(value)


def _count(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise AnswerError(key, value, "must be a whole number from 0 to 100")
    return value


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(key, value, "must be text")
    if len(value) > 10_000:
        raise AnswerError(key, value[:40] + "...", "is longer than 10,000 characters")
    return value.strip()


def _choice(options: tuple[str, ...]) -> Any:
    def parse(key: str, value: Any) -> str:
        if value not in options:
            raise AnswerError(key, value, "must be one of " + ", ".join(options))
        return str(value)

    return parse


def _date_not_after(today: date) -> Any:
    def parse(key: str, value: Any) -> date:
        if not isinstance(value, str):
            raise AnswerError(key, value, "must be a date written YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise AnswerError(key, value, "is not a real date written YYYY-MM-DD") from None
        if day > today:
            raise AnswerError(key, value, f"is in the future (today is {today.isoformat()})")
        if day < EARLIEST_DATE:
            raise AnswerError(key, value, f"is before {EARLIEST_DATE.isoformat()}")
        return day

    return parse


def _region(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(key, value, "must be a two-letter country code such as US or GB")
    code = value.strip().upper()
    if code == "UK":
        raise AnswerError(key, value, "is not an ISO 3166-1 code; the United Kingdom is GB")
    if not is_region_code(code):
        raise AnswerError(key, value, "is not an ISO 3166-1 alpha-2 country code")
    return code


def _timezone(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise AnswerError(key, value, "must be an IANA time zone such as Europe/London")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise AnswerError(key, value, "is not a known IANA time zone") from None
    return value


def _safety(key: str, value: Any) -> SafetyAnswers:
    if not isinstance(value, Mapping):
        raise AnswerError(key, value, "must be an object of true/false answers")
    problems = [k for k in value if k not in SAFETY_QUESTIONS]
    if problems:
        raise AnswerError(f"{key}.{problems[0]}", value[problems[0]], "is not a known question")
    for question in SAFETY_QUESTIONS:
        if question not in value:
            raise AnswerError(f"{key}.{question}", None, "is required")
        if not isinstance(value[question], bool):
            raise AnswerError(f"{key}.{question}", value[question], "must be true or false")
    return SafetyAnswers(dict(value))


def _reasons(key: str, value: Any) -> tuple[Reason, ...]:
    if not isinstance(value, list):
        raise AnswerError(key, value, "must be a list")
    known = [r.value for r in Reason]
    for item in value:
        if item not in known:
            raise AnswerError(key, item, "is not a known reason; use one of " + ", ".join(known))
    return tuple(Reason(item) for item in dict.fromkeys(value))
