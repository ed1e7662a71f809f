"""Checker figures for `make bench` (prints, asserts nothing).

1. single-message latency in process, rules and model, one thread (goal: p50 at most 10 ms);
2. throughput of `olivebranch check --jsonl` on 10,000 messages (goal: 150 messages/s);
3. CLI cold start to the first result (goal: under 1 s);
4. peak memory of the batch run (goal: under 400 MB);
5. installed size of the runtime dependencies.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import distribution, requires
from pathlib import Path

from olivebranch.checking import check_text
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
        check_text(text, Stage(stage))  # load the phrase files and the model, as an app would have
    times = []
    for stage, text in drafts:
        t0 = time.perf_counter()
        check_text(text, Stage(stage))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(
        f"{'single message, in process (goal p50 <= 10)':<44} median {statistics.median(times):6.2f} ms   "
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
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{'check --jsonl, 10,000 messages (goal 150/s)':<44} {elapsed:6.2f} s total   "
            f"{count / elapsed:8.0f} messages/s"
        )
        print(f"{'peak memory of that run (goal < 400 MB)':<44} {peak:6.0f} MB")

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
            f"{'CLI cold start to first result (goal < 1 s)':<44} median {statistics.median(runs):6.0f} ms   "
            f"min {min(runs):6.0f} ms"
        )


def suggestion_and_reply_latency() -> None:
    """A suggestion (with its re-check), and reading a reply, in process."""
    from olivebranch.coach.reply import default_reader

    revise = [(s, t) for s, t in corpus() if check_text(t, Stage(s)).verdict.value == "revise"][:300]
    times = []
    for stage, text in revise:
        t0 = time.perf_counter()
        check_text(text, Stage(stage))  # the check, the rewrite and its re-check
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"{'check with a suggestion (goal p50 < 20 ms)':<44} median {statistics.median(times):6.2f} ms"
        f"   over {len(times)} drafts to revise"
    )
    reader = default_reader()
    assert reader is not None
    replies = [
        json.loads(line)["text"]
        for line in (ROOT / "corpus/replies/train.jsonl").read_text().splitlines()
        if line.strip()
    ]
    reader(replies[0])
    times = []
    for text in replies:
        t0 = time.perf_counter()
        reader(text)
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"{'reading a reply (goal p50 < 10 ms)':<44} median {statistics.median(times):6.2f} ms"
        f"   over {len(replies)} replies"
    )


def screen_latency() -> None:
    """The safety screen on one text, rules and model, in process (goal: at most 5 ms)."""
    from olivebranch.safety_screen import screen_text

    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "corpus/screen/heldout.jsonl").read_text().splitlines()
        if line.strip()
    ]
    screen_text(texts[0])
    times = []
    for text in texts:
        t0 = time.perf_counter()
        screen_text(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        f"{'screening a text (goal <= 5 ms)':<44} median {statistics.median(times):6.2f} ms"
        f"   p95 {times[int(len(times) * 0.95)]:6.2f} ms   over {len(texts)} texts"
    )


def installed_size() -> None:
    """The runtime dependencies of olivebranch, recursively, as installed."""
    seen: set[str] = set()
    todo = ["olivebranch"]
    total = 0
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = distribution(name)
        except Exception:
            continue
        if key != "olivebranch":
            total += sum(
                (f.locate().stat().st_size for f in dist.files or [] if Path(str(f.locate())).is_file()),
                0,
            )
        for requirement in requires(name) or []:
            if "extra ==" in requirement:
                continue
            todo.append(
                requirement.split(";")[0].split("[")[0].split("=")[0].split("<")[0].split(">")[0].strip()
            )
    print(f"{'installed size of runtime dependencies':<44} {total / 1e6:6.0f} MB ({len(seen) - 1} packages)")


if __name__ == "__main__":
    main()
    suggestion_and_reply_latency()
    screen_latency()
    installed_size()
