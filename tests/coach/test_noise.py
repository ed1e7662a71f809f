"""The noise test: everyday messages must not be flagged (a false-positive budget).

It runs the whole checker, rules and learned model together, as `check` does.
"""

from __future__ import annotations

import json
from pathlib import Path

from olivebranch.checking import check_text
from olivebranch.coach.stages import Stage

BENIGN = Path(__file__).parent.parent.parent / "corpus" / "benign" / "everyday.jsonl"
BUDGET = 0.02
TIPS = {"too_long", "generic"}


def test_the_benign_corpus_is_big_enough_to_mean_something() -> None:
    rows = [json.loads(line) for line in BENIGN.read_text().splitlines()]
    assert len(rows) >= 500
    assert len({r["text"] for r in rows}) == len(rows)


def test_everyday_messages_stay_within_the_false_positive_budget() -> None:
    rows = [json.loads(line) for line in BENIGN.read_text().splitlines()]
    flagged = [
        (r["id"], sorted({f.code for f in check_text(r["text"], Stage.REBUILDING).findings} - TIPS))
        for r in rows
    ]
    flagged = [(ident, codes) for ident, codes in flagged if codes]
    assert len(flagged) <= BUDGET * len(rows), flagged
