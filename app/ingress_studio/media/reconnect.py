"""When to try again after the network drops us: OBS's rhythm (2 s, then x1.5 each time, up to 5 % jitter, 25 tries)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class ReconnectPolicy:
    first_delay_s: float = 2.0
    factor: float = 1.5
    max_delay_s: float = 60.0
    jitter: float = 0.05
    max_attempts: int = 25

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number `attempt` (1-based)."""
        base = min(self.first_delay_s * self.factor ** (attempt - 1), self.max_delay_s)
        return base * (1 + (rng or random).uniform(0, self.jitter))

    def gives_up_after(self, attempt: int) -> bool:
        return attempt >= self.max_attempts
