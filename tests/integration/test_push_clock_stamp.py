"""`push --stamp-clock`: the capture time in the picture, read back live from a real nginx-rtmp with PyAV."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest

from ingress_studio.media import clock_stamp, wall_clock
from support.media_files import make_media
from support.nginx_rtmp import NginxRtmp, available
from support.run_program import push

pytestmark = pytest.mark.skipif(
    not available(), reason="needs nginx with libnginx-mod-rtmp (packaging/dev.sh installs it)"
)

FRAMES_TO_READ = 45


def _wait_for_publish(nginx: NginxRtmp, key: str, pushing: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while not nginx.recordings(key):
        assert pushing.poll() is None, pushing.stderr.read() if pushing.stderr else "push ended"
        assert time.monotonic() < deadline, "the push never published"
        time.sleep(0.05)


def test_the_stamp_read_back_is_the_recent_capture_time(
    nginx: NginxRtmp, publishers: list[subprocess.Popen[str]]
) -> None:
    command = ["-m", "ingress_studio", "push", "test:", "--rtmp", f"{nginx.url}/stamped", "--stamp-clock"]
    pushing = subprocess.Popen(
        [sys.executable, *command, "--duration", "20"], stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    publishers.append(pushing)
    _wait_for_publish(nginx, "stamped", pushing)
    stamps: list[int] = []
    latencies: list[int] = []
    with av.open(f"{nginx.url}/stamped", options={"rw_timeout": "10000000"}) as live:
        for frame in live.decode(video=0):
            stamp = clock_stamp.read(frame)
            assert stamp is not None, "a picture without a readable stamp"
            latencies.append(wall_clock.latency_ms(stamp))
            stamps.append(stamp)
            if len(stamps) == FRAMES_TO_READ:
                break
    # frame to frame, later captures: the test pattern's 30 fps is 33 ms apart
    steps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    assert all(0 < step < 200 for step in steps), steps
    # captured moments ago on this machine's clock (a player's first pictures wait in its probe)
    assert all(0 <= latency < 5000 for latency in latencies), latencies
    pushing.terminate()
    _, errors = pushing.communicate(timeout=20)
    assert "clock stamp" in errors  # the path sentence: stamping is why it transcodes


def test_a_file_that_could_be_remuxed_is_transcoded_to_carry_the_stamp(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "fits.mp4", 3, bframes=0, size=(640, 360), gop=60)
    began = wall_clock.wall_clock_ms()
    result = push(str(source), "--rtmp", f"{nginx.url}/file", "--stamp-clock")
    ended = wall_clock.wall_clock_ms()
    assert result.returncode == 0, result.stderr
    assert "Transcoding: the clock stamp is drawn into every picture" in result.stderr
    [recording] = nginx.recordings("file")
    with av.open(str(recording)) as container:
        stamps = [clock_stamp.read(frame) for frame in container.decode(video=0)]
    assert len(stamps) >= 60 and None not in stamps
    # read for sending at real time, while the push ran
    assert all(began <= stamp <= ended for stamp in stamps if stamp is not None)
