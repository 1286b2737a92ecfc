"""The stats panel's model: what leaves (the engine's stats events) beside what arrives (the ingress's own state).

Fed `PushStats` once a second and the ingress's `IngressInfo` whenever the list refreshes it, it keeps the
figures as plain values judged with OBS's thresholds, and the bitrate of the last minute for a graph.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace

from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.engine_events import PushState, PushStats
from ingress_studio.children.watch_events import WatchStats
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.display.ingress_view import STATUS_LABELS, audio_summary, current_error
from ingress_studio.display.stats_figures import (
    NO_FIGURE,
    NO_VALUE,
    Figure,
    Level,
    bitrate_text,
    cpu_text,
    data_text,
    encode_lag_figure,
    encoder_advice,
    fps_figure,
    share_figure,
    uptime_text,
)
from ingress_studio.domain.ingress_kinds import Status

DEFAULT_RECONNECT_TRIES = 25  # the engine's default, and OBS's
HISTORY_WINDOW_S = 60.0
HISTORY_LIMIT = 600  # points: a minute at ten events a second, should they ever come that fast

INGRESS_LEVELS = {
    Status.ENDPOINT_PUBLISHING: Level.OK,
    Status.ENDPOINT_BUFFERING: Level.WARNING,
    Status.ENDPOINT_ERROR: Level.DANGER,
}


@dataclass(frozen=True)
class EngineFigures:
    """What leaves this machine, as the engine measures it."""

    status: Figure
    fps: Figure
    skipped: Figure  # encoding lag
    lost: Figure  # the network
    encode_lag: Figure
    cpu: Figure
    data_sent: Figure
    uptime: Figure
    bitrate: Figure
    problem: str  # a target's last failure, as a sentence, or ""
    advice: str = ""  # what the streamer can do about what the figures show, or ""


NO_ENGINE = EngineFigures(
    Figure("Not live"), NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, ""
)


@dataclass(frozen=True)
class IngressFigures:
    """What arrives, as the ingress itself reports it."""

    status: Figure
    input_size: Figure
    fps: Figure
    bitrate: Figure
    audio: Figure
    problem: str  # the ingress's error, or ""
    # glass-to-glass, capture → the room's viewer, from the clock stamp (the room view's watcher measures it)
    latency: Figure = NO_VALUE


NO_INGRESS = IngressFigures(NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, "")


@dataclass(frozen=True)
class BitratePoint:
    age_s: float  # seconds before the newest point (0 for it)
    bits_per_second: int


def status_figure(stats: PushStats, reconnect_tries: int) -> Figure:
    """LIVE, Connecting…, "Reconnecting in N s (attempt k of 25)", Stopped."""
    if stats.state is PushState.LIVE:
        return Figure("LIVE", Level.OK)
    if stats.state is PushState.CONNECTING:
        return Figure("Connecting…")
    if stats.state is PushState.STOPPED:
        return Figure("Stopped")
    of = f"attempt {stats.reconnect_attempt} of {reconnect_tries}"
    wait = stats.next_retry_in_s
    if not stats.reconnect_attempt:
        return Figure("Reconnecting…", Level.DANGER)
    if wait is None or wait <= 0:  # the attempt is under way
        return Figure(f"Reconnecting ({of})", Level.DANGER)
    return Figure(f"Reconnecting in {math.ceil(wait)} s ({of})", Level.DANGER)


def ingress_figures(info: ingress_pb.IngressInfo | None, target_fps: float | None) -> IngressFigures:
    """The ingress's own measurements; its frame rate judged against what we aim to send, when we send."""
    if info is None:
        return NO_INGRESS
    state = info.state
    video, audio = state.video, state.audio
    status = Figure(STATUS_LABELS.get(state.status, str(state.status)), INGRESS_LEVELS.get(state.status, Level.NONE))
    codec = f" · {video.mime_type.split('/')[-1]}" if video.mime_type else ""
    size = Figure(f"{video.width}x{video.height}{codec}") if video.width else NO_VALUE
    fps = fps_figure(video.framerate, target_fps) if video.framerate else NO_VALUE
    total = video.average_bitrate + audio.average_bitrate
    bitrate = Figure(bitrate_text(total)) if total else NO_VALUE
    audio_figure = Figure(audio_summary(audio, compact=True) or NO_FIGURE)  # the sample rate: in the details
    return IngressFigures(status, size, fps, bitrate, audio_figure, current_error(info))


NOT_STAMPED = "— (picture not stamped)"


