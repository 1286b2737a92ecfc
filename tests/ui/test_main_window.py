"""The first window against real sandboxes: rows appear, update in place, survive a dead server."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path
from urllib.parse import urlsplit

from livekit.protocol import ingress as ingress_pb
from pytestqt.qtbot import QtBot

from ingress_studio.api.client import IngressClient
from ingress_studio.ui.app import attach_sandbox
from ingress_studio.ui.main_window import MainWindow
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually


def names(window: MainWindow) -> list[str]:
    model = window.model
    return sorted(model.view_at(row).name for row in range(model.rowCount()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(name: str) -> ingress_pb.CreateIngressRequest:
    return ingress_pb.CreateIngressRequest(
        input_type=ingress_pb.RTMP_INPUT, name=name, room_name="gui", participant_identity=name
    )


def test_rows_appear_and_update_in_place(qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="first refresh")
        assert window.empty_hint.isVisible()
        async with IngressClient(fresh_sandbox.project()) as client:
            first = await client.create(request("first"))
            await client.create(request("second"))
            window.refresh_now()
            await eventually(lambda: names(window) == ["first", "second"], what="two rows")
            assert window.table.isVisible() and not window.empty_hint.isVisible()
            inserted: list[int] = []
            window.model.rowsInserted.connect(lambda *_: inserted.append(1))
            window.model.modelReset.connect(lambda: inserted.append(99))
            await client.update(ingress_pb.UpdateIngressRequest(ingress_id=first.ingress_id, name="first-renamed"))
            window.refresh_now()
            await eventually(lambda: names(window) == ["first-renamed", "second"], what="rename")
            assert inserted == []  # changed in place: no insert, no reset
            await client.delete(first.ingress_id)
            window.refresh_now()
            await eventually(lambda: names(window) == ["second"], what="delete")
        assert "1 ingress" in window.connection_label.text()
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_dead_server_keeps_rows_and_recovers(qtbot: QtBot, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    server = SandboxServer(tmp_path, api_port=free_port()).start()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        async with IngressClient(server.project()) as client:
            await client.create(request("kept"))
        window.connect_project(server.project())
        await eventually(lambda: names(window) == ["kept"], what="row")
        assert server.stop() == 0
        window.refresh_now()
        await eventually(lambda: "Cannot connect" in window.connection_label.text(), what="error shown")
        assert "Retrying in" in window.connection_label.text()
        assert names(window) == ["kept"]  # nothing vanished
        server.start()
        window.refresh_now()
        await eventually(lambda: "1 ingress" in window.connection_label.text(), what="recovery")
        await window.shutdown()

    try:
        run_on_qt_loop(scenario())
    finally:
        if server.process is not None and server.process.poll() is None:
            server.stop()


def test_window_starts_its_own_sandbox_child(qtbot: QtBot, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    sandbox = attach_sandbox(window, data_dir=tmp_path / "child")

    async def scenario() -> None:
        await eventually(lambda: window.project is not None, what="sandbox ready")
        assert window.project is not None and window.project.name == "Sandbox"
        assert sandbox.running
        async with IngressClient(window.project) as client:
            await client.create(request("from-child"))
        window.refresh_now()
        await eventually(lambda: names(window) == ["from-child"], what="row from child sandbox")
        await window.shutdown()

    run_on_qt_loop(scenario())
    sandbox.stop()
    assert not sandbox.running


def test_a_busy_sandbox_port_moves_to_a_free_one_and_says_so(
    window: MainWindow, run_on_qt_loop: Scenario, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        sandbox = attach_sandbox(window, data_dir=tmp_path / "child", ports=(busy, 0, 0))

        async def scenario() -> None:
            await eventually(lambda: window.project is not None, what="sandbox ready on another port")
            assert window.project is not None
            port = urlsplit(window.project.url).port
            assert port not in (busy, None)
            notice = window.statusBar().currentMessage()
            assert notice.startswith(f"API port {busy} is in use, so the sandbox uses {port} instead")
            await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="list")
            await window.shutdown()

        try:
            run_on_qt_loop(scenario())
        finally:
            sandbox.stop()


def test_a_sandbox_that_dies_is_a_sentence_with_retry(
    window: MainWindow, run_on_qt_loop: Scenario, tmp_path: Path
) -> None:
    sandbox = attach_sandbox(window, data_dir=tmp_path / "child", ports=(0, 0, 0))

    async def scenario() -> None:
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="sandbox listed")
        assert sandbox.pid is not None
        os.kill(sandbox.pid, signal.SIGKILL)
        await eventually(lambda: "The sandbox crashed." in window.connection_label.text(), what="crash told")
        sentence = window.connection_label.text()
        assert "Details are in the log in" in sentence and "Python" not in sentence
        await eventually(window.problem.isVisible, what="the problem in the table's place")
        assert window.problem.sentence.text() == sentence
        assert window.problem.retry_button.isVisible() and not window.problem.edit_button.isVisible()
        assert not window.new_actions[ingress_pb.RTMP_INPUT].isEnabled()
        window.problem.retry_button.click()  # starts the child again
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="listed after retry")
        assert window.empty_hint.isVisible() and window.new_actions[ingress_pb.RTMP_INPUT].isEnabled()
        await window.shutdown()

    try:
        run_on_qt_loop(scenario())
    finally:
        sandbox.stop()


def test_a_wrong_secret_shows_the_failure_not_an_empty_list(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:

    async def scenario() -> None:
        window.connect_project(fresh_sandbox.project(secret="not-the-secret"))
        await eventually(window.problem.isVisible, what="the failure shown")
        assert not window.empty_hint.isVisible() and not window.table.isVisible()
        assert "rejected the API key or secret (401 Unauthorized)" in window.problem.sentence.text()
        assert "Check the project's API key and secret." in window.problem.sentence.text()
        assert window.problem.retry_button.isVisible()
        assert not window.new_actions[ingress_pb.RTMP_INPUT].isEnabled()
        assert not window.new_button.isEnabled()  # the toolbar's button follows its action
        assert window.new_button.text() == "New"  # and keeps its short label when the action changes
        assert not window.import_action.isEnabled()
        await window.shutdown()

    run_on_qt_loop(scenario())
