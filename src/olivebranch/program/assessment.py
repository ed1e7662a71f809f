"""Is reconciliation realistic? The viability assessment and the track it sets.

No probability is ever given for the person's case: each factor shows its
effect in words, and the outcome carries every reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from olivebranch.program.profile import HARDER_REASONS, WORKABLE_REASONS, Profile, Reason


class Track(StrEnum):
    RECONCILE = "reconcile"
    UNCLEAR = "unclear"
    LET_GO = "let_go"
    SAFETY = "safety"


class Effect(StrEnum):
    HELPS = "helps"
    NEUTRAL = "neutral"
    HARDER = "harder"
    LET_GO_SIGN = "let_go_sign"
    DECISIVE = "decisive"


@dataclass(frozen=True)
class Factor:
    code: str
    effect: Effect
    text: str


@dataclass(frozen=True)
class Assessment:
    track: Track
    headline: str
    factors: tuple[Factor, ...]
    reasons: tuple[str, ...]
    suggest_therapist: bool


HEADLINES = {
    Track.RECONCILE: "Worth trying, with the framework and at its pace.",
    Track.UNCLEAR: "Unclear: talk it through with a therapist or counsellor first.",
    Track.LET_GO: "Letting go looks like the healthier path.",
    Track.SAFETY: "Your safety comes first; this program will not guide you back.",
}

BASE_RATE_NOTE = (
    "Published figures suggest that somewhere around 40-60% of couples who split get back "
    "together at some point. That is a figure about many couples, not a prediction for you, "
    "and couples who reunite without fixing what broke them tend to split again."
)

REASON_WORDS = {
    Reason.COMMUNICATION_BREAKDOWN: "communication broke down",
    Reason.EMOTIONAL_UNAVAILABILITY: "one of you was emotionally unavailable",
    Reason.POOR_TIMING: "the timing was poor",
    Reason.EXTERNAL_STRESS: "outside stress weighed on you",
    Reason.UNRESOLVED_CONFLICTS: "specific conflicts were never resolved",
    Reason.INCOMPATIBLE_VALUES: "core values or life goals differ",
    Reason.DISHONESTY: "there was sustained dishonesty",
    Reason.PATTERNS_OF_HARM: "there were patterns of harm",
    Reason.OTHER: "something else",
}


def assess(profile: Profile) -> Assessment:
    """The viability outcome for these answers, with every factor's effect."""
    factors = list(_factors(profile))
    signs = [f for f in factors if f.effect is Effect.LET_GO_SIGN]
    helps = sum(f.effect is Effect.HELPS for f in factors)
    harder = sum(f.effect is Effect.HARDER for f in factors)

    if profile.safety.any_concern:
        track = Track.SAFETY
        reasons = [
            "You said the relationship involved behaviour that can make a person unsafe. "
            "The reconciliation steps are not offered here; support is."
        ]
    elif profile.repeated_betrayal:
        track = Track.LET_GO
        reasons = [
            "Trust was broken again and again without the other person taking responsibility. "
            "Going back would most likely mean going back to that."
        ]
    elif len(signs) >= 2:
        track = Track.LET_GO
        reasons = [f.text for f in signs]
    elif profile.married:
        track = Track.UNCLEAR
        reasons = [
            "A marriage brings more to weigh than a dating relationship; couples counselling "
            "is the right first step before any plan to reconnect."
        ]
    elif signs:
        track = Track.UNCLEAR
        reasons = [signs[0].text, "One clear sign to let go deserves a careful look with a professional."]
    elif harder > helps:
        track = Track.UNCLEAR
        reasons = [
            "More of the factors make reconciling harder than make it easier; it is worth "
            "sorting through them with a therapist before deciding."
        ]
    else:
        track = Track.RECONCILE
        reasons = [
            "Nothing in your answers rules reconciliation out, and the causes you named are "
            "the kind people can work on."
        ]
    reasons.append(BASE_RATE_NOTE)
    return Assessment(
        track=track,
        headline=HEADLINES[track],
        factors=tuple(factors),
        reasons=tuple(reasons),
        suggest_therapist=track is not Track.RECONCILE,
    )


