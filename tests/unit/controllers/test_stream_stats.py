"""The stats panel's model: PushStats events and the ingress's state in, judged figures and a minute of bitrate out."""

from __future__ import annotations

from dataclasses import replace

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.engine_events import PushState, PushStats, TargetStats
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.controllers.stream_stats import (
    HISTORY_LIMIT,
    NO_ENGINE,
    NO_INGRESS,
    BitratePoint,
    StreamStats,
)
from ingress_studio.display.stats_figures import Figure, Level
from support.push_stats import HEALTHY_PUSH as LIVE


def model_of(*events: PushStats) -> StreamStats:
    model = StreamStats()
    for event in events:
        model.take_stats(event)
    return model


def test_a_healthy_live_push() -> None:
    figures = model_of(LIVE).engine
    assert figures.status == Figure("LIVE", Level.OK)
    assert figures.fps == Figure("30.0 / 30 fps", Level.OK)
    assert figures.skipped == Figure("0 / 2000 (0.0 %)", Level.OK)
    assert figures.lost == Figure("0 / 2000 (0.0 %)", Level.OK)
    assert figures.encode_lag == Figure("7.5 ms of 33.3 ms", Level.OK)
    assert figures.cpu.text == "38.4 %" and figures.data_sent.text == "30.0 MiB"
    assert figures.uptime.text == "0:02:05" and figures.bitrate.text == "1950 kbps"
    assert figures.problem == ""


@pytest.mark.parametrize(
    ("fps_out", "level"), [(28.5, Level.OK), (28.4, Level.WARNING), (24.0, Level.WARNING), (23.9, Level.DANGER)]
)
def test_fps_is_judged_against_the_target(fps_out: float, level: Level) -> None:
    assert model_of(replace(LIVE, fps_out=fps_out)).engine.fps.level is level


@pytest.mark.parametrize(
    ("count", "level"), [(19, Level.OK), (20, Level.OK), (21, Level.WARNING), (100, Level.WARNING), (101, Level.DANGER)]
)
def test_skipped_and_lost_frames_are_judged_on_their_own_totals(count: int, level: Level) -> None:
    skipping = replace(LIVE, frames_skipped=count, frames_read=2000)
    losing = replace(LIVE, frames_lost=count, frames_output=2000)
    assert model_of(skipping).engine.skipped.level is level
    assert model_of(skipping).engine.lost.level is Level.OK
    assert model_of(losing).engine.lost == Figure(f"{count} / 2000 ({count / 20:.1f} %)", level)
    assert model_of(losing).engine.skipped.level is Level.OK


def test_encode_lag_is_that_of_the_last_interval_not_the_average_since_the_start() -> None:
    before = replace(LIVE, frames_encoded=1000, encode_ms_per_frame=10.0)  # 10 s of encoding so far
    now = replace(LIVE, frames_encoded=1030, encode_ms_per_frame=(1000 * 10.0 + 30 * 30.0) / 1030)
    figures = model_of(before, now).engine  # the last 30 frames took 30 ms each: near the 33.3 ms limit
    assert figures.encode_lag == Figure("30.0 ms of 33.3 ms", Level.WARNING)
    assert model_of(now).engine.encode_lag.text == "10.6 ms of 33.3 ms"  # one event: the average is all there is


def test_encode_lag_when_remuxing_is_none() -> None:
    remux = replace(LIVE, path="remux (no re-encoding): H264 fits", encode_ms_per_frame=0.0)
    assert model_of(remux).engine.encode_lag == Figure("none: remuxing", Level.NONE)


def test_the_status_texts() -> None:
    assert model_of(replace(LIVE, state=PushState.CONNECTING)).engine.status == Figure("Connecting…")
    assert model_of(replace(LIVE, state=PushState.STOPPED)).engine.status == Figure("Stopped")
    waiting = replace(LIVE, state=PushState.RECONNECTING, reconnect_attempt=3, next_retry_s=4.5, next_retry_in_s=3.2)
    assert model_of(waiting).engine.status == Figure("Reconnecting in 4 s (attempt 3 of 25)", Level.DANGER)
    trying = replace(waiting, next_retry_in_s=0.0)
    assert model_of(trying).engine.status == Figure("Reconnecting (attempt 3 of 25)", Level.DANGER)
    model = StreamStats(reconnect_tries=5)
    model.take_stats(waiting)
    assert model.engine.status.text == "Reconnecting in 4 s (attempt 3 of 5)"
    first_loss = replace(LIVE, state=PushState.RECONNECTING)
    assert model_of(first_loss).engine.status == Figure("Reconnecting…", Level.DANGER)


def test_a_targets_failure_is_the_problem_shown() -> None:
    failing = TargetStats("rtmp://h/x", PushState.RECONNECTING, 0, 12, 2, "Cannot connect to rtmp://h/x.")
    stats = replace(LIVE, state=PushState.RECONNECTING, targets=(LIVE.targets[0], failing))
    assert model_of(stats).engine.problem == "Cannot connect to rtmp://h/x."


def test_an_older_engine_without_the_new_figures() -> None:
    older = replace(LIVE, frames_read=0, frames_output=0, cpu_percent=None, target_fps=None, source_count=0)
    figures = model_of(older).engine
    assert figures.cpu == Figure("—") and figures.fps == Figure("30.0 fps")
    assert figures.skipped == Figure("0 / 0 (0.0 %)", Level.OK)
    assert model_of(older).progress is None


