"""A refused push says why, in the server's words: the sandbox refuses an unknown key and a disabled
ingress, over RTMP (its onStatus description) and WHIP (its plain-text response body)."""

from __future__ import annotations

import subprocess

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.run_program import push
from support.sandbox_process import SandboxServer

UNKNOWN_KEY = "NoSuchKey234"


async def create(sandbox: SandboxServer, input_type: int, enabled: bool) -> ingress_pb.IngressInfo:
    async with IngressClient(sandbox.project()) as client:
        return await client.create(
            ingress_pb.CreateIngressRequest(
                input_type=input_type,  # type: ignore[arg-type]
                name="refusals",
                room_name="refusals",
                participant_identity="refused",
                enabled=enabled,
            )
        )


async def state_of(sandbox: SandboxServer, ingress_id: str) -> ingress_pb.IngressState:
    async with IngressClient(sandbox.project()) as client:
        [info] = await client.list(ingress_id=ingress_id)
        return info.state


def assert_refused_only(state: ingress_pb.IngressState, reason: str) -> None:
    assert (state.status, state.error) == (ingress_pb.IngressState.ENDPOINT_ERROR, reason)
    assert not state.tracks


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_rtmp_refusals_carry_the_servers_reason(sandbox: SandboxServer) -> None:
    base = sandbox.info["rtmp_base_url"]
    unknown = push("test:", "--rtmp", base, "--stream-key", UNKNOWN_KEY, "--duration", "2")
    assert last_line(unknown) == f"ingress-studio push: {base} refused the stream: ingress does not exist."


async def test_rtmp_to_a_disabled_ingress(sandbox: SandboxServer) -> None:
    base = sandbox.info["rtmp_base_url"]
    disabled = await create(sandbox, ingress_pb.IngressInput.RTMP_INPUT, enabled=False)
    result = push("test:", "--rtmp", base, "--stream-key", disabled.stream_key, "--duration", "2")
    assert last_line(result) == f"ingress-studio push: {base} refused the stream: session is disabled."


async def test_whip_refusals_carry_the_servers_reason(sandbox: SandboxServer) -> None:
    url = sandbox.info["whip_base_url"]
    unknown = push("test:", "--whip", url, "--token", UNKNOWN_KEY, "--duration", "2")
    assert last_line(unknown) == (
        f"ingress-studio push: {url} refused the stream: ingress does not exist (404 Not Found). Check the key."
    )
    disabled = await create(sandbox, ingress_pb.IngressInput.WHIP_INPUT, enabled=False)
    refused = push("test:", "--whip", url, "--token", disabled.stream_key, "--duration", "2")
    assert last_line(refused) == (
        f"ingress-studio push: {url} refused the stream: session is disabled (403 Forbidden)."
    )
    # asking again for the reason started no session: the ingress shows only the refusal
    assert_refused_only(await state_of(sandbox, disabled.ingress_id), "session is disabled")


@pytest.mark.parametrize("kind", ["rtmp", "whip"])
async def test_a_key_of_the_other_kind_is_named(sandbox: SandboxServer, kind: str) -> None:
    other = ingress_pb.IngressInput.WHIP_INPUT if kind == "rtmp" else ingress_pb.IngressInput.RTMP_INPUT
    info = await create(sandbox, other, enabled=True)
    if kind == "rtmp":
        url = sandbox.info["rtmp_base_url"]
        result = push("test:", "--rtmp", url, "--stream-key", info.stream_key, "--duration", "2")
        assert last_line(result) == f"ingress-studio push: {url} refused the stream: invalid ingress type."
    else:
        url = sandbox.info["whip_base_url"]
        result = push("test:", "--whip", url, "--token", info.stream_key, "--duration", "2")
        assert last_line(result) == (
            f"ingress-studio push: {url} refused the stream: invalid ingress type (400 Bad Request). "
            "Check that the key belongs to a WHIP ingress."
        )
    assert_refused_only(await state_of(sandbox, info.ingress_id), "invalid ingress type")
