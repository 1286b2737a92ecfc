"""Glass-to-glass latency figures from clock stamps: the newest, and p50/p95 over the last seconds."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass

WINDOW_S = 10.0
MAX_SAMPLES = 3000  # 10 s of 300 fps: bounds the memory whatever the caller feeds


@dataclass(frozen=True)
class LatencyFigures:
    newest_ms: int | None
    p50_ms: int | None
    p95_ms: int | None

    def as_fields(self) -> dict[str, int | None]:
        """As the sandbox's levels route and watch's stats event name them (null: no stamp lately)."""
        return {"latency_ms": self.newest_ms, "latency_p50_ms": self.p50_ms, "latency_p95_ms": self.p95_ms}


NO_FIGURES = LatencyFigures(None, None, None)


class LatencyWindow:
    """Thread-safe: one thread adds what it reads off the pictures, another asks for the figures."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self._window_s = window_s
        self._samples: deque[tuple[float, int]] = deque(maxlen=MAX_SAMPLES)
        self._lock = threading.Lock()

    def add(self, latency_ms: int, now: float | None = None) -> None:
        with self._lock:
            self._samples.append((time.monotonic() if now is None else now, latency_ms))

    def figures(self, now: float | None = None) -> LatencyFigures:
        """Over the samples of the last window; all None once no stamp has been read for that long."""
        cutoff = (time.monotonic() if now is None else now) - self._window_s
        with self._lock:
            while self._samples and self._samples[0][0] < cutoff:
                self._samples.popleft()
            values = [latency for _, latency in self._samples]
        if not values:
            return NO_FIGURES
        ordered = sorted(values)
        return LatencyFigures(values[-1], _nearest_rank(ordered, 50), _nearest_rank(ordered, 95))


def _nearest_rank(ordered: list[int], percent: int) -> int:
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]
