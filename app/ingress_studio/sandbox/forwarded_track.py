"""One viewer's copy of one ingress track: what aiortc's sender pulls (`recv()`) to send to that viewer.

Encoded pictures and Opus packets come as `av.Packet`, which aiortc sends as they are (no encoder);
decoded frames (WHIP input) come as frames, which aiortc encodes for this viewer.
"""

from __future__ import annotations

import asyncio
from fractions import Fraction
from typing import Any, TypeAlias

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

VIDEO_CLOCK = Fraction(1, 90000)
BURST_STEP = 90  # 1 ms: the cached pictures a new viewer starts with follow each other this closely
QUEUE_LIMIT = 120  # about 4 s of video: a viewer whose connection falls further behind skips ahead
FRAME_QUEUE_LIMIT = 8  # decoded pictures (WHIP) are megabytes each: a slow encoder skips instead

Media: TypeAlias = "av.Packet[Any] | av.VideoFrame | av.AudioFrame"


class ForwardedTrack(MediaStreamTrack):
    def __init__(self, kind: str, track_sid: str) -> None:
        super().__init__()
        self.kind = kind
        self._id = track_sid  # becomes the msid's track id, which the SDK reads as the track's sid
        self._queue: asyncio.Queue[Media | None] = asyncio.Queue()
        self._shift = 0  # in VIDEO_CLOCK ticks: live pictures are moved back by this to follow the burst
        self.needs_keyframe = kind == "video"
        self._limit = QUEUE_LIMIT  # grows by the burst a new viewer starts with, so the burst is not dropped
        self.sent = 0

    # -- fed by the room feed (event loop thread) ----------------------------------------------

    def start_with(self, pictures: list[tuple[bytes, int]]) -> None:
        """Queue the pictures since the last keyframe (data, pts in ms), each 1 ms after the other.

        Sent at their own pace they would put the viewer a whole keyframe interval behind the live edge:
        squeezed together they are decoded at once and the next live picture follows right after them."""
        if not pictures:
            return
        first, last = pictures[0][1] * 90, pictures[-1][1] * 90
        for index, (data, _pts) in enumerate(pictures):
            self._put(_packet(data, first + index * BURST_STEP, VIDEO_CLOCK))
        self._shift = last - (first + (len(pictures) - 1) * BURST_STEP)
        self._limit = QUEUE_LIMIT + len(pictures)
        self.needs_keyframe = False

    def picture(self, data: bytes, pts_ms: int, keyframe: bool) -> None:
        if self.needs_keyframe and not keyframe:
            return
        if self._queue.qsize() >= self._limit:
            self._drop_queued()
            self.needs_keyframe = True  # what is queued refers to pictures now lost: wait for the next keyframe
            if not keyframe:
                return
        self.needs_keyframe = False
        self._put(_packet(data, pts_ms * 90 - self._shift, VIDEO_CLOCK))

    def media(self, item: av.Packet[Any] | av.VideoFrame | av.AudioFrame) -> None:
        """An Opus packet or a decoded frame; the oldest goes when the viewer is too far behind."""
        limit = FRAME_QUEUE_LIMIT if isinstance(item, av.VideoFrame) else self._limit
        if self._queue.qsize() >= limit:
            self._drop_queued()
        self._put(item)

    def end(self) -> None:
        self._queue.put_nowait(None)

    def _put(self, item: Media) -> None:
        if self.readyState == "live":
            self._queue.put_nowait(item)

    def _drop_queued(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    # -- pulled by aiortc ----------------------------------------------------------------------

    async def recv(self) -> Media:
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._queue.get()
        if item is None:
            self.stop()
            raise MediaStreamError
        self.sent += 1
        return item


def _packet(data: bytes, pts: int, time_base: Fraction) -> av.Packet[Any]:
    packet = av.Packet(data)
    packet.pts = packet.dts = pts
    packet.time_base = time_base
    return packet
