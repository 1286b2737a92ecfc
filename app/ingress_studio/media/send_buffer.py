"""Keep the kernel from hoarding a stalled stream: a small send buffer on an RTMP connection's socket.

Linux lets a TCP send buffer grow to megabytes (4 MB by default: 15 s of a 2 Mbps stream). When the
network stalls, everything written meanwhile waits there, out of the engine's reach, and goes out late
once the network is back — the viewer then watches the stall's backlog instead of now. With the buffer
bounded to about half a second of the stream, a stall blocks the muxer instead, the sink's queue grows,
and the sink drops the backlog (sinks.BACKLOG_LIMIT_S). OBS sizes its RTMP socket's buffer for the
same reason.

FFmpeg's RTMP protocol takes no socket options from PyAV, so the socket is found among the process's
open descriptors by the address it is connected to. Where descriptors cannot be listed (Windows), the
buffer stays as the system sized it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket

log = logging.getLogger(__name__)

SEND_BUFFER_S = 0.5  # of the stream's bitrate: enough for a long round trip, too little to hide a stall
MIN_SEND_BUFFER = 64 * 1024
DESCRIPTOR_FOLDERS = ("/proc/self/fd", "/dev/fd")


def send_buffer_bytes(bitrate_bps: int) -> int:
    return max(MIN_SEND_BUFFER, round(bitrate_bps * SEND_BUFFER_S / 8))


def limit_send_buffer(host: str, port: int, size: int) -> int:
    """Sets SO_SNDBUF on this process's TCP sockets connected to host:port; how many it set."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except OSError:
        return 0
    done = 0
    for fd in _open_descriptors():
        try:
            sock = socket.socket(fileno=os.dup(fd))  # a duplicate: closing it leaves FFmpeg's socket open
        except OSError:
            continue  # not a socket, or gone meanwhile
        with sock:
            try:
                if sock.type != socket.SOCK_STREAM:
                    continue
                peer = sock.getpeername()
            except OSError:
                continue
            if peer[0] in addresses and peer[1] == port:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)
                    done += 1
    if done:
        log.debug("send buffer of %d bytes on %d connection(s) to %s:%d", size, done, host, port)
    return done


def _open_descriptors() -> list[int]:
    for folder in DESCRIPTOR_FOLDERS:
        with contextlib.suppress(OSError):
            return [int(name) for name in os.listdir(folder) if name.isdigit()]
    return []
