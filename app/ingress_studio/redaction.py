"""Removes secrets (API secrets, JWTs, stream keys, URL passwords) from text before it is logged or shown.

Values are redacted, never words: after a name that says a secret follows ("token:", "stream key:"), a
value is masked only where it is shaped like a credential, so "invalid token: signature verification
failed" reads as written.
"""

from __future__ import annotations

import re
import threading

MASK = "[redacted]"
MIN_SECRET_LENGTH = 8
# Shorter "credentials" after a name are not worth hiding and are usually words or numbers of a message.
MIN_TOKEN_LENGTH = 6

# A JWT or any piece of one that keeps its start: a base64url JSON object begins '{"' -> "eyJ", then
# more dot-separated segments, possibly cut short (aiohttp's "Got more than 8190 bytes" quotes a prefix).
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]+)*")
# The characters of a credential (RFC 6750 b64token): base64, base64url, hex, JWTs, LiveKit keys.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]+")
# A command-line option that takes a secret: its argument is always the value.
_OPTION = re.compile(r"(?i)(--(?:api-secret|stream-key|token|password)(?:=|\s+))([^\s\"']+)")
# key=value / key: value / "key": "value", where the name says a secret follows. (A value already
# masked is taken whole, so redacting twice changes nothing.)
_NAMED = re.compile(
    r"""(?ix)
    (?P<name>(?:stream[\s_-]?key|secret|token|password|passwd|authorization)["']?)
    (?P<separator>\s*[:=]\s*)
    (?:
        (?P<quote>["'])(?P<quoted>[^"'\n]+)(?P=quote)
      | (?P<scheme>(?:Bearer|Basic)\s+)?(?P<bare>"""
    + re.escape(MASK)
    + r"""|[^\s"',&;)}\[\]]+)
    )
    """
)
# "Bearer <credential>" anywhere, e.g. a header value quoted in an HTTP parser's error.
_BEARER = re.compile(r"(?i)(\b(?:Bearer|Basic)\s+)([A-Za-z0-9._~+/=-]+)")
# rtmp(s)://host/app[/more]/KEY: the last path segment of a publish URL is the stream key.
# (A key never ends in ":": that is prose after the URL, "…/KEY: connection refused".)
_RTMP_KEY = re.compile(r"(rtmps?://[^\s/]+/(?:[^\s/?#\"']+/)+)([^\s/?#\"']*[^\s/?#\"':])")
# WHIP publish URL with the key in the path: http(s)://host/w/KEY[/resource]
_WHIP_KEY = re.compile(r"(https?://[^\s/]+/w/)([^\s/?#\"']*[^\s/?#\"':])")
# The password of a URL's user info: scheme://user:PASSWORD@host (an RTMP relay, a proxy).
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s/@:]+:)([^\s/?#@]+)(?=@)")
# A query parameter whose name says it carries a key or a signature (?key=, &X-Amz-Signature=, &auth=):
# in a URL the value is always a credential. (token=, secret=, password= are _NAMED's.)
_QUERY_SECRET = re.compile(r"(?i)([?&](?:[\w.-]*[_-])?(?:key|sig|signature|passphrase|auth)=)([^\s&#\"']+)")
# Values after "name=" that say there is no secret.
_NO_VALUE = frozenset({"none", "null", "nil", "true", "false"})
# Sentence punctuation that may follow a value in prose ("token: expired.").
_TRAILING_PUNCTUATION = ".,:;!?"

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


def looks_like_credential(value: str) -> bool:
    """True for a token-shaped value (letters mixed with digits, symbols or mixed case), false for a word.

    A word is letters only in one case or capitalised ("signature", "Expired", "MISSING"): what follows
    "token:" in an error message rather than in a credential.
    """
    if len(value) < MIN_TOKEN_LENGTH or not _TOKEN.fullmatch(value):
        return False
    return not (value.isalpha() and (value.islower() or value.isupper() or value.istitle()))


def _mask_named(match: re.Match[str]) -> str:
    head = match.group("name") + match.group("separator")
    quoted = match.group("quoted")
    if quoted is not None:  # a quoted value ("stream_key": "...") is a value whole
        quote = match.group("quote")
        return f"{head}{quote}{MASK}{quote}"
    scheme = match.group("scheme") or ""
    bare = match.group("bare")
    if bare == MASK:
        return match.group(0)
    value = bare.rstrip(_TRAILING_PUNCTUATION)
    trailing = bare[len(value) :]
    if "=" in match.group("separator"):  # an assignment: whatever follows is the value
        secret = bool(value) and value.lower() not in _NO_VALUE
    else:  # "name: ..." is also how messages read: only a credential-shaped value is one
        secret = looks_like_credential(value)
    return f"{head}{scheme}{MASK}{trailing}" if secret else match.group(0)


def _mask_bearer(match: re.Match[str]) -> str:
    return match.group(1) + MASK if looks_like_credential(match.group(2)) else match.group(0)


def redact(text: str) -> str:
    """Return text with every known or recognisable secret replaced by a mask."""
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for value in known:
        text = text.replace(value, MASK)
    text = _JWT.sub(MASK, text)
    text = _OPTION.sub(lambda m: m.group(1) + MASK, text)
    text = _NAMED.sub(_mask_named, text)
    text = _BEARER.sub(_mask_bearer, text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK, text)
    text = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    text = _RTMP_KEY.sub(lambda m: m.group(1) + MASK, text)
    return _WHIP_KEY.sub(lambda m: m.group(1) + MASK, text)
