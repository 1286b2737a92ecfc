"""FFmpeg's log reaches Python only while a connection is being opened (PyAV: logging from FFmpeg's own
threads through Python can deadlock), and a refusal's words are read from it."""

from __future__ import annotations

import threading

import av.logging

from ingress_studio.media.ffmpeg_log import captured_ffmpeg_errors, rtmp_server_error


def test_the_level_is_set_only_while_some_thread_captures() -> None:
    assert av.logging.get_level() is None
    inside = threading.Event()
    leave = threading.Event()

    def other_connection() -> None:
        with captured_ffmpeg_errors():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_connection)
    thread.start()
    assert inside.wait(5)
    with captured_ffmpeg_errors() as errors:
        assert av.logging.get_level() == av.logging.ERROR
        errors.done()  # this connection sent its first packet; the other one still opens
        assert av.logging.get_level() == av.logging.ERROR
    leave.set()
    thread.join(5)
    assert av.logging.get_level() is None


def test_the_rtmp_servers_last_refusal_is_read() -> None:
    lines = [(16, "rtmp", "Server error: ingress does not exist\n"), (16, "rtmp", "Closing connection")]
    assert rtmp_server_error(lines) == "ingress does not exist"
    assert rtmp_server_error([(16, "rtmp", "Connection refused")]) is None
