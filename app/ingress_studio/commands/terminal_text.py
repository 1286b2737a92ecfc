"""Text from a server or a file, made safe to print on a terminal.

An ingress name is whatever someone typed into the API: an ESC starts a terminal escape sequence (which
can recolour, retitle or clear the terminal), a newline breaks the table, a bidi override reorders what
follows. Such characters are shown as escapes (`\\x1b`, `\\n`, `\\u202e`) instead.
"""

from __future__ import annotations

import unicodedata

from ingress_studio.redaction import redact

SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters that reorder text on screen (Unicode bidi embeddings, overrides, isolates and marks).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_unsafe(ch: str) -> bool:
    # Cc: C0, DEL and C1 controls; Zl/Zp: line and paragraph separators, which some terminals break lines on
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def _escape(ch: str) -> str:
    if ch in SHORT_ESCAPES:
        return SHORT_ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, separator and bidi character written as an escape."""
    if text.isprintable():  # the common case, checked in C
        return text
    return "".join(_escape(ch) if _is_unsafe(ch) else ch for ch in text)


def message_line(text: str) -> str:
    """An error or status line for the terminal: printable, and with secrets masked (a stream key in a
    URL, a token), as in the log. Listings that show a key on purpose use printable() alone."""
    return printable(redact(text))
