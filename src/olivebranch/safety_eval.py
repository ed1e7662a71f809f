"""Scoring the safety screen against labelled texts (pure; the caller reads files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from olivebranch.coach.evaluation import CodeScore as FlagScore

FLAG_NAMES = ("crisis", "abuse", "harassment_risk")


@dataclass
class ScreenReport:
    total: int = 0
    ordinary: int = 0
    ordinary_flagged: int = 0
    flags: dict[str, FlagScore] = field(default_factory=lambda: {f: FlagScore() for f in FLAG_NAMES})

    @property
    def false_flag_rate(self) -> float:
        return self.ordinary_flagged / self.ordinary if self.ordinary else 0.0


def score_screen(rows: Sequence[Mapping[str, object]], predicted: Sequence[Sequence[str]]) -> ScreenReport:
    report = ScreenReport()
    for row, found in zip(rows, predicted, strict=True):
        labelled = set(row["flags"])  # type: ignore[call-overload]
        got = set(found)
        report.total += 1
        if not labelled:
            report.ordinary += 1
            report.ordinary_flagged += bool(got)
        for name in FLAG_NAMES:
            s = report.flags[name]
            s.tp += name in labelled and name in got
            s.fp += name in got and name not in labelled
            s.fn += name in labelled and name not in got
    return report


def format_screen_report(name: str, report: ScreenReport) -> str:
    lines = [
        f"{name}: {report.total} texts",
        f"  false flag rate on ordinary texts  {report.false_flag_rate:6.1%}"
        f"  ({report.ordinary_flagged} of {report.ordinary})",
        f"  {'flag':<17} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>8}",
    ]
    for flag, s in report.flags.items():
        lines.append(f"  {flag:<17} {s.precision:6.1%} {s.recall:6.1%} {s.f1:6.1%} {s.tp + s.fn:8d}")
    return "\n".join(lines)
