"""Stop the RTMP server mid-push and start it again: the push resumes by itself, and says so."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp, available
from support.stats_stream import StatsStream

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


def test_push_resumes_after_the_server_comes_back(tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    push = StatsStream("test:", "--rtmp", nginx.url, "--stream-key", "again")
    try:
        push.wait_for(lambda s: s["state"] == "live" and s["bytes_sent"] > 0)
        nginx.stop()
        retrying = push.wait_for(lambda s: s["state"] == "reconnecting" and s["reconnect_attempt"] >= 1)
        assert retrying["next_retry_s"] == pytest.approx(2.0, rel=0.06)  # 2 s plus at most 5 % jitter
        dropped_before = retrying["frames_dropped"]
        time.sleep(2.5)
        nginx.start()
        back = push.wait_for(lambda s: s["state"] == "live" and s["reconnect_attempt"] == 0 and s["time"] > 6)
        assert back["frames_dropped"] > dropped_before  # a live source kept going and lost frames meanwhile
        assert back["frames_lost"] > retrying["frames_lost"]  # lost to the network, not skipped for encoding lag
        assert back["frames_dropped"] == back["frames_skipped"] + back["frames_lost"]
        assert back["targets"][0]["dropped"] == back["frames_lost"] <= back["frames_output"]
        push.wait_for(lambda s: s["targets"][0]["bytes_sent"] > back["targets"][0]["bytes_sent"] + 100_000)
        assert push.stop() == 0
        _first, second = nginx.recordings("again")
        assert read_back(second)["keyframes"][0] == pytest.approx(0, abs=0.05)  # new connection starts on a keyframe
        attempts = [s["reconnect_attempt"] for s in push.seen]
        assert max(attempts) >= 1
    finally:
        if push.process.poll() is None:
            push.process.kill()
        nginx.stop()


def test_file_pauses_while_disconnected_and_loses_nothing(tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    source = make_media(tmp_path / "eight.mp4", 8, size=(320, 240))
    push = StatsStream(str(source), "--transcode", "--rtmp", nginx.url, "--stream-key", "file")
    try:
        push.wait_for(lambda s: s["state"] == "live" and s["time"] > 2)
        nginx.stop()
        push.wait_for(lambda s: s["state"] == "reconnecting")
        time.sleep(3)
        nginx.start()
        push.wait_for(lambda s: s["state"] == "stopped", timeout=60)
        assert push.process.wait(20) == 0
        recordings = nginx.recordings("file")
        assert len(recordings) == 2
        spans = [read_back(r)["video_span"] for r in recordings]
        # the file waited: both connections together carry (nearly) all 8 s, minus what was in flight
        assert sum(spans) == pytest.approx(8, abs=1.2)  # type: ignore[arg-type]
        assert push.seen[-1]["frames_dropped"] <= 40
    finally:
        if push.process.poll() is None:
            push.process.kill()
        nginx.stop()
