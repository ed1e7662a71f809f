"""Situations that need their own guidance (section 9), in our own words."""

from __future__ import annotations

from dataclasses import dataclass

from olivebranch.program.profile import Pronouns


@dataclass(frozen=True)
class Scenario:
    code: str
    text: str


def scenario(code: str, p: Pronouns) -> Scenario:
    texts = {
        "no_reply": (
            f"No answer yet. Silence is an answer you can't read much into; it isn't a reason to "
            f"send more. One gentle follow-up after a week, then give {p.them} room."
        ),
        "brief_or_cool_reply": (
            f"A short or cool reply means {p.they} need more time or distance. Don't push or ask "
            "why; step back and keep living your own life."
        ),
        "ex_new_partner": (
            f"{p.they.capitalize()} are seeing someone new. Often that is a rebound, and either "
            "way it is not yours to compete with or interfere in. Keep your distance and keep "
            "your focus on your own growth."
            if p.they == "they"
            else f"{p.they.capitalize()} is seeing someone new. Often that is a rebound, and "
            "either way it is not yours to compete with or interfere in. Keep your distance and "
            "keep your focus on your own growth."
        ),
        "mutual_friends": (
            f"You share friends. Keep seeing them, but don't use them for news about {p.them} or "
            "to carry messages, and don't make them take sides."
        ),
        "ex_reached_out": (
            f"{p.they.capitalize()} reached out during no contact. For logistics, answer briefly "
            "and neutrally. If it was warm, a short, kind answer is fine; don't reopen the "
            "relationship talk, and don't read it as a decision."
        ),
        "broke_no_contact": (
            "You broke no contact. That is a restart point, not a failure: note what set it off, "
            "and the count begins again from your next clean day."
        ),
        "shared_life": (
            "Children, a home or work tie you together, so some contact can't stop. Keep it to "
            "the practical matter, short and polite, in writing where you can."
        ),
        "marriage": (
            "A marriage is a different context. Couples counselling is the place to work out "
            "whether and how to rebuild, before any plan of your own."
        ),
    }
    return Scenario(code, texts[code])
