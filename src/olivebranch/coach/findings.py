"""Findings, their severity, and the verdict rule of the public contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    HOLD = "hold"
    MAJOR = "major"
    MINOR = "minor"


class Verdict(StrEnum):
    SEND = "send"
    REVISE = "revise"
    HOLD = "hold"


HOLD_CODES = frozenset({"crisis", "no_contact_breach", "ultimatum", "hostile"})
MINOR_CODES = frozenset({"generic", "say_in_person"})
CODES = (
    "too_long",
    "relationship_talk",
    "neediness",
    "pleading",
    "over_apology",
    "ultimatum",
    "guilt_trip",
    "jealousy_play",
    "pressure",
    "hostile",
    "crisis",
    "no_contact_breach",
    "grand_gesture",
    "generic",
    "say_in_person",
)


def severity(code: str) -> Severity:
    if code in HOLD_CODES:
        return Severity.HOLD
    if code in MINOR_CODES:
        return Severity.MINOR
    return Severity.MAJOR


@dataclass(frozen=True)
class Finding:
    code: str
    start: int
    end: int
    message: str

    @property
    def severity(self) -> Severity:
        return severity(self.code)


def verdict(codes: Iterable[str]) -> Verdict:
    found = set(codes)
    if found & HOLD_CODES:
        return Verdict.HOLD
    if any(severity(code) is Severity.MAJOR for code in found):
        return Verdict.REVISE
    return Verdict.SEND
