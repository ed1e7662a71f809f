"""Scoring the reply reader against labelled replies (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from olivebranch.coach.reply import TONES, ReplyReading
from olivebranch.coach.tones import Tone


@dataclass
class ReplyReport:
    total: int = 0
    correct: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    ncr: int = 0
    ncr_found: int = 0
    ncr_false: int = 0
    logistics: int = 0
    logistics_found: int = 0
    logistics_false: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def f1(self, tone: str) -> float:
        tp = self.confusion.get((tone, tone), 0)
        fp = sum(n for (truth, read), n in self.confusion.items() if read == tone and truth != tone)
        fn = sum(n for (truth, read), n in self.confusion.items() if truth == tone and read != tone)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    @property
    def closing_read_as_warm(self) -> int:
        return sum(
            n
            for (truth, read), n in self.confusion.items()
            if truth in ("cool", "hostile") and read == "warm"
        )


def score_replies(rows: Sequence[Mapping[str, object]], readings: Sequence[ReplyReading]) -> ReplyReport:
    report = ReplyReport()
    for row, reading in zip(rows, readings, strict=True):
        truth = str(row["tone"])
        report.total += 1
        report.correct += truth == reading.tone.value
        key = (truth, reading.tone.value)
        report.confusion[key] = report.confusion.get(key, 0) + 1
        wanted = bool(row["no_contact_requested"])
        report.ncr += wanted
        report.ncr_found += wanted and reading.no_contact_requested
        report.ncr_false += reading.no_contact_requested and not wanted
        practical = bool(row["logistics"])
        report.logistics += practical
        report.logistics_found += practical and reading.logistics
        report.logistics_false += reading.logistics and not practical
    return report


def format_reply_report(name: str, report: ReplyReport) -> str:
    lines = [
        f"{name}: {report.total} replies",
        f"  tone accuracy                    {report.accuracy:6.1%}",
        f"  cool or hostile read as warm     {report.closing_read_as_warm}",
        f"  no_contact_requested recall      {report.ncr_found}/{report.ncr}"
        f"   (false alarms {report.ncr_false})",
        f"  logistics recall                 {report.logistics_found}/{report.logistics}"
        f"   (false alarms {report.logistics_false})",
        "  per-tone F1: " + "  ".join(f"{t.value} {report.f1(t.value):.2f}" for t in TONES),
        "  confusion (rows: labelled, columns: read): " + "  ".join(f"{t.value[:4]:>5}" for t in TONES),
    ]
    for truth in TONES:
        counts = "  ".join(f"{report.confusion.get((truth.value, r.value), 0):5d}" for r in TONES)
        lines.append(f"    {truth.value:<8} {counts}")
    return "\n".join(lines)


__all__ = ["ReplyReport", "Tone", "format_reply_report", "score_replies"]
