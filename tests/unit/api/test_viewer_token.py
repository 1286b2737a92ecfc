"""The viewer's join token, decoded as a LiveKit server decodes it: exactly the grants of a hidden subscriber."""

from __future__ import annotations

import time

import jwt
import pytest

from ingress_studio.api.viewer_token import VIEWER_IDENTITY_PREFIX, VIEWER_TOKEN_TTL, viewer_token

KEY, SECRET = "APIviewertest", "a-secret-of-the-viewer-token-test-32b"


def decoded(token: str) -> dict[str, object]:
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_aud": False})
    assert isinstance(claims, dict)
    return claims


def test_the_token_grants_joining_one_room_hidden_to_subscribe_only() -> None:
    claims = decoded(viewer_token(KEY, SECRET, "studio-room"))
    assert claims["iss"] == KEY
    assert claims["video"] == {
        "roomJoin": True,
        "room": "studio-room",
        "canSubscribe": True,
        "canPublish": False,
        "canPublishData": False,
        "hidden": True,
    }


def test_each_token_has_its_own_hidden_identity() -> None:
    first, second = (decoded(viewer_token(KEY, SECRET, "r")) for _ in range(2))
    for claims in (first, second):
        assert isinstance(claims["sub"], str) and claims["sub"].startswith(VIEWER_IDENTITY_PREFIX)
        assert len(claims["sub"]) == len(VIEWER_IDENTITY_PREFIX) + 8
    assert first["sub"] != second["sub"]


def test_a_given_identity_is_kept() -> None:
    assert decoded(viewer_token(KEY, SECRET, "r", identity="me-watching"))["sub"] == "me-watching"


def test_the_token_expires() -> None:
    claims = decoded(viewer_token(KEY, SECRET, "r"))
    lifetime = int(str(claims["exp"])) - int(str(claims["nbf"]))
    assert lifetime == VIEWER_TOKEN_TTL.total_seconds()
    assert int(str(claims["exp"])) > time.time()


def test_another_secret_does_not_verify_it() -> None:
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(viewer_token(KEY, SECRET, "r"), "another-secret-of-32-bytes-or-more", algorithms=["HS256"])
