"""Targets and sources beyond the basics: RTMPS certificates, --ingress lookups, HTTP sources."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.media.whip_certificate import self_signed_p256
from support import nginx_rtmp
from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp
from support.run_program import push
from support.sandbox_process import SandboxServer


@pytest.fixture
def self_signed_tls_server(tmp_path: Path) -> Iterator[int]:
    """A TLS server with a certificate nobody trusts (what a man in the middle would present)."""
    cert_pem, key_pem = self_signed_p256("127.0.0.1")
    (tmp_path / "c.pem").write_bytes(cert_pem)
    (tmp_path / "k.pem").write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    done.set()
    thread.join(2)
    listener.close()


def test_rtmps_with_an_untrusted_certificate_is_refused(self_signed_tls_server: int) -> None:
    result = push("test:", "--rtmp", f"rtmps://127.0.0.1:{self_signed_tls_server}/x", "--stream-key", "secretkey99")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ingress-studio push: The certificate of 127.0.0.1:{self_signed_tls_server} is not trusted")
    assert last.endswith("refusing to send the stream key.")
    assert "secretkey99" not in result.stderr


async def test_ingress_lookup_errors(fresh_sandbox: SandboxServer) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        url_ingress = await client.create(
            ingress_pb.CreateIngressRequest(
                input_type=ingress_pb.URL_INPUT, url="https://x.test/a.mp4", room_name="r", participant_identity="u"
            )
        )
    creds = ["--sandbox", "--url", fresh_sandbox.url]
    pulled = push("test:", "--ingress", url_ingress.ingress_id, *creds)
    assert pulled.returncode == 1
    assert pulled.stderr.strip().endswith(
        f"Ingress {url_ingress.ingress_id} is a URL ingress: it pulls its media itself."
    )
    missing = push("test:", "--ingress", "IN_nothere", *creds)
    assert missing.returncode == 1 and "Not found: ingress does not exist." in missing.stderr


@pytest.fixture
def http_files(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server for a folder, with Range support (FFmpeg seeks in MP4 files), on loopback."""
    folder = tmp_path / "www"
    folder.mkdir()
    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_static("/", folder)
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", folder
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


@pytest.mark.skipif(not nginx_rtmp.available(), reason="needs nginx with libnginx-mod-rtmp")
def test_http_source(http_files: tuple[str, Path], tmp_path: Path) -> None:
    base, folder = http_files
    make_media(folder / "clip.mp4", 3, bframes=2)
    nginx = NginxRtmp(tmp_path / "nginx").start()
    try:
        result = push(f"{base}/clip.mp4", "--rtmp", f"{nginx.url}/http")
        assert result.returncode == 0, result.stderr
        assert read_back(nginx.recordings("http")[0])["video_span"] == pytest.approx(3, abs=0.3)
        missing = push(f"{base}/nothing.mp4", "--rtmp", f"{nginx.url}/none")
        assert missing.returncode == 1
        assert f"Cannot open {base}/nothing.mp4" in missing.stderr.strip().splitlines()[-1]
        assert "Traceback" not in missing.stderr
    finally:
        nginx.stop()
