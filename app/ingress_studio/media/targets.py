"""Where a push goes: an RTMP(S) server + stream key, or a WHIP endpoint + bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ingress_studio.media.errors import TargetError
from ingress_studio.media.profiles import TargetKind
from ingress_studio.redaction import register_secret


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    url: str  # RTMP: server URL (the key is appended); WHIP: endpoint URL
    key: str  # RTMP stream key or WHIP bearer token ("" when already in the URL)
    label: str = ""

    @property
    def publish_url(self) -> str:
        if self.kind is TargetKind.RTMP and self.key:
            return self.url.rstrip("/") + "/" + self.key
        return self.url

    @property
    def name(self) -> str:
        """For messages and stats: the URL without the secret part."""
        return self.label or self.url

    def __repr__(self) -> str:
        return f"Target({self.kind.value}, {self.url!r})"


SCHEMES = {TargetKind.RTMP: ("rtmp", "rtmps"), TargetKind.WHIP: ("http", "https")}


def _target(kind: TargetKind, url: str, key: str, label: str) -> Target:
    schemes = SCHEMES[kind]
    allowed = " or ".join(f"{scheme}://" for scheme in schemes)
    article = "an" if kind is TargetKind.RTMP else "a"
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError as exc:  # e.g. "Invalid IPv6 URL", a port out of range
        raise TargetError(f"“{url}” is not a valid URL ({exc}).") from exc
    if parts.scheme.lower() not in schemes:
        raise TargetError(f"“{url}” is not {article} {kind.value.upper()} URL: it must start with {allowed}.")
    if not host:
        raise TargetError(f"“{url}” names no server: write it as {schemes[0]}://host[:port]/path.")
    register_secret(key)
    return Target(kind, url, key, label)


def rtmp_target(url: str, stream_key: str = "", label: str = "") -> Target:
    return _target(TargetKind.RTMP, url, stream_key, label)


def whip_target(url: str, token: str = "", label: str = "") -> Target:
    return _target(TargetKind.WHIP, url, token, label)
