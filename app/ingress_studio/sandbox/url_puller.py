"""A URL ingress's pull: read the URL at real time, like the ingress service, and meter it.

Runs in a thread (PyAV blocks); tells the event loop how it ended: the end of the media (COMPLETE)
or a failure (ERROR with a sentence naming it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from fractions import Fraction

import av

from ingress_studio.media.errors import MediaError
from ingress_studio.media.inputs import OpenedInput, open_input
from ingress_studio.media.source_spec import SourceKind, SourceSpec
from ingress_studio.sandbox.input_meter import mime_type_for
from ingress_studio.sandbox.live_session import LiveSession

log = logging.getLogger(__name__)

Finished = Callable[[str], None]  # "" = the media ended; else the error
_MS = Fraction(1, 1000)


class UrlPuller:
    def __init__(self, url: str, on_finished: Finished) -> None:
        self.url = url
        self._on_finished = on_finished
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, session: LiveSession) -> None:
        name = f"pull-{session.ingress_id}"
        self._thread = threading.Thread(target=self._run, args=(session,), name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self, session: LiveSession) -> None:
        error = ""
        try:
            opened = open_input(SourceSpec(SourceKind.URL, self.url))
            try:
                self._pull(opened, session)
            finally:
                opened.close()
        except MediaError as exc:
            error = exc.message
        except av.FFmpegError as exc:
            error = f"Reading {self.url} failed: {exc.strerror or exc}."
        except Exception as exc:  # the pull is the session: report whatever stops it
            log.exception("pulling %s failed", self.url)
            error = f"Reading {self.url} failed: {exc}."
        if not self._stop.is_set():
            self._on_finished(error)

    def _pull(self, opened: OpenedInput, session: LiveSession) -> None:
        streams = [s for s in (opened.video, opened.audio) if s is not None]
        for stream in streams:
            kind = "video" if stream is opened.video else "audio"
            session.meter.codec(kind, mime_type_for(stream.codec_context.name, kind))
            session.preview.configure(kind, stream.codec_context.name, stream.codec_context.extradata)
            session.feed.configure(kind, stream.codec_context.name, stream.codec_context.extradata)
        clock_start: float | None = None
        first_time = 0.0
        for packet in opened.container.demux(streams):
            if self._stop.is_set():
                return
            if packet.size == 0 or packet.dts is None or packet.time_base is None:
                continue
            media_time = float(packet.dts * packet.time_base)
            if clock_start is None:
                clock_start, first_time = time.monotonic(), media_time
            ahead = (media_time - first_time) - (time.monotonic() - clock_start)
            if ahead > 0 and self._stop.wait(ahead):  # real time, like a live ingest
                return
            kind = "video" if packet.stream is opened.video else "audio"
            session.meter.packet(kind, packet.size, media_time if kind == "video" else None)
            dts_ms = round(media_time * 1000)
            pts_ms = round(float(packet.pts * packet.time_base) * 1000) if packet.pts is not None else dts_ms
            data = bytes(packet)
            session.preview.packet(kind, data, packet.is_keyframe, dts_ms, pts_ms)
            session.feed.packet(kind, data, packet.is_keyframe, dts_ms, pts_ms)
