"""The self-assessment prompts of the inner work (section 3)."""

from __future__ import annotations

from collections.abc import Iterable

PROMPTS: dict[str, str] = {
    "what_ended_it": (
        "What really ended it? Look past the last fight: a way you two talked (or didn't), "
        "someone being emotionally out of reach (and who), different needs for closeness and "
        "room, an old wound that flared up, or things that wore trust down."
    ),
    "your_part": "Which of those patterns were yours? Name them without punishing yourself.",
    "what_would_differ": (
        "If you got back together today, what exactly would go differently from the day it "
        "ended? If you can't answer yet, that is the place to start."
    ),
    "growth": (
        "What are you working on now (chasing when anxious, saying what you need directly, "
        "criticising under stress, an old wound) and what did you actually do about it?"
    ),
    "full_life": (
        "What did you do this week for your own life: a friendship, something you had put off, "
        "your body or your mind?"
    ),
    "free": "Anything else on your mind. This stays here.",
}

SELF_ASSESSMENT_CORE = ("what_ended_it", "what_would_differ")


def next_prompt(answered: Iterable[str]) -> str:
    """The first self-assessment prompt not yet written about, then the weekly ones."""
    done = set(answered)
    for key in ("what_ended_it", "your_part", "what_would_differ", "growth"):
        if key not in done:
            return key
    return "full_life"


def self_assessment_done(answered: Iterable[str]) -> bool:
    return set(SELF_ASSESSMENT_CORE) <= set(answered)
