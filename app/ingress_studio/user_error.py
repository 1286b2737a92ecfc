"""The base of every error a user can cause and fix: shown as its one sentence, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input, a refused request, an unreachable server... `message` is the sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
