"""`make eval`: score the checker on labelled JSONL files and print the figures.

Usage: python bench/eval_checker.py FILE.jsonl [...] [--benign=FILE] [--rules-only] [--mistakes]
Each line: {"id", "stage", "text", "codes": [...], "verdict": "send|revise|hold"}.
--mistakes lists the disagreements (use it on the dev set only, never on the
held-out set: that one is for reporting). --rules-only leaves the learned model out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from olivebranch.coach.checker import check
from olivebranch.coach.evaluation import Example, Prediction, format_report, mistakes, score
from olivebranch.coach.findings import Verdict
from olivebranch.coach.learned import default_detector
from olivebranch.coach.stages import Stage


def load(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        examples.append(
            Example(
                id=str(raw.get("id", number)),
                stage=raw["stage"],
                text=raw["text"],
                codes=frozenset(raw["codes"]),
                verdict=Verdict(raw["verdict"]),
            )
        )
    return examples


def predict(example: Example, rules_only: bool) -> Prediction:
    detector = None if rules_only else default_detector()
    result = check(example.text, Stage(example.stage), [detector] if detector else [])
    return Prediction(frozenset(result.codes), result.verdict)


def noise(path: Path, rules_only: bool) -> str:
    """The share of everyday messages given any finding but the tips, at stage rebuilding."""
    detector = None if rules_only else default_detector()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    flagged = sum(
        1
        for r in rows
        if {f.code for f in check(r["text"], Stage.REBUILDING, [detector] if detector else []).findings}
        - {"too_long", "generic"}
    )
    unseen = [r for r in rows if int(str(r["id"]).rsplit("-", 1)[1]) % 2 == 0]
    flagged_unseen = sum(
        1
        for r in unseen
        if {f.code for f in check(r["text"], Stage.REBUILDING, [detector] if detector else []).findings}
        - {"too_long", "generic"}
    )
    return (
        f"{path}: benign noise rate {flagged / len(rows):6.1%}  ({flagged} of {len(rows)} flagged); "
        f"on the half the model never saw (even ids) {flagged_unseen / len(unseen):6.1%}  "
        f"({flagged_unseen} of {len(unseen)})"
    )


def main(argv: list[str]) -> int:
    show = "--mistakes" in argv
    rules_only = "--rules-only" in argv
    benign = [Path(a.split("=", 1)[1]) for a in argv if a.startswith("--benign=")]
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        print(__doc__)
        return 2
    for path in paths:
        examples = load(path)
        pairs = [(e, predict(e, rules_only)) for e in examples]
        print(format_report(str(path), score(pairs)))
        if show:
            print("\n".join(mistakes(pairs)))
        print()
    for path in benign:
        print(noise(path, rules_only))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
