"""A network stall mid-push: the engine drops the backlog instead of sending it late (livekit/ingress#350's
"tape recorder" must not start at our end). A real nginx-rtmp behind a TCP hop that stops reading for a
while; the pictures' clock stamps, read back from nginx with PyAV, say how late each one arrives."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import av
import pytest

from ingress_studio.media import clock_stamp, wall_clock
from support.nginx_rtmp import NginxRtmp, available
from support.stall_proxy import StallProxy
from support.stats_stream import StatsStream

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")

STALL_S = 4.0
FPS = 30
RECEIVER_BUFFER = 32 * 1024  # the receiver's own buffer holds little: what arrives late was held at our end
LOW_DELAY = {"fflags": "nobuffer", "flags": "low_delay", "probesize": "32768", "analyzeduration": "0"}


@dataclass
class Arrivals:
    """(arrival time, latency in ms) of every stamped picture read back."""

    rows: list[tuple[float, int]] = field(default_factory=list)
    failure: str = ""

    def late(self, after: float, over_ms: int) -> list[int]:
        return [latency for at, latency in self.rows if at >= after and latency > over_ms]

    def latest(self, after: float) -> list[int]:
        return [latency for at, latency in self.rows if at >= after]


def _read_back(url: str, until: float, arrivals: Arrivals) -> None:
    try:
        with av.open(url, options=LOW_DELAY, timeout=(10.0, 3 * STALL_S)) as live:
            stream = live.streams.video[0]
            stream.thread_type = "SLICE"  # frame threads would hold pictures back
            for frame in live.decode(stream):
                stamp = clock_stamp.read(frame)
                if stamp is not None:
                    arrivals.rows.append((time.monotonic(), wall_clock.latency_ms(stamp)))
                if time.monotonic() > until:
                    return
    except (av.FFmpegError, OSError) as exc:
        arrivals.failure = str(exc)


def test_after_a_stall_the_stream_resumes_at_now_not_at_the_backlog(tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    proxy = StallProxy(nginx.port, receive_buffer=RECEIVER_BUFFER).start()
    push = StatsStream("test:", "--stamp-clock", "--rtmp", f"rtmp://127.0.0.1:{proxy.port}/x", "--stream-key", "stall")
    try:
        push.wait_for(lambda s: s["state"] == "live" and s["time"] > 1)
        arrivals = Arrivals()
        reader = threading.Thread(
            target=_read_back, args=(f"{nginx.url}/stall", time.monotonic() + 25 + STALL_S, arrivals), daemon=True
        )
        reader.start()
        deadline = time.monotonic() + 15
        while len(arrivals.rows) < 3 * FPS and time.monotonic() < deadline and reader.is_alive():
            time.sleep(0.1)
        steady = arrivals.latest(0.0)
        assert len(steady) >= 3 * FPS, arrivals.failure or "pictures did not arrive before the stall"
        proxy.stall(STALL_S)
        resumed = time.monotonic()
        stats = push.wait_for(lambda s: s["backlogs_dropped"] >= 1 and s["state"] == "live")
        reader.join(30)
        assert not arrivals.failure, arrivals.failure
        # Sent late, the stall's pictures would all arrive now, seconds old; dropped, only what the
        # kernel already held comes (the send buffer is bounded to about a second of stream).
        stale = arrivals.late(resumed, over_ms=1000)
        assert len(stale) < STALL_S * FPS / 2, f"{len(stale)} pictures over 1 s late after the stall"
        recovered = arrivals.latest(resumed + 4)
        assert len(recovered) > 4 * FPS, "the stream did not carry on after the stall"
        # most pictures, not every one: a busy machine delays a few whatever the stream does
        usual = sorted(recovered)[int(0.9 * len(recovered))]
        assert usual < max(steady) + 300, f"latency stayed up: {usual} ms (p90) against {max(steady)} before"
        assert stats["frames_lost"] > 0  # the dropped backlog is counted, not hidden
        assert stats["engine_delay_p50_ms"] is not None
    finally:
        push.stop()
        proxy.stop()
        nginx.stop()
