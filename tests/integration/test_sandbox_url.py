"""URL ingresses: the sandbox pulls the URL at real time from a local HTTP server, like the service."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from support.live_state import Status, status_is, wait_for
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from support.twirp_raw import token


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def media_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("served")
    make_media(folder / "clip.mkv", 4.0, size=(640, 360), fps=25)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def url_request(url: str) -> ingress_pb.CreateIngressRequest:
    request = ingress_pb.CreateIngressRequest(input_type=ingress_pb.URL_INPUT, url=url, room_name="media")
    request.participant_identity = "puller"
    return request


async def test_a_served_file_is_pulled_then_complete(sandbox: SandboxServer, media_server: str) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await client.create(url_request(f"{media_server}/clip.mkv"))
        assert not info.reusable
        live = await wait_for(
            client, info.ingress_id, lambda i: i.state.status == Status.ENDPOINT_PUBLISHING and i.state.video.width > 0
        )
        state = live.state
        assert state.resource_id.startswith("UR_")
        assert (state.video.mime_type, state.video.width, state.video.height) == ("video/H264", 640, 360)
        assert (state.audio.mime_type, state.audio.channels, state.audio.sample_rate) == ("audio/aac", 2, 48000)
        complete = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_COMPLETE), timeout=15)
        # Pulled at real time: the 4 s clip took about 4 s from start to end.
        seconds = (complete.state.ended_at - complete.state.started_at) / 1e9
        assert 3.5 < seconds < 8
        assert complete.state.video.framerate == pytest.approx(25, abs=0.5)
        with pytest.raises(ApiError) as refused:  # a finished URL ingress cannot be started again by an update
            await client.update(ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, name="again"))
        assert "ingress is not reusable and cannot be modified" in refused.value.message


async def test_a_missing_url_ends_in_error_with_a_readable_reason(sandbox: SandboxServer, media_server: str) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await client.create(url_request(f"{media_server}/missing.mp4"))
        failed = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_ERROR))
    assert failed.state.error == f"Cannot open {media_server}/missing.mp4: Server returned 404 Not Found."
    assert failed.state.ended_at > 0


async def test_deleting_a_pulling_url_ingress_stops_the_pull(sandbox: SandboxServer, media_server: str) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await client.create(url_request(f"{media_server}/clip.mkv"))
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        deleted = await client.delete(info.ingress_id)
        assert deleted.state.status == Status.ENDPOINT_INACTIVE
    # The session is gone with it: the sandbox no longer previews anything for this ingress.
    levels = f"{sandbox.url}/sandbox/ingress/{info.ingress_id}/levels"
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token()}"}) as http, http.get(levels) as got:
        assert got.status == 404


async def test_stopping_the_sandbox_cuts_a_pull_short_with_an_error(tmp_path: Path, media_server: str) -> None:
    server = SandboxServer(tmp_path / "sandbox").start()
    async with IngressClient(server.project()) as client:
        info = await client.create(url_request(f"{media_server}/clip.mkv"))
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
    assert server.stop() == 0  # SIGTERM mid-pull: the clip did not end, so this is not COMPLETE
    again = SandboxServer(tmp_path / "sandbox").start()
    try:
        async with IngressClient(again.project()) as client:
            [after] = await client.list(ingress_id=info.ingress_id)
        assert after.state.status == Status.ENDPOINT_ERROR
        assert after.state.error == "the sandbox stopped during the session"
    finally:
        again.stop()
