"""Tokens as livekit-server checks them: plain-text 401s, and the ingressAdmin grant."""

from __future__ import annotations

import datetime
import json

import jwt
import pytest

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from support.sandbox_process import SandboxServer
from support.twirp_raw import post_json, token


async def test_wrong_secret_is_a_plain_text_401(sandbox: SandboxServer) -> None:
    status, headers, body = await post_json(sandbox.url, "ListIngress", {}, token(secret="not-the-secret"))
    assert status == 401
    assert headers["Content-Type"].startswith("text/plain")
    assert body.startswith("invalid authorization token: ")
    with pytest.raises(ApiError) as caught:
        async with IngressClient(sandbox.project(secret="not-the-secret")) as client:
            await client.list()
    assert caught.value.status == 401
    assert "rejected the API key or secret" in caught.value.message


async def test_unknown_api_key_is_a_plain_text_401(sandbox: SandboxServer) -> None:
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, token(key="otherkey"))
    assert (status, body) == (401, "invalid API key")


async def test_malformed_header_and_garbage_token(sandbox: SandboxServer) -> None:
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, headers={"Authorization": "Basic abc"})
    assert (status, body) == (401, "invalid authorization header. Must start with Bearer ")
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, "not-a-jwt")
    assert (status, body) == (401, "invalid authorization token")


async def test_token_without_ingress_admin_is_permission_denied(sandbox: SandboxServer) -> None:
    status, headers, body = await post_json(sandbox.url, "ListIngress", {}, token(ingress_admin=False))
    assert status == 401 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"code": "unauthenticated", "msg": "permissions denied"}
    status, _, body = await post_json(sandbox.url, "ListIngress", {})  # no token at all
    assert json.loads(body) == {"code": "unauthenticated", "msg": "permissions denied"}


async def test_expiry_has_one_minute_leeway(sandbox: SandboxServer) -> None:
    now = datetime.datetime.now(datetime.UTC)

    def signed(expired_seconds_ago: int) -> str:
        claims = {
            "iss": "devkey",
            "nbf": int((now - datetime.timedelta(hours=1)).timestamp()),
            "exp": int((now - datetime.timedelta(seconds=expired_seconds_ago)).timestamp()),
            "video": {"ingressAdmin": True},
        }
        return jwt.encode(claims, "secret", algorithm="HS256")

    status, _, _ = await post_json(sandbox.url, "ListIngress", {}, signed(20))
    assert status == 200
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, signed(300))
    assert status == 401 and "expired" in body
