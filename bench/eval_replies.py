"""`make eval`: score the reply reader on labelled replies and print the figures.

Usage: python bench/eval_replies.py FILE.jsonl [...]
Each line: {"id", "text", "tone", "no_contact_requested", "logistics"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from olivebranch.coach.reply import default_reader
from olivebranch.coach.reply_eval import format_reply_report, score_replies


def main(argv: list[str]) -> int:
    reader = default_reader()
    if reader is None or not argv:
        print(__doc__)
        return 2
    for name in argv:
        path = Path(name)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(format_reply_report(str(path), score_replies(rows, [reader(r["text"]) for r in rows])))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
