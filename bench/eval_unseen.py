"""`make eval-unseen`: the figures on every batch kept as unseen text (scripts/options.py UNSEEN),
the measure of text written by someone new; the freshest batches, on which nothing has been
chosen, are the cleanest. The held-out sets stay with `make eval`.

Usage: python bench/eval_unseen.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from options import UNSEEN  # noqa: E402

SCRIPTS = {"checker": "eval_checker.py", "screen": "eval_screen.py", "replies": "eval_replies.py"}


def main() -> int:
    for corpus, script in SCRIPTS.items():
        files = [str(ROOT / "corpus" / corpus / f"{name}.jsonl") for name in sorted(UNSEEN[corpus])]
        done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *files], check=False)
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
