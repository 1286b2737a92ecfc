"""Access tokens as livekit-server checks them: HS256 JWT, issuer = API key, exp required, 1 minute leeway,
claims of the types its Go code decodes them into."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jwt

from ingress_studio.sandbox.go_protojson import refuse_constant
from ingress_studio.sandbox.token_claims import claims_problem, registered_claims_problem

LEEWAY_S = 60
BEARER = "Bearer "
INVALID_TOKEN = "invalid authorization token"


class AuthRejected(Exception):
    """Answered with HTTP 401 and this plain-text body, before any Twirp handling."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Grants:
    api_key: str
    video: dict[str, Any]
    identity: str = ""
    name: str = ""

    @property
    def ingress_admin(self) -> bool:
        return self.video.get("ingressAdmin") is True


def _unverified_claims(token: str) -> dict[str, Any]:
    """The claims before the signature is checked (to find the API key), as strictly as Go reads JSON."""
    try:
        payload = jwt.PyJWS().decode_complete(token, options={"verify_signature": False})["payload"]
        claims = json.loads(payload, parse_constant=refuse_constant)
    except (jwt.PyJWTError, ValueError, TypeError, RecursionError) as exc:
        raise AuthRejected(INVALID_TOKEN) from exc
    if not isinstance(claims, dict) or registered_claims_problem(claims):
        raise AuthRejected(INVALID_TOKEN)
    return claims


def authenticate(authorization: str | None, keys: dict[str, str]) -> Grants | None:
    """Grants of a valid token; None when no token was sent (the RPC then says "permissions denied")."""
    if not authorization:
        return None
    if not authorization.startswith(BEARER):
        raise AuthRejected("invalid authorization header. Must start with " + BEARER)
    token = authorization[len(BEARER) :]
    claims = _unverified_claims(token)
    api_key = claims.get("iss") or ""
    secret = keys.get(api_key)
    if not secret:
        raise AuthRejected("invalid API key")
    problem = claims_problem(claims)  # Go decodes every claim before it checks the signature
    if problem:
        raise AuthRejected(f"{INVALID_TOKEN}: token is malformed: could not JSON decode claim: {problem}")
    try:
        jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=LEEWAY_S,
            # golang-jwt as livekit uses it: exp required, iat not checked
            options={"verify_aud": False, "verify_iat": False, "require": ["exp"]},
        )
    except jwt.MissingRequiredClaimError as exc:
        raise AuthRejected(
            f"{INVALID_TOKEN}: token has invalid claims: token is missing required claim: {exc.claim} claim is required"
        ) from exc
    except jwt.PyJWTError as exc:
        raise AuthRejected(f"{INVALID_TOKEN}: {str(exc).lower()}") from exc
    video = claims.get("video")
    return Grants(
        api_key=api_key,
        video=video if isinstance(video, dict) else {},
        identity=claims.get("sub") or claims.get("identity") or "",
        name=claims.get("name") or "",
    )
