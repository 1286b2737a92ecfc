"""The base of every error a user can cause and fix: shown as its one sentence, never as a traceback."""

from __future__ import annotations


def as_sentence(text: str) -> str:
    """Text that ends like a sentence (someone else's words often do not)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


class UserError(Exception):
    """Bad input, a refused request, an unreachable server... `message` is the sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
