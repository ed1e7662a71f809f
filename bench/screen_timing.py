"""Time (and optionally profile) the safety screen on 500 training texts, in one process.

    .venv/bin/python bench/screen_timing.py [--profile] [--rules-only]

The texts are the first 500 of corpus/screen/train*.jsonl (training files only),
screened once to warm up, then timed one by one. Prints the median and p95 in ms.
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
    rows = [
        json.loads(line)["text"]
        for path in sorted((ROOT / "corpus" / "screen").glob("train*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    return rows[:count]


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
    times = []
    for text in chosen:
        t0 = time.perf_counter()
        screen(text, found)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    label = "rules only" if "--rules-only" in sys.argv else "rules and model"
    print(
        f"screen, {label}, {len(chosen)} training texts: median {statistics.median(times):.2f} ms"
        f"   p95 {times[int(len(times) * 0.95)]:.2f} ms"
    )


if __name__ == "__main__":
    main()