def test_clear_empties_the_engines_side_only() -> None:
    model = model_of(LIVE)
    model.take_ingress(ingress_pb.IngressInfo(state=ingress_pb.IngressState(status=2)))
    model.clear()
    assert model.engine == NO_ENGINE and model.engine.status.text == "Not live" and model.history() == ()
    assert model.ingress.status == Figure("Publishing", Level.OK)


def test_the_bitrate_of_the_last_minute() -> None:
    model = StreamStats()
    for second in range(100):
        model.take_stats(replace(LIVE, elapsed=float(second), bitrate=1000 * second))
    history = model.history()
    assert history[0] == BitratePoint(60.0, 39_000) and history[-1] == BitratePoint(0.0, 99_000)
    assert len(history) == 61
    model.take_stats(replace(LIVE, elapsed=1.0, bitrate=5))  # a new push: elapsed starts again
    assert model.history() == (BitratePoint(0.0, 5),)


def test_the_history_is_bounded_however_fast_events_come() -> None:
    model = StreamStats()
    for tick in range(5000):
        model.take_stats(replace(LIVE, elapsed=tick / 1000))
    assert len(model.history()) == HISTORY_LIMIT


def ingress(**state: object) -> ingress_pb.IngressInfo:
    return ingress_pb.IngressInfo(ingress_id="IN_abc", state=ingress_pb.IngressState(**state))


def test_what_the_ingress_reports() -> None:
    info = ingress(
        status=ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING,
        video=ingress_pb.InputVideoState(
            mime_type="video/H264", width=1280, height=720, framerate=30.0, average_bitrate=1_900_000
        ),
        audio=ingress_pb.InputAudioState(
            mime_type="audio/aac", channels=2, sample_rate=48_000, average_bitrate=128_000
        ),
    )
    model = model_of(LIVE)
    model.take_ingress(info)
    figures = model.ingress
    assert figures.status == Figure("Publishing", Level.OK)
    assert figures.input_size == Figure("1280x720 · H264")
    assert figures.fps == Figure("30.0 / 30 fps", Level.OK)  # what arrives, against what we aim to send
    assert figures.bitrate == Figure("2028 kbps")
    assert figures.audio == Figure("aac · 2 ch · 128 kbps")
    assert figures.problem == ""


def test_an_ingress_that_measures_nothing_yet_or_failed() -> None:
    model = StreamStats()
    assert model.ingress == NO_INGRESS and model.ingress.input_size == Figure("—")
    model.take_ingress(ingress(status=ingress_pb.IngressState.Status.ENDPOINT_BUFFERING))
    figures = model.ingress
    assert figures.status == Figure("Buffering", Level.WARNING)
    assert figures.input_size == figures.fps == figures.bitrate == figures.audio == Figure("—")
    model.take_ingress(ingress(status=ingress_pb.IngressState.Status.ENDPOINT_ERROR, error="session is disabled"))
    assert model.ingress.status == Figure("Error", Level.DANGER) and model.ingress.problem == "session is disabled"
    model.take_ingress(ingress(video=ingress_pb.InputVideoState(width=640, height=360, framerate=20.0)))
    assert model.ingress.fps == Figure("20.0 fps")  # not judged: we send nothing, so there is no target
    model.take_ingress(None)
    assert model.ingress == NO_INGRESS


def test_a_slow_arrival_is_judged_against_what_we_send() -> None:
    model = model_of(LIVE)
    model.take_ingress(ingress(video=ingress_pb.InputVideoState(width=1280, height=720, framerate=22.0)))
    assert model.ingress.fps.level is Level.DANGER


def test_the_source_progress_of_a_playlist() -> None:
    playing = replace(
        LIVE,
        source_index=1,
        source_count=2,
        source_name="/clips/talk.mp4",
        source_position=12.4,
        source_duration=30.0,
        playlist_remaining=17.6,
    )
    progress = model_of(playing).progress
    assert progress == PlaybackPosition(1, 2, "/clips/talk.mp4", 12.4, 30.0, 17.6)
    assert progress.fraction == pytest.approx(12.4 / 30)
    assert progress.words == "talk.mp4 (2 of 2) · 00:12 / 00:30 · 00:17 left in the playlist"
    live = model_of(LIVE).progress
    assert live is not None and live.fraction is None and live.words == "Live source"


def test_the_wind_down_sample_of_a_stop_keeps_the_last_full_seconds_figures() -> None:
    model = model_of(LIVE)
    model.take_stats(replace(LIVE, state=PushState.STOPPED, fps_out=9.2, bitrate=300_000, elapsed=LIVE.elapsed + 0.3))
    assert model.engine.status.text == "Stopped"
    assert model.engine.fps.text == model_of(LIVE).engine.fps.text  # not a red 9.2 at the very end


@pytest.mark.parametrize(("skipped", "read", "advised"), [(101, 2000, True), (100, 2000, False), (10, 50, False)])
def test_an_encoder_that_cannot_keep_up_comes_with_what_to_do(skipped: int, read: int, advised: bool) -> None:
    advice = model_of(replace(LIVE, frames_skipped=skipped, frames_read=read)).engine.advice
    if advised:
        assert "smaller Encoding" in advice and "faster x264 preset" in advice
    else:
        assert advice == ""
    assert model_of(LIVE).engine.advice == ""
