"""The sandbox client (asyncio) against the real `ingress-studio sandbox`: its ready line, a busy port, a bad folder."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ingress_studio import __version__
from ingress_studio.api.client import IngressClient
from ingress_studio.children.exits import CleanExit, ExitedWithCode
from ingress_studio.children.sandbox_client import SandboxClient, SandboxUnavailable
from ingress_studio.children.sandbox_messages import SandboxFailed
from ingress_studio.config.projects import sandbox_project
from ingress_studio.sandbox_launch import PORT_IN_USE_EXIT, START_FAILED_EXIT


async def test_the_ready_line_is_read_into_its_dataclass(tmp_path: Path) -> None:
    client = SandboxClient(tmp_path / "data")
    ready = await client.start((0, 0, 0))
    try:
        assert ready.protocol == 1 and ready.version == __version__ and ready.api_key == "devkey"
        assert urlsplit(ready.api_url).hostname == "127.0.0.1" and urlsplit(ready.api_url).port
        assert ready.rtmp_base_url.startswith("rtmp://127.0.0.1:") and ready.rtmp_base_url.endswith("/x")
        assert ready.whip_base_url.startswith("http://127.0.0.1:") and ready.whip_base_url.endswith("/w")
        assert Path(ready.database).parent == tmp_path / "data"
        assert client.notice is None
        async with IngressClient(sandbox_project(ready.api_url)) as api:
            assert list(await api.list()) == []
    finally:
        stopped = await client.stop()
    assert stopped == CleanExit("sandbox", requested=True, after_ready=True)


async def test_a_busy_port_fails_with_its_reason_and_the_fallback_starts_on_a_free_one(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        client = SandboxClient(tmp_path / "data")
        ready = await client.start((busy, 0, 0))
        try:
            [attempt] = client.startup.attempts  # the one that failed; the second child serves
            assert attempt.ports == (busy, 0, 0) and client.startup.ports == (0, 0, 0)
            failed = attempt.failed
            assert isinstance(failed, SandboxFailed)
            assert (failed.reason, failed.port, failed.flag) == ("port_in_use", busy, "--port")
            assert failed.message.startswith(f"Cannot listen for API on 127.0.0.1:{busy}")
            in_use = ExitedWithCode("sandbox", False, False, PORT_IN_USE_EXIT, "a port it needs is in use")
            assert attempt.exit == in_use
            port = urlsplit(ready.api_url).port
            assert port not in (busy, None)
            assert client.notice is not None
            assert client.notice.startswith(f"API port {busy} is in use, so the sandbox uses {port} instead")
        finally:
            await client.stop()


async def test_a_data_folder_that_cannot_be_used_is_the_sandboxs_sentence(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    client = SandboxClient(not_a_folder)
    with pytest.raises(SandboxUnavailable) as refused:
        await client.start((0, 0, 0))
    assert refused.value.message.startswith(f"The sandbox could not start: Cannot use {not_a_folder}")
    [attempt] = client.startup.attempts
    assert attempt.failed is not None and attempt.failed.reason == "start_failed"
    assert isinstance(attempt.exit, ExitedWithCode) and attempt.exit.code == START_FAILED_EXIT
