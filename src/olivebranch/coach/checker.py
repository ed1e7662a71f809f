"""The draft checker: every applicable finding for a stage, and the verdict.

Crisis is always checked first, by rules. Other detectors (the learned model of
a later issue) can add findings beside the rule layer through ``detectors``:
they only add codes the rules did not already find, and stage rules decide
where each code applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from olivebranch.coach.findings import Finding, Severity, Verdict, verdict
from olivebranch.coach.rules import (
    PHRASE_CODES,
    generic,
    no_contact_breach,
    over_apology,
    say_in_person,
    too_long,
)
from olivebranch.coach.rules.base import checker_rule
from olivebranch.coach.stages import Stage, applies
from olivebranch.coach.text import Draft

Detector = Callable[[Draft, Stage], Sequence[Finding]]


@dataclass(frozen=True)
class CheckResult:
    stage: Stage
    text: str
    findings: tuple[Finding, ...]
    verdict: Verdict
    suggestion: str | None = None

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})

    @property
    def crisis(self) -> bool:
        return any(f.code == "crisis" for f in self.findings)


# Where both are found in one sentence, the first code says it all: a threat to
# self is crisis (not an ultimatum), a demand with a consequence is an ultimatum
# (not also pressure), and a visit threatened as leverage is the threat.
DOMINATES = (
    ("crisis", "ultimatum"),
    ("crisis", "pressure"),
    ("ultimatum", "pressure"),
    ("ultimatum", "grand_gesture"),
)


def _without_dominated(draft: Draft, findings: list[Finding]) -> list[Finding]:
    sentences: dict[str, set[int]] = {}
    for f in findings:
        sentences.setdefault(f.code, set()).update(
            range(draft.sentence_of(f.start), draft.sentence_of(max(f.start, f.end - 1)) + 1)
        )
    kept = []
    for f in findings:
        here = set(range(draft.sentence_of(f.start), draft.sentence_of(max(f.start, f.end - 1)) + 1))
        if any(weak == f.code and here & sentences.get(strong, set()) for strong, weak in DOMINATES):
            continue
        kept.append(f)
    return kept


def check(text: str, stage: Stage, detectors: Sequence[Detector] = ()) -> CheckResult:
    draft = Draft(text)
    findings: list[Finding] = []
    for code in PHRASE_CODES:
        if applies(code, stage):
            findings += checker_rule(code).find(draft, stage.value)
    findings += over_apology.find(draft)
    findings = _without_dominated(draft, findings)
    found = {f.code for f in findings}
    for detector in detectors:
        extra = [
            f
            for f in detector(draft, stage)
            if f.code not in found
            and applies(f.code, stage)
            and not any(weak == f.code and strong in found for strong, weak in DOMINATES)
        ]
        findings += extra
        found |= {f.code for f in extra}
    findings += too_long.find(draft, stage)
    findings += say_in_person.find(draft, stage)
    if "no_contact_breach" not in found:
        findings += no_contact_breach.find(draft, stage, findings)
    if any(f.severity is not Severity.MINOR and f.code != "too_long" for f in findings):
        # A tip about being specific is noise beside a real problem.
        findings = [f for f in findings if f.code != "generic"]
    elif "generic" not in found:
        findings += generic.find(draft, stage)
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return CheckResult(stage, text, tuple(findings), verdict(f.code for f in findings))
