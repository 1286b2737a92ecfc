"""A healthy push's stats event, built by hand, for the stats model's and panel's tests to vary with `replace`."""

from __future__ import annotations

from ingress_studio.children.engine_events import PushState, PushStats, TargetStats

# Two minutes into transcoding the test pattern at 720p30: every frame out, 30 MiB sent.
HEALTHY_PUSH = PushStats(
    state=PushState.LIVE,
    time=125.0,
    elapsed=125.3,
    fps_in=30.0,
    fps_out=30.0,
    bitrate=1_950_000,
    frames_encoded=2000,
    frames_dropped=0,
    encode_ms_per_frame=7.5,
    speed=1.0,
    bytes_sent=30 * 1024 * 1024,
    reconnect_attempt=0,
    next_retry_s=None,
    next_retry_in_s=None,
    path="transcode: a test source",
    targets=(TargetStats("rtmp://127.0.0.1:1935/x", PushState.LIVE, 30 * 1024 * 1024, 0, 0, "", frames=2000),),
    frames_read=2000,
    frames_output=2000,
    cpu_percent=38.4,
    target_fps=30.0,
    source_count=1,
    source_name="test:",
    source_position=125.0,
)
