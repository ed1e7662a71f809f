"""The web app's clock: the real time, or (for browser tests only) a moment that tests move."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

TEST_CLOCK_ENV = "OLIVEBRANCH_TEST_CLOCK"


class Clock:
    """Real time plus an offset. Only a test clock can be moved."""

    def __init__(self, movable: bool = False) -> None:
        self.movable = movable
        self._offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def move_to(self, moment: datetime) -> None:
        """Make "now" this moment from here on (time keeps running from it)."""
        if not self.movable:
            raise PermissionError("this clock cannot be moved")
        with self._lock:
            self._offset = moment - datetime.now(UTC)
