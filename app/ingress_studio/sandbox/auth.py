"""Access tokens as livekit-server checks them: HS256 JWT, issuer = API key, 1 minute leeway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

LEEWAY_S = 60
BEARER = "Bearer "


class AuthRejected(Exception):
    """Answered with HTTP 401 and this plain-text body, before any Twirp handling."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Grants:
    api_key: str
    video: dict[str, Any]

    @property
    def ingress_admin(self) -> bool:
        return bool(self.video.get("ingressAdmin"))


def authenticate(authorization: str | None, keys: dict[str, str]) -> Grants | None:
    """Grants of a valid token; None when no token was sent (the RPC then says "permissions denied")."""
    if not authorization:
        return None
    if not authorization.startswith(BEARER):
        raise AuthRejected("invalid authorization header. Must start with " + BEARER)
    token = authorization[len(BEARER) :]
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AuthRejected("invalid authorization token") from exc
    api_key = str(unverified.get("iss") or "")
    secret = keys.get(api_key)
    if not secret:
        raise AuthRejected("invalid API key")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=LEEWAY_S,
            options={"verify_aud": False, "require": ["iss"]},
        )
    except jwt.PyJWTError as exc:
        raise AuthRejected(f"invalid authorization token: {str(exc).lower()}") from exc
    video = claims.get("video")
    return Grants(api_key=api_key, video=video if isinstance(video, dict) else {})
