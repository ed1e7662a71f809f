"""`make eval`: score the safety screen on labelled texts and print the figures.

Usage: python bench/eval_screen.py FILE.jsonl [...] [--rules-only]
Each line: {"id", "text", "flags": [...], ...}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from olivebranch.safety.screen import screen
from olivebranch.safety_eval import format_screen_report, score_screen
from olivebranch.safety_screen import detectors


def main(argv: list[str]) -> int:
    rules_only = "--rules-only" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        print(__doc__)
        return 2
    chosen = [] if rules_only else detectors()
    for path in paths:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        predicted = [[f.value for f in screen(r["text"], chosen).flags] for r in rows]
        print(format_screen_report(str(path), score_screen(rows, predicted)))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
