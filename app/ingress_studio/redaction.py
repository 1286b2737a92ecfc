"""Removes secrets (API secrets, JWTs, stream keys) from text before it is logged or shown."""

from __future__ import annotations

import re
import threading

MASK = "[redacted]"
MIN_SECRET_LENGTH = 8

# A JWT is three base64url parts; the header always starts with '{"' -> "eyJ".
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")
# key=value / "key": "value" pairs whose name says they hold a secret.
_NAMED = re.compile(
    r"""(?ix)
    (["']?(?:api_?secret|apiSecret|secret|stream_?key|streamKey|token|password|authorization)["']?
     \s*[:=]\s*["']?)
    (?:Bearer\s+)?([^\s"',&}]+)
    """
)
# rtmp(s)://host/app/KEY: the last path segment of a publish URL is the stream key.
_RTMP_KEY = re.compile(r"(rtmps?://[^\s/]+/[^\s/]+/)([^\s/?\"']+)")
# WHIP publish URL with the key in the path: http(s)://host/w/KEY
_WHIP_KEY = re.compile(r"(https?://[^\s/]+/w/)([^\s/?\"']+)")

_known_lock = threading.Lock()
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value (API secret, stream key) so it is masked wherever it appears.

    Values shorter than 8 characters are not worth hiding and would mangle ordinary words (the
    public dev secret is literally "secret").
    """
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _known_lock:
            _known_secrets.add(value)


def redact(text: str) -> str:
    """Return text with every known or recognisable secret replaced by a mask."""
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for value in known:
        text = text.replace(value, MASK)
    text = _JWT.sub(MASK, text)
    text = _NAMED.sub(lambda m: m.group(1) + MASK, text)
    text = _RTMP_KEY.sub(lambda m: m.group(1) + MASK, text)
    return _WHIP_KEY.sub(lambda m: m.group(1) + MASK, text)
