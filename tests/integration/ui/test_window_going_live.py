"""The real window, started as a file manager's "Open with" would start it, goes live at once
(`ingress-studio FILE --project Environment --ingress ID --start-streaming`) through its engine child, while
its own process maps no FFmpeg library; SIGTERM ends the push cleanly (WHIP DELETE), and a window killed
outright leaves no engine behind."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from integration.ui.test_window_process import MEDIA_LIBRARY
from support.child_processes import alive, engine_child_of
from support.live_state import Status, status_is, wait_for
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from support.window_process import WindowProcess

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def engine_child(window: WindowProcess) -> int | None:
    assert window.process is not None
    return engine_child_of(window.process.pid)


async def open_with(server: SandboxServer, tmp_path: Path, kind: int, name: str) -> tuple[WindowProcess, str]:
    clip = make_media(tmp_path / f"{name}.mp4", 30, size=(640, 360), fps=30)
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=kind, name=name, room_name="studio")  # type: ignore[arg-type]
        request.participant_identity = name
        info = await client.create(request)
    env = {
        "LIVEKIT_URL": server.url,
        "LIVEKIT_API_KEY": server.api_key,
        "LIVEKIT_API_SECRET": server.api_secret,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    args = (str(clip), "--project", "Environment", "--ingress", info.ingress_id, "--start-streaming", "--no-sandbox")
    return WindowProcess(tmp_path / "window", args, env).start(), info.ingress_id


async def test_open_with_goes_live_and_sigterm_ends_the_whip_session_cleanly(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    window, ingress_id = await open_with(fresh_sandbox, tmp_path, ingress_pb.WHIP_INPUT, "guest")
    try:
        async with IngressClient(fresh_sandbox.project()) as client:
            decoding = await wait_for(client, ingress_id, lambda info: info.state.video.width > 0, timeout=60)
            # Passed through to viewers: transcoded by the engine to its default profile, H.264 baseline + Opus.
            assert (decoding.state.video.width, decoding.state.audio.mime_type) == (1280, "audio/opus")
            engine = engine_child(window)
            assert engine is not None and alive(engine)
            mapped = window.mapped_files()
            assert not [path for path in mapped if MEDIA_LIBRARY.search(path)]  # the engine has them, not the window
            stopped_at = time.monotonic()
            assert window.stop() == 0, window.stderr_text()
            await wait_for(client, ingress_id, status_is(Status.ENDPOINT_INACTIVE), timeout=10)
            # A WHIP peer that vanishes is ended 8 s after its last packet; the DELETE ends it at once.
            assert time.monotonic() - stopped_at < 6
            assert not alive(engine)
    finally:
        if window.running:
            window.process.kill()  # type: ignore[union-attr]


async def test_a_killed_window_leaves_no_engine_behind(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    window, ingress_id = await open_with(fresh_sandbox, tmp_path, ingress_pb.RTMP_INPUT, "camera")
    async with IngressClient(fresh_sandbox.project()) as client:
        await wait_for(client, ingress_id, status_is(Status.ENDPOINT_PUBLISHING), timeout=60)
        engine = engine_child(window)
        assert engine is not None
        assert window.process is not None
        os.kill(window.process.pid, signal.SIGKILL)
        window.process.wait()
        deadline = time.monotonic() + 15
        while alive(engine) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(engine), "the engine outlived its window"
        await wait_for(client, ingress_id, status_is(Status.ENDPOINT_INACTIVE), timeout=15)