def _factors(p: Profile) -> list[Factor]:
    them = p.pronouns.them
    factors: list[Factor] = []

    workable = [r for r in p.reasons if r in WORKABLE_REASONS]
    hard = [r for r in p.reasons if r in HARDER_REASONS]
    if hard:
        factors.append(
            Factor(
                "why_it_ended",
                Effect.HARDER,
                "Why it ended: " + _join(REASON_WORDS[r] for r in hard) + ". These rarely change "
                "without professional help.",
            )
        )
    elif workable:
        factors.append(
            Factor(
                "why_it_ended",
                Effect.HELPS,
                "Why it ended: " + _join(REASON_WORDS[r] for r in workable) + ". These are the "
                "kind of causes couples can work on.",
            )
        )
    else:
        factors.append(
            Factor(
                "why_it_ended",
                Effect.NEUTRAL,
                "Why it ended is not clear yet. The self-assessment in the journal helps with that.",
            )
        )

    investment = {
        "mutual": (Effect.HELPS, "The love went both ways, which gives you something to rebuild."),
        "one_sided": (
            Effect.HARDER,
            "The investment felt one-sided. A new start tends to repeat the same imbalance.",
        ),
        "unsure": (
            Effect.NEUTRAL,
            "You are not sure the investment was mutual; that is worth thinking about.",
        ),
    }[p.mutual_investment]
    factors.append(Factor("mutual_investment", *investment))

    if p.cause_can_change == "yes" and p.change_steps:
        factors.append(
            Factor(
                "cause_can_change",
                Effect.HELPS,
                "The cause can change, and something concrete has already been done about it.",
            )
        )
    elif p.cause_can_change == "yes":
        factors.append(
            Factor(
                "cause_can_change",
                Effect.NEUTRAL,
                "The cause can change, but nothing concrete has been done about it yet. "
                "Intentions are a start, not a change.",
            )
        )
    elif p.cause_can_change == "no":
        factors.append(
            Factor(
                "cause_can_change",
                Effect.HARDER,
                "You do not think the cause can change. Without that, the same ending is likely.",
            )
        )
    else:
        factors.append(
            Factor("cause_can_change", Effect.NEUTRAL, "Whether the cause can change is still open.")
        )

    how = {
        "impulsive": (
            Effect.HELPS,
            "It ended in the heat of one conflict. Those breakups are more often repaired.",
        ),
        "gradual": (
            Effect.HARDER,
            f"It ended slowly, after a long pulling away. The leaving may have started in {them} "
            "long before the end, which means more work.",
        ),
        "unsure": (Effect.NEUTRAL, "How the ending came about is unclear."),
    }[p.how_it_ended]
    factors.append(Factor("how_it_ended", *how))

    if p.on_off_cycles >= 2:
        factors.append(
            Factor(
                "on_off_cycles",
                Effect.LET_GO_SIGN,
                f"You have broken up and got back together {p.on_off_cycles} times before. "
                "Cycling back to the same pain tends to bring more conflict and less commitment.",
            )
        )
    if Reason.INCOMPATIBLE_VALUES in p.reasons:
        factors.append(
            Factor(
                "incompatible_values",
                Effect.LET_GO_SIGN,
                "Your core values or life goals point in different directions.",
            )
        )
    if p.disrespect_unchanged:
        factors.append(
            Factor(
                "disrespect_unchanged",
                Effect.LET_GO_SIGN,
                "Disrespect continued even after you talked about it.",
            )
        )
    if p.wellbeing_compromised:
        factors.append(
            Factor(
                "wellbeing_compromised",
                Effect.LET_GO_SIGN,
                "Your own wellbeing was worn down again and again in the relationship.",
            )
        )
    if p.repeated_betrayal:
        factors.append(
            Factor(
                "repeated_betrayal",
                Effect.DECISIVE,
                "Repeated betrayal without accountability.",
            )
        )
    if p.married:
        factors.append(
            Factor(
                "married",
                Effect.NEUTRAL,
                "You are married: couples counselling comes before any plan to reconnect.",
            )
        )
    return factors


def _join(parts: Iterable[str]) -> str:
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
