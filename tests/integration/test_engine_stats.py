"""The stats panel's figures from the real engine child (through its typed client), pushing to a real nginx-rtmp."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.children.engine_client import EngineClient
from ingress_studio.children.engine_commands import PushTarget, StartPush, StopPush, SwitchSource
from ingress_studio.children.engine_events import PushEnded, PushState, PushStats, SourceSwitched
from support.child_events import next_of
from support.media_files import make_media
from support.nginx_rtmp import NginxRtmp, available
from support.sandbox_process import SandboxServer

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


@pytest.fixture
async def engine() -> AsyncIterator[EngineClient]:
    client = await EngineClient.start()
    yield client
    client.kill()  # a failed test must not leave it running
    await client.wait(30)


def to_nginx(nginx: NginxRtmp, key: str, *sources: str, **options: object) -> StartPush:
    return StartPush(sources, (PushTarget("rtmp", nginx.url, key),), preview=False, **options)


async def stats_until(engine: EngineClient, done: Callable[[PushStats], bool]) -> list[PushStats]:
    """Every stats event up to and including the first that is `done`."""
    seen: list[PushStats] = []
    while not seen or not done(seen[-1]):
        seen.append(await next_of(engine, PushStats))
    return seen


async def test_transcoding_the_test_pattern(engine: EngineClient, nginx: NginxRtmp) -> None:
    await engine.send(to_nginx(nginx, "pattern", "test:", profile="540p25"))
    live = await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE and s.frames_output > 0)
    later = await next_of(engine, PushStats, lambda s: s.source_position is not None and s.time > live.time + 1.5)
    await engine.send(StopPush())
    await next_of(engine, PushEnded)
    assert later.target_fps == 25.0  # the profile's rate
    assert later.cpu_percent is not None and later.cpu_percent > 0  # encoding 540p costs this process something
    assert (later.source_index, later.source_count, later.source_name) == (0, 1, "test:")
    assert live.source_position is not None and later.source_position > live.source_position + 1
    assert later.source_duration is None and later.playlist_remaining is None  # a live source has no end
    assert later.frames_read >= later.frames_output > 0
    assert later.frames_dropped == later.frames_skipped + later.frames_lost
    assert later.frames_lost == 0  # nginx on this machine took everything
    assert sum(t.frames for t in later.targets) == later.frames_output


async def test_a_playlist_of_two_files_with_start_and_loop(
    engine: EngineClient, nginx: NginxRtmp, tmp_path: Path
) -> None:
    first = make_media(tmp_path / "first.mp4", 2.5, size=(320, 240))
    second = make_media(tmp_path / "second.mp4", 1.5, size=(320, 240))
    await engine.send(to_nginx(nginx, "playlist", str(first), str(second), loop=True, start=1.0))
    seen = await stats_until(engine, lambda s: s.source_index == 0 and s.time > 2.5)  # on the second pass
    await engine.send(StopPush())
    await next_of(engine, PushEnded)
    playing = [s for s in seen if s.state is PushState.LIVE and s.source_position is not None]
    in_first = [s for s in playing if s.source_index == 0 and s.time < 1.5]
    in_second = [s for s in playing if s.source_index == 1]
    assert in_first and in_second, [(s.source_index, s.time) for s in playing]
    assert all(s.source_count == 2 and s.target_fps == 30.0 for s in playing)
    start = in_first[0]
    assert start.source_name == str(first) and start.source_duration == pytest.approx(2.5, abs=0.1)
    assert start.source_position is not None and start.source_position >= 1.0  # --start cuts into the first file
    assert start.playlist_remaining == pytest.approx(2.5 - start.source_position + 1.5, abs=0.15)
    middle = in_second[0]
    assert middle.source_name == str(second) and middle.source_duration == pytest.approx(1.5, abs=0.1)
    assert middle.source_position is not None and middle.source_position < 1.1
    assert middle.playlist_remaining == pytest.approx(1.5 - middle.source_position, abs=0.15)
    again = seen[-1]  # the loop's second pass starts the first file from its beginning, not from --start
    assert again.source_position is not None and again.source_position < 1.0
    assert again.playlist_remaining == pytest.approx(2.5 - again.source_position + 1.5, abs=0.15)
    positions = [s.source_position for s in in_first]
    assert positions == sorted(positions)


async def test_switching_the_source_reports_the_new_one(engine: EngineClient, nginx: NginxRtmp, tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 3, size=(320, 240))
    await engine.send(to_nginx(nginx, "switch", "test:"))
    await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE)
    await engine.send(SwitchSource((str(clip),)))
    await next_of(engine, SourceSwitched)
    after = await next_of(engine, PushStats, lambda s: s.source_position is not None and s.source_position > 0.5)
    await engine.send(StopPush())
    await next_of(engine, PushEnded)
    assert (after.source_index, after.source_count, after.source_name) == (0, 1, str(clip))
    assert after.source_duration == pytest.approx(3.0, abs=0.1)
    assert after.playlist_remaining == pytest.approx(3.0 - after.source_position, abs=0.15)


async def test_remuxing_aims_at_the_sources_own_rate(engine: EngineClient, nginx: NginxRtmp, tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip25.mp4", 2, size=(320, 240), fps=25)
    await engine.send(to_nginx(nginx, "remux", str(clip)))
    live = await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE and s.frames_output > 0)
    await next_of(engine, PushEnded)
    assert live.path.startswith("remux") and live.target_fps == 25.0
    assert live.source_duration == pytest.approx(2.0, abs=0.1)


async def test_two_encoders_still_count_one_picture_rate(
    engine: EngineClient, nginx: NginxRtmp, fresh_sandbox: SandboxServer
) -> None:
    """RTMP and WHIP take different encodings (two encoders, one per setting): the rate out is the picture
    rate, not the sum of what the encoders made."""
    async with IngressClient(fresh_sandbox.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=ingress_pb.WHIP_INPUT, name="guest", room_name="r")
        request.participant_identity = "guest"
        whip = await client.create(request)
    targets = (PushTarget("rtmp", nginx.url, "both"), PushTarget("whip", whip.url, whip.stream_key))
    await engine.send(StartPush(("test:",), targets, profile="540p25", preview=False))
    live = await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE and s.time > 3)
    await engine.send(StopPush())
    await next_of(engine, PushEnded)
    assert live.fps_out == pytest.approx(25, abs=3), live
    assert live.frames_output == pytest.approx(2 * live.frames_encoded, abs=60)  # each target got its copy
