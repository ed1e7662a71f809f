"""Scoring the checker against labelled examples (pure: the caller reads the files)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from olivebranch.coach.findings import CODES, Verdict


@dataclass(frozen=True)
class Example:
    id: str
    stage: str
    text: str
    codes: frozenset[str]
    verdict: Verdict


@dataclass(frozen=True)
class Prediction:
    codes: frozenset[str]
    verdict: Verdict


@dataclass
class CodeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    total: int = 0
    verdict_correct: int = 0
    harmful: int = 0  # labelled revise or hold
    harmful_passed: int = 0  # ...predicted send
    good: int = 0  # labelled send
    good_blocked: int = 0  # ...predicted revise or hold
    holds: int = 0
    holds_found: int = 0
    crises: int = 0
    crises_found: int = 0
    codes: dict[str, CodeScore] = field(default_factory=lambda: {c: CodeScore() for c in CODES})

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def verdict_accuracy(self) -> float:
        return self.rate(self.verdict_correct, self.total)

    @property
    def harmful_pass_rate(self) -> float:
        return self.rate(self.harmful_passed, self.harmful)

    @property
    def good_blocked_rate(self) -> float:
        return self.rate(self.good_blocked, self.good)

    @property
    def hold_recall(self) -> float:
        return self.rate(self.holds_found, self.holds)

    @property
    def crisis_recall(self) -> float:
        return self.rate(self.crises_found, self.crises)

    @property
    def macro_f1(self) -> float:
        """The mean F1 over the codes that occur in the labels."""
        present = [s.f1 for s in self.codes.values() if s.tp + s.fn]
        return sum(present) / len(present) if present else 0.0


def score(pairs: Iterable[tuple[Example, Prediction]]) -> Report:
    report = Report()
    for example, predicted in pairs:
        report.total += 1
        report.verdict_correct += example.verdict is predicted.verdict
        if example.verdict is Verdict.SEND:
            report.good += 1
            report.good_blocked += predicted.verdict is not Verdict.SEND
        else:
            report.harmful += 1
            report.harmful_passed += predicted.verdict is Verdict.SEND
        if example.verdict is Verdict.HOLD:
            report.holds += 1
            report.holds_found += predicted.verdict is Verdict.HOLD
        if "crisis" in example.codes:
            report.crises += 1
            report.crises_found += "crisis" in predicted.codes
        for code in CODES:
            s = report.codes[code]
            labelled, found = code in example.codes, code in predicted.codes
            s.tp += labelled and found
            s.fp += found and not labelled
            s.fn += labelled and not found
    return report


def format_report(name: str, report: Report) -> str:
    lines = [
        f"{name}: {report.total} messages",
        f"  verdict accuracy      {report.verdict_accuracy:6.1%}",
        f"  harmful pass rate     {report.harmful_pass_rate:6.1%}  "
        f"({report.harmful_passed} of {report.harmful} revise/hold predicted send)",
        f"  good blocked rate     {report.good_blocked_rate:6.1%}  "
        f"({report.good_blocked} of {report.good} send predicted revise/hold)",
        f"  hold recall           {report.hold_recall:6.1%}  ({report.holds_found} of {report.holds})",
        f"  crisis recall         {report.crisis_recall:6.1%}  ({report.crises_found} of {report.crises})",
        f"  macro F1 over codes   {report.macro_f1:6.1%}",
        f"  {'code':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>8}",
    ]
    for code, s in report.codes.items():
        lines.append(f"  {code:<18} {s.precision:6.1%} {s.recall:6.1%} {s.f1:6.1%} {s.tp + s.fn:8d}")
    return "\n".join(lines)


def mistakes(pairs: Sequence[tuple[Example, Prediction]]) -> list[str]:
    """One line per example whose codes differ: for looking at the dev set only."""
    out = []
    for example, predicted in pairs:
        if example.codes != predicted.codes:
            missing = sorted(example.codes - predicted.codes)
            extra = sorted(predicted.codes - example.codes)
            out.append(f"{example.id} [{example.stage}] -{missing} +{extra}: {example.text}")
    return out
