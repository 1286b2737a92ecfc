"""The Go-live panel's "Stamp the clock": the plan says it transcodes for it, and what arrives at the real
sandbox carries the stamp (its levels route reports a latency), with the real engine child."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ingress_studio.controllers.go_live import LiveState
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from support.twirp_raw import token
from ui.conftest import Scenario, eventually
from ui.test_go_live import drop_on, file_mime, selected_new_rtmp


async def levels(server: SandboxServer, ingress_id: str) -> dict[str, Any]:
    url = f"{server.url}/sandbox/ingress/{ingress_id}/levels"
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token()}"}) as http, http.get(url) as reply:
        return await reply.json() if reply.status == 200 else {}


def test_a_stamped_push_from_the_panel_reaches_the_sandbox_with_its_latency(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 20, size=(640, 360), fps=30)  # would go as it is, unstamped
    window = MainWindow(preferences)
    qtbot.addWidget(window)
    window.show()
    panel = window.live.panel

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "camera")
        drop_on(window, file_mime(clip))
        await eventually(lambda: "without re-encoding" in panel.plan.text(), 20, "the remux plan")
        panel.encoding.stamp_clock.setChecked(True)
        await eventually(lambda: "clock stamp" in panel.plan.text(), 20, "the plan to transcode for the stamp")
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        latest: dict[str, Any] = {}

        async def poll() -> None:
            while latest.get("latency_ms") is None:
                latest.update(await levels(fresh_sandbox, info.ingress_id))
                await asyncio.sleep(0.2)

        await asyncio.wait_for(poll(), 20)
        assert 0 <= latest["latency_ms"] < 3000, latest
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        await eventually(lambda: window.live.go_live.state is LiveState.OFF, 20, "stopped")
        await window.shutdown()

    run_on_qt_loop(scenario())
