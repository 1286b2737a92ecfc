"""The probe and device clients (asyncio) against the real `ingress-studio probe` and `devices` children."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from ingress_studio.children.devices_client import list_devices
from ingress_studio.children.one_shot import OneShotChild, OneShotFailed
from ingress_studio.children.probe_client import PROBE, probe, start_probe
from ingress_studio.children.probe_request import ProbeRequest
from support.media_files import make_media
from support.silent_server import silent_server


async def test_a_file_for_rtmp_is_a_typed_remux_report(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 1, profile="baseline")
    report = await probe(ProbeRequest((str(clip),), "rtmp", "rtmp://127.0.0.1/x"))
    assert report.ok and report.problem is None and report.remux is True
    assert report.target is not None and report.target.kind == "rtmp" and report.target.url == "rtmp://127.0.0.1/x"
    (source,) = report.sources
    assert source.video is not None and (source.video.width, source.video.height) == (640, 360)
    assert source.audio is not None and source.audio.codec == "aac"
    assert report.path is not None and report.path.startswith("Sending the source as it is")


async def test_a_refusal_is_a_report_with_its_problem(tmp_path: Path) -> None:
    report = await probe(ProbeRequest((str(tmp_path / "gone.mp4"),), "whip", "http://127.0.0.1/w"))
    assert not report.ok and report.problem == f"File not found: {tmp_path / 'gone.mp4'}."
    assert report.sources == () and report.remux is None


async def test_a_killed_probe_is_one_sentence() -> None:
    with silent_server() as port:  # keeps the probe waiting on the open
        child = await start_probe(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), "rtmp", "rtmp://127.0.0.1/x"))
        answer = asyncio.create_task(child.answer(30))
        await asyncio.sleep(1.0)
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        with pytest.raises(OneShotFailed) as failed:
            await answer
    assert failed.value.message == "The probe crashed (it was ended by SIGKILL, signal 9)."


async def test_a_probe_past_its_time_limit_is_stopped_with_a_sentence() -> None:
    with silent_server() as port:
        child = await start_probe(ProbeRequest((f"http://127.0.0.1:{port}/x.mp4",), "rtmp", "rtmp://127.0.0.1/x"))
        pid = child.pid
        with pytest.raises(OneShotFailed) as failed:
            await child.answer(1.5)
    assert failed.value.message == "The probe did not answer within 1.5 seconds, so it was stopped."
    assert pid is not None and child.pid is None  # gone, not left running


async def test_garbage_on_stdout_is_a_sentence() -> None:
    command = [sys.executable, "-c", "print('Traceback (most recent call last):'); raise SystemExit(1)"]
    child = await OneShotChild.start(PROBE, command)
    with pytest.raises(OneShotFailed) as failed:
        await child.answer(30)
    assert failed.value.message == "The probe answered with something this version of Ingress Studio cannot read."


async def test_devices_are_listed_with_the_test_pattern() -> None:
    devices = await list_devices(env={**os.environ, "DISPLAY": ""})
    assert [device.source for device in devices.generated] == ["test:"]
    assert devices.screens == ()  # no display, no screen
    assert "mic:default" in [device.source for device in devices.microphones]
