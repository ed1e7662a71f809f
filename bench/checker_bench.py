"""Checker figures for `make bench` (prints, asserts nothing).

1. single-message latency in process (median and 95th percentile over the dev set);
2. throughput of `olivebranch check --jsonl` on 10,000 messages;
3. CLI cold start to the first result.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from olivebranch.coach.checker import check
from olivebranch.coach.stages import Stage

ROOT = Path(__file__).parent.parent
SCRIPT = str(Path(sys.executable).with_name("olivebranch"))
STAGES = [s.value for s in Stage]


def corpus() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (ROOT / "corpus/checker/dev.jsonl").read_text().splitlines()]
    benign = [json.loads(line) for line in (ROOT / "corpus/benign/everyday.jsonl").read_text().splitlines()]
    drafts = [(r["stage"], r["text"]) for r in rows]
    drafts += [(STAGES[i % len(STAGES)], r["text"]) for i, r in enumerate(benign)]
    return drafts


def main() -> None:
    drafts = corpus()
    for stage, text in drafts[:50]:
        check(text, Stage(stage))  # load the phrase files, as a running app would have
    times = []
    for stage, text in drafts:
        t0 = time.perf_counter()
        check(text, Stage(stage))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(
        f"{'single message, in process':<44} median {statistics.median(times):6.2f} ms   "
        f"p95 {p95:6.2f} ms   over {len(times)} drafts"
    )

    env = {k: v for k, v in os.environ.items() if not k.startswith("OLIVEBRANCH_")}
    with tempfile.TemporaryDirectory() as tmp:
        env["OLIVEBRANCH_DATA_DIR"] = tmp
        source = Path(tmp) / "drafts.jsonl"
        with source.open("w") as handle:
            for i in range(10_000):
                stage, text = drafts[i % len(drafts)]
                handle.write(json.dumps({"id": i, "stage": stage, "text": text}) + "\n")
        t0 = time.perf_counter()
        done = subprocess.run(
            [SCRIPT, "check", "--jsonl", str(source)], env=env, capture_output=True, check=True
        )
        elapsed = time.perf_counter() - t0
        count = len(done.stdout.splitlines())
        print(
            f"{'check --jsonl, 10,000 messages':<44} {elapsed:6.2f} s total   "
            f"{count / elapsed:8.0f} messages/s"
        )

        runs = []
        for _ in range(7):
            t0 = time.perf_counter()
            subprocess.run(
                [SCRIPT, "check", "--stage", "first_contact", "--json", "saw a heron today"],
                env=env,
                capture_output=True,
                check=True,
            )
            runs.append((time.perf_counter() - t0) * 1000)
        print(
            f"{'CLI cold start to first result (check)':<44} median {statistics.median(runs):6.0f} ms   "
            f"min {min(runs):6.0f} ms"
        )


if __name__ == "__main__":
    main()
