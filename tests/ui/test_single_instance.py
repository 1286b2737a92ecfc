"""One window per user: `ingress-studio FILE` while the window is open hands the file to that window (a real
second process, as a file manager's "Open with" starts it) and exits; a stranger's junk is let go."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ingress_studio.controllers.go_live import LiveState
from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.source_choice import SourceKind
from ingress_studio.ui.app import _take_handed
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.project_picker import ProjectPicker
from ingress_studio.ui.single_instance import SingleInstance, door_name
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually
from ui.test_go_live import selected_new_rtmp


@pytest.fixture
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A settings folder of this test's own, so its door is its own (and a second process finds it)."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def open_door(window: MainWindow, tmp_path: Path) -> None:
    """The open window's side, as run_gui sets it up (without the embedded sandbox)."""
    picker = ProjectPicker(environ={}, lk_config=tmp_path / "no-lk.yaml")
    window.set_project_picker(picker)
    door = SingleInstance(lambda request: _take_handed(window, picker, request, False), door_name(), window)
    assert door.listen()


async def second_launch(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ingress_studio", *args, stderr=asyncio.subprocess.PIPE, env=dict(os.environ)
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_a_second_launch_hands_its_file_to_the_open_window(
    window: MainWindow, run_on_qt_loop: Scenario, own_config: dict[str, str], tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "handed.mp4", 1)
    open_door(window, tmp_path)

    async def scenario() -> None:
        code, stderr = await second_launch(str(clip))
        assert code == 0 and "the window that is already open took it" in stderr, stderr
        await eventually(lambda: window.live.panel.source.choice().files == (str(clip),), 5, "the handed file")
        assert window.live.panel.source.choice().kind is SourceKind.FILES

    run_on_qt_loop(scenario())


def test_junk_at_the_door_is_let_go(qtbot: QtBot, run_on_qt_loop: Scenario, own_config: dict[str, str]) -> None:
    taken: list[LaunchRequest] = []
    door = SingleInstance(taken.append, door_name())
    assert door.listen()
    probe = (
        "import sys; from PySide6.QtNetwork import QLocalSocket; s = QLocalSocket(); s.connectToServer(sys.argv[1]);"
        "s.waitForConnected(2000); s.write(b'{\"files\": 3}\\n' + b'x' * 100000); s.flush();"
        "s.waitForDisconnected(3000); print(s.state() == QLocalSocket.LocalSocketState.UnconnectedState)"
    )

    async def scenario() -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", probe, door.name, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await asyncio.wait_for(process.communicate(), 30)
        assert out.decode().strip() == "True"  # the door closed on it
        assert taken == []

    run_on_qt_loop(scenario())


def test_the_request_line_round_trips_and_refuses_what_it_did_not_write(tmp_path: Path) -> None:
    request = LaunchRequest((tmp_path / "a.mp4",), "Sandbox", "IN_x", True)
    assert LaunchRequest.from_json(request.to_json()) == request
    for junk in ("", "[]", '{"files": 3}', '{"files": ["a"], "project": 7}', "{"):
        assert LaunchRequest.from_json(junk) is None


def test_while_live_the_open_window_refuses_and_the_second_launch_says_why(
    window: MainWindow,
    run_on_qt_loop: Scenario,
    own_config: dict[str, str],
    fresh_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    clip = make_media(tmp_path / "later.mp4", 1)
    open_door(window, tmp_path)
    panel = window.live.panel

    async def scenario() -> None:
        await selected_new_rtmp(window, fresh_sandbox, "on-air")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        code, stderr = await second_launch(str(clip))
        assert code == 1
        assert "The open window is live: stop its push first, then open the files again." in stderr
        assert panel.source.choice().kind is SourceKind.TEST  # nothing changed under the push
        await window.shutdown()

    run_on_qt_loop(scenario())
