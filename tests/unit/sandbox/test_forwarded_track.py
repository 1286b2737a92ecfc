"""A viewer's copy of a track: the burst a new viewer starts with survives the next live picture, and decoded
pictures (megabytes each) are held only a few at a time."""

from __future__ import annotations

import av

from ingress_studio.sandbox.forwarded_track import FRAME_QUEUE_LIMIT, QUEUE_LIMIT, ForwardedTrack


async def test_a_long_keyframe_interval_burst_is_not_dropped_by_the_next_picture() -> None:
    track = ForwardedTrack("video", "TR_a")
    burst = [(b"\x00\x00\x00\x01\x65" if index == 0 else b"\x00\x00\x00\x01\x41", index * 16) for index in range(200)]
    track.start_with(burst)  # a 60 fps source late in a long keyframe interval: more than QUEUE_LIMIT pictures
    assert len(burst) > QUEUE_LIMIT
    track.picture(b"\x00\x00\x00\x01\x41", 200 * 16, keyframe=False)
    first = await track.recv()
    assert bytes(first) == burst[0][0]  # the burst's keyframe is still there, first in line


async def test_decoded_pictures_queue_only_a_few() -> None:
    track = ForwardedTrack("video", "TR_b")
    for _ in range(FRAME_QUEUE_LIMIT * 3):
        track.media(av.VideoFrame(1920, 1080, "yuv420p"))
    queued = 0
    while not track._queue.empty():
        track._queue.get_nowait()
        queued += 1
    assert 0 < queued <= FRAME_QUEUE_LIMIT
