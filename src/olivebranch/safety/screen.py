"""The safety screen: abuse, crisis and harassment risk in any free text.

Crisis is checked first, with the one crisis phrase set the draft checker uses
too (``coach/rules/data/crisis.toml``), so a draft and a journal entry get the
same crisis reading. Each flag is found by high-recall rules (that file and
``safety/rules/abuse.toml``, ``harassment_risk.toml``, on the checker's mechanism) and
by a learned head on the shared sentence encoder where rules cannot see
paraphrase. Pure: the caller decides what to do with the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from olivebranch.coach.rules.base import checker_rule, load
from olivebranch.coach.text import Draft


class Flag(StrEnum):
    ABUSE = "abuse"
    CRISIS = "crisis"
    HARASSMENT_RISK = "harassment_risk"


FLAGS = (Flag.CRISIS, Flag.ABUSE, Flag.HARASSMENT_RISK)  # crisis first
SAFETY_RULES = ("olivebranch.safety", "rules")
CRISIS_REASON = (
    "This sounds like you may be thinking about hurting yourself or not wanting to live. "
    "You don't have to hold that alone: the lines below are free and there at any hour."
)


@dataclass(frozen=True)
class Match:
    flag: Flag
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class ScreenResult:
    text: str
    matches: tuple[Match, ...]
    writer_caused_harm: bool

    @property
    def flags(self) -> list[Flag]:
        found = {m.flag for m in self.matches}
        return [f for f in FLAGS if f in found]


Detector = Callable[[Draft], Sequence[Match]]


def screen(text: str, detectors: Sequence[Detector] = ()) -> ScreenResult:
    draft = Draft(text)
    matches = [Match(Flag.CRISIS, s, e, CRISIS_REASON) for s, e, _ in checker_rule("crisis").spans(draft)]
    harm = load("abuse", SAFETY_RULES)
    abuse_spans = harm.spans(draft)
    by_writer = {g.message for g in harm.groups if g.tag == "writer_caused_harm"}
    matches += [Match(Flag.ABUSE, s, e, reason) for s, e, reason in abuse_spans]
    matches += [
        Match(Flag.HARASSMENT_RISK, s, e, reason)
        for s, e, reason in load("harassment_risk", SAFETY_RULES).spans(draft)
    ]
    found = {m.flag for m in matches}
    for detector in detectors:
        extra = [m for m in detector(draft) if m.flag not in found]
        matches += extra
        found |= {m.flag for m in extra}
    writer = any(reason in by_writer for _, _, reason in abuse_spans)
    matches.sort(key=lambda m: (FLAGS.index(m.flag), m.start))
    return ScreenResult(text, tuple(matches), writer)
