"""Keep the kernel from hoarding a stalled stream: a small send buffer on an RTMP connection's socket.

Linux lets a TCP send buffer grow to megabytes (4 MB by default: 15 s of a 2 Mbps stream). When the
network stalls, everything written meanwhile waits there, out of the engine's reach, and goes out late
once the network is back — the viewer then watches the stall's backlog instead of now. With the buffer
bounded to about a second of the stream (half a second set; Linux doubles it), a stall blocks the muxer,
the sink's queue grows, and the sink drops the backlog (sinks.BACKLOG_LIMIT_S). OBS sizes its RTMP
socket's buffer for the same reason.

FFmpeg's RTMP protocol takes no socket options from PyAV, so the socket is found among the process's
open descriptors by the address it is connected to. Where descriptors cannot be listed (Windows), the
buffer stays as the system sized it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat

log = logging.getLogger(__name__)

# Of the stream's bitrate: enough for a long round trip, too little to hide a stall. Linux doubles what is
# set (for its own bookkeeping), so about a second of stream can still wait in the kernel.
SEND_BUFFER_S = 0.5
MIN_SEND_BUFFER = 64 * 1024
DESCRIPTOR_FOLDERS = ("/proc/self/fd", "/dev/fd")


def send_buffer_bytes(bitrate_bps: int) -> int:
    return max(MIN_SEND_BUFFER, round(bitrate_bps * SEND_BUFFER_S / 8))


def limit_send_buffer(host: str, port: int, size: int) -> int:
    """Sets SO_SNDBUF on this process's TCP sockets connected to host:port; how many it set. Never raises:
    a buffer left as the system sized it only costs latency after a stall."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
        done = sum(_bound(fd, addresses, port, size) for fd in _open_descriptors())
    except Exception:  # a lookup or a descriptor that fails in a way not foreseen here
        log.info("could not bound the send buffer to %s:%d", host, port, exc_info=True)
        return 0
    if done:
        log.debug("send buffer of %d bytes on %d connection(s) to %s:%d", size, done, host, port)
    else:
        log.info("no connection to %s:%d found to bound its send buffer", host, port)
    return done


def _bound(fd: int, addresses: set[str], port: int, size: int) -> bool:
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            return False
        duplicate = os.dup(fd)  # closing our socket object then leaves FFmpeg's descriptor open
    except OSError:
        return False  # gone meanwhile
    try:
        sock = socket.socket(fileno=duplicate)
    except OSError:
        os.close(duplicate)
        return False
    with sock:
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
            return False
        try:
            peer = sock.getpeername()
            if peer[0] not in addresses or peer[1] != port:
                return False
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)
        except OSError:
            return False  # not connected, or closed meanwhile
        return True


def _open_descriptors() -> list[int]:
    for folder in DESCRIPTOR_FOLDERS:
        with contextlib.suppress(OSError):
            return [int(name) for name in os.listdir(folder) if name.isdigit()]
    return []
