"""The engine under its control protocol (docs/control-protocol.md), as the window will drive it."""

from __future__ import annotations

import base64
import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import pytest

from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp, available

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


class EngineProcess:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingress_studio", "engine"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        stdout = self.process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: [self.events.put(json.loads(x)) for x in stdout], daemon=True).start()

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(event)
            if predicate(event):
                return event
        errors = [e for e in self.seen if e.get("event") == "error"]
        raise AssertionError(f"event not seen; last: {[e.get('event') for e in self.seen[-10:]]}; errors {errors}")

    def close(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()  # the parent went away
        return self.process.wait(30)


@pytest.fixture
def engine() -> Iterator[EngineProcess]:
    process = EngineProcess()
    yield process
    if process.process.poll() is None:
        process.process.kill()


def test_start_preview_levels_switch_and_stop(engine: EngineProcess, tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    try:
        hello = engine.wait_for(lambda e: e["event"] == "hello")
        assert hello["protocol"] == 1
        engine.send(
            {"cmd": "start", "sources": ["test:"], "targets": [{"kind": "rtmp", "url": nginx.url, "key": "eng"}]}
        )
        started = engine.wait_for(lambda e: e["event"] == "started")
        assert started["targets"] == [nginx.url] and "eng" not in json.dumps(started)
        engine.wait_for(lambda e: e["event"] == "stats" and e["state"] == "live")
        began = time.monotonic()
        previews = []
        while time.monotonic() - began < 2:
            previews.append(engine.wait_for(lambda e: e["event"] == "preview"))
        rate = len(previews) / (time.monotonic() - began)
        assert 5 <= rate <= 16  # at most 15 per second
        picture = av.open(io.BytesIO(base64.b64decode(previews[-1]["jpeg"])))
        frame = next(picture.decode(video=0))
        assert (frame.width, frame.height) == (640, 360) == (previews[-1]["width"], previews[-1]["height"])
        levels = engine.wait_for(lambda e: e["event"] == "levels")
        assert len(levels["peak_db"]) == 1 and -40 < levels["peak_db"][0] <= 0  # the test tone: mono, -18 dBFS

        clip = make_media(tmp_path / "clip.mp4", 3, size=(320, 240))
        switched_at = engine.wait_for(lambda e: e["event"] == "stats")["time"]
        engine.send({"cmd": "switch_source", "sources": [str(clip)]})
        assert engine.wait_for(lambda e: e["event"] == "source")["sources"] == [str(clip)]
        engine.wait_for(lambda e: e["event"] == "stats" and e["time"] > switched_at + 2.5)
        engine.send({"cmd": "stop"})
        ended = engine.wait_for(lambda e: e["event"] == "ended")
        assert ended["ok"] is True
        [recording] = nginx.recordings("eng")  # one connection through the switch
        info = read_back(recording)
        assert info["max_video_gap"] < 0.2 and (info["width"], info["height"]) == (1280, 720)
        assert engine.close() == 0
    finally:
        nginx.stop()


def test_bad_commands_are_error_events_and_the_engine_lives_on(engine: EngineProcess, tmp_path: Path) -> None:
    engine.wait_for(lambda e: e["event"] == "hello")
    engine.send({"cmd": "dance"})
    assert "Unknown command 'dance'" in engine.wait_for(lambda e: e["event"] == "error")["message"]
    engine.send({"cmd": "start", "sources": [], "targets": []})
    assert "sources" in engine.wait_for(lambda e: e["event"] == "error")["message"]
    engine.send(
        {
            "cmd": "start",
            "sources": [str(tmp_path / "missing.mp4")],
            "targets": [{"kind": "rtmp", "url": "rtmp://127.0.0.1:9/x", "key": "k"}],
        }
    )
    error = engine.wait_for(lambda e: e["event"] == "error")
    assert error["message"] == f"File not found: {tmp_path / 'missing.mp4'}."
    assert engine.wait_for(lambda e: e["event"] == "ended")["ok"] is False
    engine.send({"cmd": "hello"})
    assert engine.wait_for(lambda e: e["event"] == "hello")["protocol"] == 1
    engine.send({"cmd": "quit"})
    assert engine.process.wait(20) == 0


def test_a_remuxed_file_with_b_frames_is_previewed_at_its_first_keyframe(
    engine: EngineProcess, nginx: NginxRtmp, tmp_path: Path
) -> None:
    """Remuxing decodes only keyframes for the preview; a decoder that reorders must not sit on them."""
    source = make_media(tmp_path / "bframes.mp4", 8, bframes=2, gop=120, size=(640, 360))  # a keyframe every 4 s
    engine.send({"cmd": "start", "sources": [str(source)], "targets": [{"kind": "rtmp", "url": f"{nginx.url}/b"}]})
    path = engine.wait_for(lambda e: e["event"] == "path")
    assert path["remux"] is True
    began = time.monotonic()
    preview = engine.wait_for(lambda e: e["event"] == "preview", timeout=10)
    assert time.monotonic() - began < 3  # the first keyframe's picture, not one held until the third
    assert preview["t"] < 1
    engine.send({"cmd": "stop"})
    engine.wait_for(lambda e: e["event"] == "ended")
