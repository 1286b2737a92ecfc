"""Before FFmpeg connects to a target: does the server answer at all, within a bounded time?

PyAV 18 opens an output's connection while holding the GIL and without FFmpeg's interrupt callback
(`start_encoding` calls `avio_open`; the WHIP muxer's HTTP request has no timeout either). A server that
accepts the connection and then says nothing, or a host that drops our packets, would freeze the whole
process for good, Ctrl-C included. A short look of our own first turns that into one sentence:
- RTMP(S): connect and make the RTMP handshake (C0/C1 → S0/S1/S2 → C2), then hang up;
- WHIP: an HTTP OPTIONS request (no offer, no key), where any answer at all means the server is alive.
A refused connection or an unknown host is left to the real attempt, which reports it at once.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
from urllib.parse import urlsplit

from ingress_studio.media.errors import TargetError

TIMEOUT_S = 10.0
RTMP_PORTS = {"rtmp": 1935, "rtmps": 443}
RTMP_VERSION = b"\x03"
HANDSHAKE_SIZE = 1536


class ServerSilent(TargetError):
    """The target took the connection (or swallowed it) and never answered."""


def _no_answer(where: str, what: str) -> ServerSilent:
    return ServerSilent(f"{where} {what} within {TIMEOUT_S:g} s: check the address and port.")


def _connect(host: str, port: int, where: str) -> socket.socket | None:
    try:
        return socket.create_connection((host, port), timeout=TIMEOUT_S)
    except TimeoutError:
        raise _no_answer(where, "could not be reached (no answer to the connection)") from None
    except OSError:
        return None  # refused, unreachable, unknown host: FFmpeg says so at once, in its own words


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed during the handshake")
        data += chunk
    return bytes(data)


def _liveness_tls() -> ssl.SSLContext:
    """TLS for these looks only: nothing secret is sent, and RTMPS certificates are verified by tls_check."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def check_rtmp_server_answers(url: str, where: str) -> None:
    """Raise ServerSilent if the RTMP(S) server at `url` does not complete a handshake in time."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host, port = parts.hostname or "", parts.port or RTMP_PORTS.get(scheme, 1935)
    raw = _connect(host, port, where)
    if raw is None:
        return
    try:
        with raw:
            sock = _liveness_tls().wrap_socket(raw, server_hostname=host) if scheme == "rtmps" else raw
            with sock:
                sock.settimeout(TIMEOUT_S)
                sock.sendall(RTMP_VERSION + bytes(8) + os.urandom(HANDSHAKE_SIZE - 8))  # C0 + C1
                answer = _read_exactly(sock, 1 + 2 * HANDSHAKE_SIZE)  # S0 + S1 + S2
                sock.sendall(answer[1 : 1 + HANDSHAKE_SIZE])  # C2 echoes S1
    except TimeoutError:
        raise _no_answer(where, "took the connection but did not answer as an RTMP server") from None
    except OSError:
        return  # it answered, if not as hoped: the real attempt will say how


def check_http_server_answers(url: str, where: str) -> None:
    """Raise ServerSilent if nothing answers an HTTP OPTIONS request to `url` in time (any status will do)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme.lower() == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, parts.port, timeout=TIMEOUT_S, context=_liveness_tls()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=TIMEOUT_S)
    try:
        connection.request("OPTIONS", parts.path or "/")
        connection.getresponse().read(0)
    except TimeoutError:
        raise _no_answer(where, "did not answer an HTTP request") from None
    except (OSError, http.client.HTTPException):
        return  # refused, reset, not HTTP: the real attempt reports it
    finally:
        connection.close()