def latency_figure(stats: WatchStats | None) -> Figure:
    """ "p50 65 ms · p95 98 ms" over the last 10 s; "not stamped" while pictures arrive without the clock
    stamp (the row's tooltip says how to turn it on); no value while nothing arrives."""
    if stats is None:
        return NO_VALUE
    if stats.latency_p50_ms is None or stats.latency_p95_ms is None:
        return Figure(NOT_STAMPED) if stats.first_frame_s is not None else NO_VALUE
    return Figure(f"p50 {stats.latency_p50_ms} ms · p95 {stats.latency_p95_ms} ms")


class StreamStats:
    """Feed it with `take_stats` and `take_ingress`; read `engine`, `ingress`, `history()` and `progress`."""

    def __init__(self, reconnect_tries: int = DEFAULT_RECONNECT_TRIES) -> None:
        self.reconnect_tries = reconnect_tries  # as the push was started with: the "of 25" in "attempt k of 25"
        self._stats: PushStats | None = None
        self._info: ingress_pb.IngressInfo | None = None
        self._recent_encode_ms: float | None = None
        self._history: deque[tuple[float, int]] = deque(maxlen=HISTORY_LIMIT)  # (elapsed, bits per second)
        self._latency = NO_VALUE

    def clear(self) -> None:
        """No push: the engine's side empties; the ingress's side stays (it is still there)."""
        self._stats = None
        self._recent_encode_ms = None
        self._history.clear()

    def take_stats(self, stats: PushStats) -> None:
        previous = self._stats
        if previous is not None and stats.elapsed < previous.elapsed:
            self.clear()  # a new push began: its minute starts afresh
            previous = None
        if stats.state is PushState.STOPPED and previous is not None and previous.state is not PushState.STOPPED:
            # The last event is sampled while the push winds down, over a part of a second: its rates would
            # read as a collapse. Rates stay those of the last full second; the counts are the final ones.
            stats = replace(
                stats,
                fps_in=previous.fps_in,
                fps_out=previous.fps_out,
                bitrate=previous.bitrate,
                speed=previous.speed,
                cpu_percent=previous.cpu_percent,
            )
        else:
            self._recent_encode_ms = _recent_encode_ms(previous, stats)
        self._stats = stats
        self._history.append((stats.elapsed, stats.bitrate))
        while self._history and self._history[0][0] < stats.elapsed - HISTORY_WINDOW_S:
            self._history.popleft()

    def take_ingress(self, info: ingress_pb.IngressInfo | None) -> None:
        self._info = info

    def take_room(self, stats: WatchStats | None) -> None:
        """What the room's viewer measures (None: it watches nothing now): the latency when pictures are stamped."""
        self._latency = latency_figure(stats)

    @property
    def engine(self) -> EngineFigures:
        stats = self._stats
        if stats is None:
            return NO_ENGINE
        remuxing = stats.path.startswith("remux")
        encode_ms = self._recent_encode_ms if self._recent_encode_ms is not None else stats.encode_ms_per_frame
        return EngineFigures(
            status=status_figure(stats, self.reconnect_tries),
            fps=fps_figure(stats.fps_out, stats.target_fps),
            skipped=share_figure(stats.frames_skipped, stats.frames_read),
            lost=share_figure(stats.frames_lost, stats.frames_output),
            encode_lag=Figure("none: remuxing") if remuxing else encode_lag_figure(encode_ms, stats.target_fps),
            cpu=Figure(cpu_text(stats.cpu_percent)),
            data_sent=Figure(data_text(stats.bytes_sent)),
            uptime=Figure(uptime_text(stats.elapsed)),
            bitrate=Figure(bitrate_text(stats.bitrate)),
            problem=next((t.error for t in stats.targets if t.error), ""),
            advice=encoder_advice(stats.frames_skipped, stats.frames_read),
        )

    @property
    def ingress(self) -> IngressFigures:
        figures = ingress_figures(self._info, self._stats.target_fps if self._stats is not None else None)
        return replace(figures, latency=self._latency)

    def history(self) -> tuple[BitratePoint, ...]:
        """The bitrate over the last minute, oldest first."""
        if not self._history:
            return ()
        newest = self._history[-1][0]
        return tuple(BitratePoint(newest - elapsed, bits) for elapsed, bits in self._history)

    @property
    def progress(self) -> PlaybackPosition | None:
        return PlaybackPosition.of_stats(self._stats) if self._stats is not None else None


def _recent_encode_ms(previous: PushStats | None, now: PushStats) -> float | None:
    """The encode time per frame over the last interval, from two running averages; None without an interval."""
    if previous is None:
        return None
    frames = now.frames_encoded - previous.frames_encoded
    if frames <= 0:
        return None
    spent = now.encode_ms_per_frame * now.frames_encoded - previous.encode_ms_per_frame * previous.frames_encoded
    return max(0.0, spent / frames)
