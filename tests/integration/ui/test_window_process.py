"""The window's own process loads no media code and maps no FFmpeg or LiveKit FFI library (either can abort
a process; media runs in child programs). The real window lists a real sandbox's ingresses, through a
recording hop that shows it was answered, and its process is looked at from outside."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.recording_proxy import RecordingProxy
from support.sandbox_process import SandboxServer
from support.window_process import WindowProcess

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/maps")

MEDIA_MODULES = ("av", "aiortc", "livekit.rtc", "ingress_studio.media")
# FFmpeg's libraries (the PyAV wheel bundles them under av.libs/) and the LiveKit rtc SDK's FFI library.
MEDIA_LIBRARY = re.compile(
    r"/libav(codec|format|util|device|filter)[^/]*$|/libsw(scale|resample)[^/]*$|/av\.libs/|livekit_ffi"
)
LIST_PATH = "/twirp/livekit.Ingress/ListIngress"


def media_modules(names: set[str]) -> list[str]:
    return sorted(name for name in names if any(name == m or name.startswith(m + ".") for m in MEDIA_MODULES))


async def until_listed(proxy: RecordingProxy, window: WindowProcess, ingress_id: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not any(e.path == LIST_PATH and e.status == 200 and ingress_id.encode() in e.body for e in proxy.exchanges):
        assert window.running, f"the window ended early: {window.stderr_text()}"
        assert time.monotonic() < deadline, f"the window never listed the ingresses: {window.stderr_text()}"
        await asyncio.sleep(0.2)


async def test_the_window_lists_ingresses_without_loading_media(sandbox: SandboxServer, tmp_path: Path) -> None:
    async with IngressClient(sandbox.project()) as client:
        request = ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, name="seen", room_name="studio", participant_identity="camera"
        )
        created = await client.create(request)
    proxy = RecordingProxy(sandbox.url).start()
    credentials = {
        "LIVEKIT_URL": proxy.url,
        "LIVEKIT_API_KEY": sandbox.api_key,
        "LIVEKIT_API_SECRET": sandbox.api_secret,
    }
    window = WindowProcess(
        tmp_path / "window",
        ("gui", "--no-sandbox"),
        {**credentials, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    try:
        window.start()
        await until_listed(proxy, window, created.ingress_id)
        mapped = window.mapped_files()
    finally:
        exit_code = window.stop()
        proxy.stop()
    assert exit_code == 0, window.stderr_text()
    assert any("libQt6Widgets" in path for path in mapped)  # the maps are the window's
    assert sorted(path for path in mapped if MEDIA_LIBRARY.search(path)) == []
    modules = window.loaded_modules()
    assert "ingress_studio.ui.main_window" in modules  # the list is the window's
    assert media_modules(modules) == []
