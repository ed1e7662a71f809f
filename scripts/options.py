"""The training scripts' `--name=value` options, read from the command line."""

from __future__ import annotations

import sys


def option(name: str, default: str) -> str:
    """The value of ``--name=value`` on the command line, or ``default``."""
    prefix = f"--{name}="
    return next((a.removeprefix(prefix) for a in sys.argv if a.startswith(prefix)), default)
