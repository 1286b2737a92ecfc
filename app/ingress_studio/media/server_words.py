"""What a server says (a refusal's reason), made safe to show: one line, printable characters, bounded."""

from __future__ import annotations

MAX_CHARS = 200


def one_line(text: str) -> str | None:
    """The first non-empty line without control characters (a hostile server could send terminal escapes)."""
    for line in text.strip().splitlines():
        clean = "".join(ch for ch in line if ch.isprintable()).strip()
        if clean:
            return clean[:MAX_CHARS]
    return None
