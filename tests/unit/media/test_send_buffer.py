"""The send buffer bound finds this process's own connection by its peer, sets it, and leaks nothing."""

from __future__ import annotations

import os
import socket

from ingress_studio.media.send_buffer import limit_send_buffer, send_buffer_bytes


def test_only_the_connection_to_the_server_is_bounded_and_no_descriptor_is_left_open() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            with accepted:
                reading, writing = os.pipe()  # descriptors that are not sockets are passed over
                try:
                    untouched = accepted.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
                    open_before = len(os.listdir("/proc/self/fd"))
                    for _ in range(5):
                        assert limit_send_buffer("127.0.0.1", port, 65536) == 1
                    assert len(os.listdir("/proc/self/fd")) == open_before
                    assert client.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) == 2 * 65536  # Linux doubles it
                    assert accepted.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) == untouched  # its peer differs
                finally:
                    os.close(reading)
                    os.close(writing)


def test_a_server_nobody_is_connected_to_bounds_nothing() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        assert limit_send_buffer("127.0.0.1", server.getsockname()[1], 65536) == 0


def test_the_buffer_is_half_a_second_of_the_stream_with_a_floor() -> None:
    assert send_buffer_bytes(2_000_000) == 125_000
    assert send_buffer_bytes(64_000) == 64 * 1024
