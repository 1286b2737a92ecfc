"""Tokens as livekit-server checks them: plain-text 401s, and the ingressAdmin grant."""

from __future__ import annotations

import base64
import datetime
import hmac
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


JWT_HEADER = b'{"alg": "HS256", "typ": "JWT"}'


def _signed(payload: bytes, secret: bytes = b"secret") -> str:
    """An HS256 token around any payload bytes (PyJWT's encode refuses some of the claims sent here)."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    signing_input = b64(JWT_HEADER) + "." + b64(payload)
    return f"{signing_input}.{b64(hmac.digest(secret, signing_input.encode(), 'sha256'))}"


def _token_with(**claims: object) -> str:
    now = datetime.datetime.now(datetime.UTC)
    base: dict[str, object] = {"iss": "devkey", "exp": int((now + datetime.timedelta(hours=1)).timestamp())}
    return _signed(json.dumps({**base, **claims}).encode())


MALFORMED_CLAIM = "invalid authorization token: token is malformed: could not JSON decode claim: "


@pytest.mark.parametrize("value", ["false", "true", 1, 0, [], {}], ids=repr)
async def test_ingress_admin_of_another_type_is_a_401(sandbox: SandboxServer, value: object) -> None:
    status, headers, body = await post_json(sandbox.url, "ListIngress", {}, _token_with(video={"ingressAdmin": value}))
    assert status == 401 and headers["Content-Type"].startswith("text/plain")
    assert body.startswith(MALFORMED_CLAIM) and "video.ingressAdmin of type bool" in body, body


async def test_ingress_admin_true_false_and_null(sandbox: SandboxServer) -> None:
    status, _, _ = await post_json(sandbox.url, "ListIngress", {}, _token_with(video={"ingressAdmin": True}))
    assert status == 200
    for video in ({"ingressAdmin": False}, {"ingressAdmin": None}, None, {}):
        status, _, body = await post_json(sandbox.url, "ListIngress", {}, _token_with(video=video))
        assert (status, json.loads(body)) == (401, {"code": "unauthenticated", "msg": "permissions denied"})


@pytest.mark.parametrize(
    "claims",
    [
        {"video": "x"},
        {"video": ["ingressAdmin"]},
        {"video": {"ingressAdmin": True, "roomJoin": "yes"}},  # any grant Go decodes, not only the one read here
        {"video": {"ingressAdmin": True, "room": 5}},
        {"video": {"ingressAdmin": True, "canPublishSources": "camera"}},
        {"video": {"ingressAdmin": True, "canPublishSources": [1]}},
        {"name": 5},
        {"metadata": {"a": 1}},
        {"kindDetails": "x"},
        {"attributes": {"a": 1}},
        {"attributes": ["a"]},
        {"sip": {"admin": "no"}},
        {"agent": True},
        {"roomConfig": "x"},
        {"roomConfig": {"name": 5}},
    ],
    ids=repr,
)
async def test_grants_of_another_type_are_a_401(sandbox: SandboxServer, claims: dict[str, object]) -> None:
    bearer = _token_with(**{"video": {"ingressAdmin": True}, **claims})
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, bearer)
    assert status == 401 and body.startswith(MALFORMED_CLAIM), body


@pytest.mark.parametrize("number", ["1e400", "1.5"])
async def test_a_number_no_enum_can_hold_is_a_401_not_a_crash(sandbox: SandboxServer, number: str) -> None:
    """Claims are read before the signature, so anyone who knows the (public) sandbox key can send these."""
    now = datetime.datetime.now(datetime.UTC)
    exp = int((now + datetime.timedelta(hours=1)).timestamp())
    room_config = '{"egress": {"room": {"fileOutputs": [{"fileType": NUMBER}]}}}'.replace("NUMBER", number)
    claims = f'{{"iss": "devkey", "exp": {exp}, "video": {{"ingressAdmin": true}}, "roomConfig": {room_config}}}'
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, _signed(claims.encode()))
    assert status == 401 and body.startswith(MALFORMED_CLAIM), body


async def test_unknown_claims_nulls_and_numeric_strings_are_fine(sandbox: SandboxServer) -> None:
    bearer = _token_with(
        video={"ingressAdmin": True, "room": None, "canPublish": None},
        anything={"goes": [1, "x"]},
        name=None,
        roomConfig={"name": "r", "notAField": 1},
        attributes={"a": "b", "c": None},
        aud=["x", "y"],
        nbf=str(int(datetime.datetime.now(datetime.UTC).timestamp()) - 10),  # Go takes a number in a string
    )
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, bearer)
    assert status == 200, body


@pytest.mark.parametrize(
    "claims",
    [{"iss": 5}, {"iss": ["devkey"]}, {"sub": 1}, {"aud": 5}, {"aud": ["a", 5]}, {"exp": "soon"}, {"nbf": True}],
    ids=repr,
)
async def test_registered_claims_of_another_type_are_a_401(sandbox: SandboxServer, claims: dict[str, object]) -> None:
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, _token_with(**claims))
    assert (status, body) == (401, "invalid authorization token")


async def test_json_that_is_not_json_is_a_401(sandbox: SandboxServer) -> None:
    for payload in (b'{"iss": "devkey", "exp": Infinity}', b'{"iss": "devkey", "exp": NaN}', b'["devkey"]'):
        status, _, body = await post_json(sandbox.url, "ListIngress", {}, _signed(payload))
        assert (status, body) == (401, "invalid authorization token")


async def test_exp_is_required_and_iat_is_not_checked(sandbox: SandboxServer) -> None:
    unsigned_forever = jwt.encode({"iss": "devkey", "video": {"ingressAdmin": True}}, "secret", algorithm="HS256")
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, unsigned_forever)
    assert (status, body) == (
        401,
        "invalid authorization token: token has invalid claims: token is missing required claim: exp claim is required",
    )
    in_an_hour = int((datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).timestamp())
    status, _, body = await post_json(
        sandbox.url, "ListIngress", {}, _token_with(iat=in_an_hour, video={"ingressAdmin": True})
    )
    assert status == 200, body  # a clock ahead of the server's is no reason to refuse
