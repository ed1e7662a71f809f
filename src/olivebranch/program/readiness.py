"""The checks that open a gate: the end of no contact, the honest conversation,
and the re-assessment that ends the unclear track's healing period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NO_CONTACT_READINESS: dict[str, str] = {
    "self_assessment_done": (
        "I have done the self-assessment: I can say what really ended it, and what would go differently now."
    ),
    "urges_calmer": "The urges to reach out are calmer than they were.",
    "fine_without_reply": "If I reach out and they don't reply, I will be okay.",
}

CONVERSATION_READINESS: dict[str, str] = {
    "easy_together": "Being together feels easy again, not tense or effortful.",
    "both_calm": "We are both in a calm, steady place right now (no recent argument).",
    "open_to_any_answer": "I can hear any answer, including 'no', without pushing.",
    "know_what_changed": "I can say what has changed, in me and between us, since the breakup.",
}

REASSESSMENT: dict[str, str] = {
    "talked_it_through": (
        "I have talked it through with a therapist or counsellor, or thought it through "
        "honestly with someone I trust."
    ),
    "cause_addressed": "What ended it has been addressed in a concrete way, not just promised.",
    "want_for_right_reasons": (
        "I want to try again because of who they are, not because I am lonely or afraid."
    ),
    "safe_and_respected": "I felt safe and respected in the relationship.",
}


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    missing: tuple[str, ...]


def evaluate_check(questions: Mapping[str, str], answers: Mapping[str, object]) -> CheckResult:
    """Passed when every question is answered yes; the others are listed by text."""
    missing = tuple(text for key, text in questions.items() if answers.get(key) is not True)
    return CheckResult(passed=not missing, missing=missing)


def all_yes(questions: Mapping[str, str]) -> dict[str, bool]:
    return dict.fromkeys(questions, True)
