"""The web app's clock: the real time, or (for browser tests only) a moment that tests move."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

TEST_CLOCK_ENV = "OLIVEBRANCH_TEST_CLOCK"
#: Where a moved test clock keeps its offset, in the data directory, so every worker process sees it.
TEST_CLOCK_FILE = "test-clock"


class Clock:
    """Real time plus an offset. Only a test clock can be moved.

    With ``shared``, the offset lives in that file (seconds, as text) rather
    than in this process, so a move made through one worker holds in all.
    """

    def __init__(self, movable: bool = False, shared: Path | None = None) -> None:
        self.movable = movable
        self._shared = shared if movable else None
        self._offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self._current_offset()

    def _current_offset(self) -> timedelta:
        if self._shared is None:
            with self._lock:
                return self._offset
        try:
            return timedelta(seconds=float(self._shared.read_text(encoding="ascii")))
        except (FileNotFoundError, ValueError):
            return timedelta()

    def move_to(self, moment: datetime) -> None:
        """Make "now" this moment from here on (time keeps running from it)."""
        if not self.movable:
            raise PermissionError("this clock cannot be moved")
        offset = moment - datetime.now(UTC)
        if self._shared is None:
            with self._lock:
                self._offset = offset
            return
        # Written whole and then renamed, so a reader never sees half a number.
        self._shared.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self._shared.with_name(f"{self._shared.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_text(repr(offset.total_seconds()), encoding="ascii")
        partial.replace(self._shared)
