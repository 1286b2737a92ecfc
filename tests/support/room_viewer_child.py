"""A room viewer for tests: joins with the official `livekit.rtc.Room` and prints JSON lines.

Run as a child process (the SDK's native library can abort its process on bad server data):
    python room_viewer_child.py URL TOKEN [SECONDS]
Lines: {"event": "joined", "join_s", "participants": [{identity, kind, tracks: [{sid, kind}]}]},
{"event": "participant", "identity", "present"}, {"event": "subscribed", "track", "kind", "identity"},
{"event": "video", "width", "height", "frames", "track"},
{"event": "audio", "frames", "sample_rate", "track"}, {"event": "refused", "message"},
{"event": "disconnected", "reason"}, {"event": "done"}. Video and audio lines come on the first frame of a
track and then every 10th (video) or 50th (audio).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from typing import Any

from livekit import rtc


def say(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, "t": round(time.monotonic(), 3), **fields}), flush=True)


async def watch_video(track: rtc.Track) -> None:
    stream = rtc.VideoStream(track, format=rtc.VideoBufferType.RGBA, capacity=2)
    frames = 0
    async for event in stream:
        frames += 1
        if frames == 1 or frames % 10 == 0:
            say("video", width=event.frame.width, height=event.frame.height, frames=frames, track=track.sid)


async def watch_audio(track: rtc.Track) -> None:
    stream = rtc.AudioStream(track, sample_rate=48000, num_channels=1)
    frames = 0
    async for event in stream:
        frames += 1
        if frames == 1 or frames % 50 == 0:
            peak = max((abs(s) for s in event.frame.data), default=0)  # int16 samples
            say("audio", frames=frames, sample_rate=event.frame.sample_rate, peak=peak, track=track.sid)


def describe(participant: rtc.RemoteParticipant) -> dict[str, Any]:
    tracks = [
        {"sid": publication.sid, "kind": "video" if publication.kind == rtc.TrackKind.KIND_VIDEO else "audio"}
        for publication in participant.track_publications.values()
    ]
    return {"identity": participant.identity, "name": participant.name, "kind": int(participant.kind), "tracks": tracks}


async def main(url: str, token: str, seconds: float) -> None:
    room = rtc.Room()
    tasks: set[asyncio.Task[None]] = set()
    ended = asyncio.Event()
    leaving = False

    @room.on("track_subscribed")
    def subscribed(
        track: rtc.Track, _publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant
    ) -> None:
        say("subscribed", track=track.sid, kind="video" if track.kind == rtc.TrackKind.KIND_VIDEO else "audio",
            identity=participant.identity)  # fmt: skip
        watcher = watch_video(track) if track.kind == rtc.TrackKind.KIND_VIDEO else watch_audio(track)
        task = asyncio.ensure_future(watcher)
        tasks.add(task)

    @room.on("participant_connected")
    def connected(participant: rtc.RemoteParticipant) -> None:
        say("participant", identity=participant.identity, present=True)

    @room.on("participant_disconnected")
    def disconnected(participant: rtc.RemoteParticipant) -> None:
        say("participant", identity=participant.identity, present=False)

    @room.on("disconnected")
    def room_disconnected(reason: Any) -> None:
        if not leaving:  # our own disconnect() below is not news
            say("disconnected", reason=str(reason))
        ended.set()

    started = time.monotonic()
    try:
        await room.connect(url, token, rtc.RoomOptions(auto_subscribe=True))
    except rtc.ConnectError as exc:
        say("refused", message=str(exc))
        return
    say("joined", join_s=round(time.monotonic() - started, 3),
        participants=[describe(p) for p in room.remote_participants.values()])  # fmt: skip
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ended.wait(), seconds)
    for task in tasks:
        task.cancel()
    if not ended.is_set():
        leaving = True
        await room.disconnect()
    say("done")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 30.0))
    sys.stdout.flush()
    # The SDK's native threads sometimes abort at interpreter exit after disconnect() (FACTS §6): leave at once.
    import os

    os._exit(0)
