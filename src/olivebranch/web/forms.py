"""Reading the web forms into the program's terms, with every problem named by its field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from olivebranch.program.profile import (
    CAUSE_CAN_CHANGE,
    ENDED_BY,
    HOW_IT_ENDED,
    MUTUAL_INVESTMENT,
    PRONOUNS,
    SAFETY_QUESTIONS,
    AnswersInvalid,
    Reason,
)

YES_NO_REQUIRED = ("repeated_betrayal", "breakup_messy", "anxious_contact_since")
CHECKBOXES = (
    "living_together",
    "married",
    "children",
    "shared_work",
    "mutual_friends",
    "disrespect_unchanged",
    "wellbeing_compromised",
)
CHOICES: dict[str, tuple[str, ...]] = {
    "ended_by": ENDED_BY,
    "how_it_ended": HOW_IT_ENDED,
    "mutual_investment": MUTUAL_INVESTMENT,
    "cause_can_change": CAUSE_CAN_CHANGE,
    "ex_pronouns": PRONOUNS,
}
TEXTS = ("change_steps", "story")

REASON_LABELS = {
    Reason.COMMUNICATION_BREAKDOWN: "We stopped being able to talk things through",
    Reason.EMOTIONAL_UNAVAILABILITY: "One of us was emotionally out of reach",
    Reason.POOR_TIMING: "The timing was wrong (a move, studies, a hard year)",
    Reason.EXTERNAL_STRESS: "Outside stress: money, work, family, illness",
    Reason.UNRESOLVED_CONFLICTS: "The same fights never got resolved",
    Reason.INCOMPATIBLE_VALUES: "We want different things in life (children, faith, where to live)",
    Reason.DISHONESTY: "Lies or cheating",
    Reason.PATTERNS_OF_HARM: "A pattern of hurting each other",
    Reason.OTHER: "Something else",
}


@dataclass
class FormErrors:
    """Problems by field name; ``general`` for those that belong to no single field."""

    by_field: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    def messages(self) -> list[str]:
        return [*self.general, *self.by_field.values()]


def intake_answers(form: Mapping[str, Any], reasons: list[str]) -> tuple[dict[str, Any], FormErrors]:
    """The intake form as answers for the program; problems the form itself can see."""
    errors = FormErrors()
    answers: dict[str, Any] = {"safety": {}}
    for key in SAFETY_QUESTIONS:
        answers["safety"][key] = _yes_no(form, f"safety_{key}", errors)
    for key in YES_NO_REQUIRED:
        answers[key] = _yes_no(form, key, errors)
    months = str(form.get("months_together", "")).strip()
    if not months:
        errors.add("months_together", "Please say how many months you were together.")
    else:
        try:
            answers["months_together"] = float(months)
        except ValueError:
            errors.add("months_together", f"“{months}” is not a number of months.")
    for key in ("ended_on", "last_contact_on"):
        value = str(form.get(key, "")).strip()
        if value:
            answers[key] = value
        else:
            errors.add(key, "Please give the date.")
    for key in CHECKBOXES:
        answers[key] = form.get(key) == "yes"
    for key, options in CHOICES.items():
        value = str(form.get(key, "")).strip()
        if value:
            answers[key] = value
            if value not in options:
                errors.add(key, "Please choose one of the options.")
    for key in TEXTS:
        value = str(form.get(key, "")).strip()
        if value:
            answers[key] = value
    cycles = str(form.get("on_off_cycles", "")).strip()
    if cycles:
        try:
            answers["on_off_cycles"] = int(cycles)
        except ValueError:
            errors.add("on_off_cycles", f"“{cycles}” is not a whole number.")
    known = {r.value for r in Reason}
    if any(r not in known for r in reasons):
        errors.add("reasons", "One of the reasons is not on the list.")
    answers["reasons"] = [r for r in reasons if r in known]
    answers["region"] = str(form.get("region", "")).strip().upper()
    answers["timezone"] = str(form.get("timezone", "")).strip()
    return answers, errors


def add_answer_errors(errors: FormErrors, invalid: AnswersInvalid) -> None:
    """The program's own validation, mapped back onto the form's fields."""
    for problem in invalid.errors:
        name = problem.field.replace("safety.", "safety_")
        text = problem.problem
        errors.add(name, text[:1].upper() + text[1:] + ".")


def _yes_no(form: Mapping[str, Any], name: str, errors: FormErrors) -> bool:
    value = form.get(name)
    if value not in ("yes", "no"):
        errors.add(name, "Please answer yes or no.")
        return False
    return bool(value == "yes")


def int_field(form: Mapping[str, Any], name: str, low: int, high: int, errors: FormErrors) -> int | None:
    """A whole number in a range, or None with the problem added."""
    raw = str(form.get(name, "")).strip()
    if not raw:
        errors.add(name, "Please choose a number.")
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.add(name, f"“{raw}” is not a whole number.")
        return None
    if not low <= value <= high:
        errors.add(name, f"Please choose a number from {low} to {high}.")
        return None
    return value
