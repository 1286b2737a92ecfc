"""The parts of PyAV's FFmpeg the engine needs, checked in the FFmpeg this process runs with.

FFmpeg builds differ by platform and by packager (FACTS §3: the Linux wheel has no srt), and a frozen build
may lose a library. Encoders and muxers are looked up by name. PyAV lists no protocols, so each protocol is
tried for real: FFmpeg opens a URL on a local listener, which reads the first bytes it is sent — an RTMP
handshake (version byte 3) or a TLS ClientHello (record type 22) — and closes; "protocol not found" is the
missing one. WHIP needs the `whip` muxer (FFmpeg's WebRTC publisher: HTTP(S) signalling, ICE, DTLS, SRTP in
one), and a real WHIP push is what shows its DTLS and SRTP work.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import av
import av.codec
import av.error
import av.format

from ingress_studio.media.encoders import AUDIO_ENCODERS, VIDEO_ENCODERS

PROBE_TIMEOUT_S = 5.0
WAKE_S = 0.05
RTMP_VERSION_BYTE = 0x03  # C0 of the RTMP handshake
TLS_HANDSHAKE_RECORD = 0x16  # the ClientHello's record type


@dataclass(frozen=True)
class Component:
    kind: str  # "encoder", "muxer", "protocol"
    name: str
    used_for: str


@dataclass(frozen=True)
class Finding:
    component: Component
    present: bool
    detail: str  # what FFmpeg calls it or what it sent; why not, when absent


ENCODERS = (
    Component("encoder", VIDEO_ENCODERS["h264"], "H.264 video for RTMP and WHIP"),
    Component("encoder", AUDIO_ENCODERS["aac"], "AAC audio for RTMP"),
    Component("encoder", AUDIO_ENCODERS["opus"], "Opus audio for WHIP"),
)
MUXERS = (
    Component("muxer", "flv", "RTMP(S) publishing"),
    Component("muxer", "whip", "WHIP publishing"),
)
# What each protocol's first bytes to a server must start with.
PROTOCOLS = {
    Component("protocol", "rtmp", "RTMP ingresses"): RTMP_VERSION_BYTE,
    Component("protocol", "rtmps", "RTMPS (LiveKit Cloud's RTMP)"): TLS_HANDSHAKE_RECORD,
    Component("protocol", "https", "WHIP signalling to https:// endpoints"): TLS_HANDSHAKE_RECORD,
}


def ffmpeg_versions() -> str:
    return f"PyAV {av.__version__}, FFmpeg {av.ffmpeg_version_info}"


def find_encoder(component: Component) -> Finding:
    try:
        codec = av.codec.Codec(component.name, "w")
    except ValueError:  # UnknownCodecError
        return Finding(component, False, f"this FFmpeg has no {component.name} encoder ({component.used_for})")
    return Finding(component, True, codec.long_name)


def find_muxer(component: Component) -> Finding:
    if component.name not in av.formats_available:
        return Finding(component, False, f"this FFmpeg has no {component.name} muxer ({component.used_for})")
    muxer = av.format.ContainerFormat(component.name, "w")
    if not muxer.is_output:
        return Finding(component, False, f"this FFmpeg's {component.name} format cannot write ({component.used_for})")
    return Finding(component, True, muxer.long_name)


class _FirstBytes:
    """A one-connection local listener that keeps the first bytes it receives, then hangs up."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self.received = b""
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="protocol-probe", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        # short waits, not one blocking accept: closing the socket does not wake an accept() on Linux
        while not self._closing.is_set():
            waiting, _, _ = select.select([self._server], [], [], WAKE_S)
            if waiting:
                break
        else:
            return
        with contextlib.suppress(OSError):
            connection, _ = self._server.accept()
            with connection:
                connection.settimeout(PROBE_TIMEOUT_S)
                self.received = connection.recv(16)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(PROBE_TIMEOUT_S)
        self._server.close()


@contextlib.contextmanager
def _listener() -> Iterator[_FirstBytes]:
    listener = _FirstBytes()
    try:
        yield listener
    finally:
        listener.close()


def try_protocol(component: Component, first_byte: int) -> Finding:
    with _listener() as listener:
        url = f"{component.name}://127.0.0.1:{listener.port}/self-test/probe"
        try:
            av.open(url, timeout=PROBE_TIMEOUT_S).close()  # the listener hangs up: this fails, as it should
        except av.error.ProtocolNotFoundError:
            return Finding(component, False, f"this FFmpeg has no {component.name} protocol ({component.used_for})")
        except (av.error.FFmpegError, OSError):
            pass
    received = listener.received
    if not received:
        return Finding(component, False, f"{component.name} sent nothing to a local server")
    if received[0] != first_byte:
        return Finding(component, False, f"{component.name} sent an unexpected first byte ({received[0]:#04x})")
    said = "an RTMP handshake" if first_byte == RTMP_VERSION_BYTE else "a TLS handshake"
    return Finding(component, True, f"sent {said} to a local server")


def check_components() -> list[Finding]:
    """Every component the engine needs, in the order above."""
    findings = [find_encoder(c) for c in ENCODERS] + [find_muxer(c) for c in MUXERS]
    return findings + [try_protocol(c, first) for c, first in PROTOCOLS.items()]
