"""Preview pictures of the received video: RGBA frames → scaled JPEGs, at most 10 a second, encoded on a
worker thread so that the event loop (the SDK's callbacks, the stats) never waits for the encoder."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import Any

import av
import numpy

from ingress_studio.media.thumbnails import Thumbnailer

log = logging.getLogger(__name__)

MAX_PREVIEWS_PER_SECOND = 10.0

Emit = Callable[[dict[str, Any]], None]


def rgba_to_jpeg(thumbnailer: Thumbnailer, rgba: bytes, width: int, height: int) -> tuple[bytes, int, int] | None:
    pixels = numpy.frombuffer(rgba, dtype=numpy.uint8).reshape(height, width, 4)
    return thumbnailer.jpeg(av.VideoFrame.from_ndarray(pixels, format="rgba"))


class PreviewPictures:
    def __init__(self, max_width: int, emit: Emit, max_per_second: float = MAX_PREVIEWS_PER_SECOND) -> None:
        self._thumbnailer = Thumbnailer(max_width)
        self._emit = emit
        self._interval = 1.0 / max_per_second
        self._next_at = 0.0
        self._busy = False  # one picture at a time: a slow encoder skips pictures, it never queues them
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview")

    def offer(self, rgba: memoryview | bytes, width: int, height: int) -> None:
        """A decoded RGBA picture (on the loop); encoded when one is due and the last one is done."""
        now = time.monotonic()
        if self._busy or now < self._next_at or width < 2 or height < 2:
            return
        self._busy = True
        self._next_at = max(self._next_at + self._interval, now)
        copy = bytes(rgba)  # the SDK may reuse its buffer once the reader moves on
        job = asyncio.get_running_loop().run_in_executor(
            self._worker, rgba_to_jpeg, self._thumbnailer, copy, width, height
        )
        job.add_done_callback(self._encoded)

    def _encoded(self, job: asyncio.Future[tuple[bytes, int, int] | None]) -> None:
        self._busy = False
        if job.cancelled():
            return
        error = job.exception()
        if error is not None:  # a preview is a nicety: never a reason to stop watching
            log.warning("preview picture skipped: %r", error)
            return
        result = job.result()
        if result is not None:
            jpeg, width, height = result
            self._emit(
                {"event": "preview", "width": width, "height": height, "jpeg": base64.b64encode(jpeg).decode("ascii")}
            )

    def close(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)
