"""The probe and device adapters (QProcess) against the real children: typed signals, one per run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from pytestqt.qtbot import QtBot

from ingress_studio.children.device_list import DeviceList
from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.ui.devices_process import DevicesProcess
from ingress_studio.ui.probe_process import ProbeProcess
from support.media_files import make_media
from support.silent_server import silent_server

RTMP = ("rtmp", "rtmp://127.0.0.1/x")


def watched(probe: ProbeProcess) -> tuple[list[ProbeReport], list[str]]:
    reports: list[ProbeReport] = []
    failures: list[str] = []
    probe.finished.connect(reports.append)
    probe.failed.connect(failures.append)
    return reports, failures


def test_a_probe_finishes_with_its_report(qtbot: QtBot, tmp_path: Path) -> None:
    clip = make_media(tmp_path / "wide.mp4", 1, size=(1920, 1080), fps=60)
    probe = ProbeProcess()
    reports, failures = watched(probe)
    with qtbot.waitSignal(probe.finished, timeout=30_000):
        probe.start(ProbeRequest((str(clip),), "whip", "http://127.0.0.1/w", profile="720p30"))
    assert failures == [] and len(reports) == 1
    report = reports[0]
    assert report.ok and report.remux is False
    assert "Picture scaled from 1920x1080 to 1280x720." in report.steps
    assert "Frame rate changed from 60 to 30 fps." in report.steps
    qtbot.waitUntil(lambda: not probe.running)


def test_a_killed_probe_is_one_failed_sentence(qtbot: QtBot) -> None:
    probe = ProbeProcess()
    reports, failures = watched(probe)
    with silent_server() as port:
        probe.start(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), *RTMP))
        qtbot.waitUntil(lambda: probe.pid is not None)
        qtbot.wait(500)
        assert probe.pid is not None
        with qtbot.waitSignal(probe.failed, timeout=10_000):
            os.kill(probe.pid, signal.SIGKILL)
    assert failures == ["The probe crashed (it was ended by SIGKILL, signal 9)."] and reports == []


def test_a_probe_past_its_time_limit_fails_with_a_sentence(qtbot: QtBot) -> None:
    probe = ProbeProcess(timeout_s=1.5)
    reports, failures = watched(probe)
    with silent_server() as port:
        with qtbot.waitSignal(probe.failed, timeout=10_000):
            probe.start(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), *RTMP))
        qtbot.waitUntil(lambda: not probe.running)
    assert failures == ["The probe did not answer within 1.5 seconds, so it was stopped."] and reports == []


def test_a_new_probe_replaces_the_running_one_and_a_cancelled_one_says_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 1)
    probe = ProbeProcess()
    reports, failures = watched(probe)
    with silent_server() as port:
        probe.start(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), *RTMP))
        qtbot.waitUntil(lambda: probe.pid is not None)
        with qtbot.waitSignal(probe.finished, timeout=30_000):
            probe.start(ProbeRequest((str(clip),), *RTMP))
        assert [report.sources[0].source for report in reports] == [str(clip)]

        probe.start(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), *RTMP))
        qtbot.waitUntil(lambda: probe.pid is not None)
        probe.cancel()
        qtbot.waitUntil(lambda: not probe.running)
        qtbot.wait(300)  # the ended child's signals have been delivered by now
    assert len(reports) == 1 and failures == []


def test_the_device_listing_finishes_with_typed_devices(qtbot: QtBot) -> None:
    devices = DevicesProcess()
    listed: list[DeviceList] = []
    failures: list[str] = []
    devices.finished.connect(listed.append)
    devices.failed.connect(failures.append)
    with qtbot.waitSignal(devices.finished, timeout=30_000):
        devices.start()
    assert failures == [] and [device.source for device in listed[0].generated] == ["test:"]
    qtbot.waitUntil(lambda: not devices.running)
