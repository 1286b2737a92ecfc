"""JSON bodies as Go twirp + protojson take them (livekit/protocol's generated server): what protojson
refuses is Twirp `malformed` "the json request could not be decoded" (HTTP 400), and what it accepts
is served, including unknown fields (DiscardUnknown) and anything after the first JSON value (Go's
json.Decoder never reads it)."""

from __future__ import annotations

import json

import aiohttp
import pytest

from support.sandbox_process import SandboxServer
from support.twirp_raw import token


def _create(extra: str) -> str:
    """A CreateIngress body that is valid but for `extra`."""
    return '{"inputType": "RTMP_INPUT", "roomName": "strict", "participantIdentity": "p", ' + extra + "}"


REFUSED_CREATES = {
    "message as a string": _create('"video": "x"'),
    "message as an array": _create('"video": ["source"]'),
    "message as a number": _create('"audio": 1'),
    "nested message as a string": _create('"audio": {"options": "x"}'),
    "string as a number": _create('"name": 1'),
    "bool as a string": _create('"enabled": "true"'),
    "bool as a number": _create('"enabled": 1'),
    "enum as a bool": '{"inputType": true, "roomName": "strict", "participantIdentity": "p"}',
    "a field twice": _create('"name": "a", "name": "b"'),
    "a field by both names": _create('"participant_identity": "q"'),
    "NaN": _create('"video": {"options": {"frameRate": NaN}}'),
    "Infinity": _create('"video": {"options": {"frameRate": Infinity}}'),
    "an enum too big for any number": '{"inputType": 1e400, "roomName": "strict", "participantIdentity": "p"}',
    "an enum that is not whole": '{"inputType": 1.5, "roomName": "strict", "participantIdentity": "p"}',
    "top-level string": '"x"',
    "top-level array": "[]",
    "top-level array of objects": '[{"roomName": "strict"}]',
    "top-level number": "1",
    "top-level true": "true",
    "top-level null": "null",
    "empty body": "",
    "only whitespace": " \n\t ",
    "truncated": '{"roomName": "strict"',
    "byte order mark": "\ufeff{}",
    "deep nesting": "[" * 100_000,
}


async def _post(server: SandboxServer, method: str, body: bytes) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token()}", "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}/twirp/livekit.Ingress/{method}", data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


async def _count(server: SandboxServer) -> int:
    status, body = await _post(server, "ListIngress", b"{}")
    assert status == 200, body
    return len(json.loads(body)["items"])


def _assert_malformed(status: int, body: str) -> None:
    assert status == 400, body
    answer = json.loads(body)
    assert (answer["code"], answer["msg"]) == ("malformed", "the json request could not be decoded"), answer


@pytest.mark.parametrize("body", REFUSED_CREATES.values(), ids=REFUSED_CREATES.keys())
async def test_what_protojson_refuses_is_malformed(sandbox: SandboxServer, body: str) -> None:
    before = await _count(sandbox)
    _assert_malformed(*await _post(sandbox, "CreateIngress", body.encode()))
    assert await _count(sandbox) == before


@pytest.mark.parametrize(
    "body",
    [b'{"roomName": "\xff"}', b'{"roomName": "\xed\xa0\x80"}', b'\xff{"roomName": "x"}'],
    ids=["invalid byte in a string", "encoded surrogate", "invalid byte before the value"],
)
async def test_json_that_is_not_utf8_is_malformed(sandbox: SandboxServer, body: bytes) -> None:
    _assert_malformed(*await _post(sandbox, "ListIngress", body))


@pytest.mark.parametrize(
    "body",
    [
        b'{"unknownField": {"a": [1, {"b": null}]}, "roomName": "r"}',
        b'{"roomName": null, "pageToken": null}',
        b' \r\n\t{"roomName": "r"}',
        b'{"roomName": "r"} and then anything',
        b'{"roomName": "r"}{"roomName": 5}',
        b'{"roomName": "r"}\xff\xfe',
    ],
    ids=["unknown fields", "nulls", "leading whitespace", "trailing text", "a second value", "trailing bytes"],
)
async def test_what_protojson_accepts_is_served(sandbox: SandboxServer, body: bytes) -> None:
    status, answer = await _post(sandbox, "ListIngress", body)
    assert status == 200, answer
    assert "items" in json.loads(answer)


@pytest.mark.parametrize("value", ['"1"', '"WHIP"', '"whip_input"'])
async def test_an_unknown_enum_name_is_dropped(sandbox: SandboxServer, value: str) -> None:
    # DiscardUnknown drops it, so the field keeps its default; json_format alone would read "1" as WHIP_INPUT.
    body = '{"inputType": ' + value + ', "roomName": "enum", "participantIdentity": "p"}'
    status, answer = await _post(sandbox, "CreateIngress", body.encode())
    assert status == 200, answer
    assert json.loads(answer)["input_type"] == "RTMP_INPUT"
