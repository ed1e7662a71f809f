"""Time (and optionally profile) the safety screen on 500 training texts, in one process.

    .venv/bin/python bench/screen_timing.py [--profile] [--rules-only] [--check-and-screen] [--drafts]

The texts are the first 500 of corpus/screen/train*.jsonl (training files only),
screened once to warm up, then timed one by one. Prints the median and p95 in ms.
``--check-and-screen`` times what the web app does with a draft: the checker's
check (with its suggestion) and then the screen, on the same text; ``--drafts``
takes the first 500 of corpus/checker/dev.jsonl instead.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent


def texts(count: int = 500) -> list[str]:
    """Screen training texts, or with ``--drafts`` the checker's training drafts."""
    if "--drafts" in sys.argv:
        paths = [ROOT / "corpus" / "checker" / "dev.jsonl"]
    else:
        # train.jsonl, train-2.jsonl, ... in batch order, so a new batch never changes the sample
        paths = sorted(
            (ROOT / "corpus" / "screen").glob("train*.jsonl"),
            key=lambda p: int(p.stem.partition("-")[2] or 1),
        )
    assert not any("heldout" in p.name for p in paths)
    rows = [json.loads(line) for path in paths for line in path.read_text().splitlines() if line.strip()]
    return [row["text"] for row in rows[:count]]


def main() -> None:
    from olivebranch.safety.screen import screen
    from olivebranch.safety_screen import detectors

    chosen = texts()
    found = [] if "--rules-only" in sys.argv else detectors()
    for text in chosen:
        screen(text, found)  # warm: rules compiled, model loaded
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        for text in chosen:
            screen(text, found)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return
    both = "--check-and-screen" in sys.argv
    if both:
        from olivebranch.checking import check_text
        from olivebranch.coach.stages import Stage

        for text in chosen[:50]:
            check_text(text, Stage.REBUILDING)
    times = []
    for text in chosen:
        t0 = time.perf_counter()
        if both:
            check_text(text, Stage.REBUILDING)
        screen(text, found)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    label = "rules only" if "--rules-only" in sys.argv else "rules and model"
    label = f"check, then {label}" if both else label
    print(
        f"screen, {label}, {len(chosen)} training texts: median {statistics.median(times):.2f} ms"
        f"   p95 {times[int(len(times) * 0.95)]:.2f} ms"
    )


if __name__ == "__main__":
    main()
