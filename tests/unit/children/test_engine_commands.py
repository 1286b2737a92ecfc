"""Typed commands become the lines the engine reads, as its own parser (media.control) reads them."""

from __future__ import annotations

import json

from ingress_studio.children.engine_commands import (
    HelloCommand,
    PushTarget,
    QuitEngine,
    StartPush,
    StopPush,
    SwitchSource,
    command_line,
)
from ingress_studio.media.control import options_from_command
from ingress_studio.media.profiles import TargetKind


def decoded(data: bytes) -> dict[str, object]:
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    message = json.loads(data)
    assert isinstance(message, dict)
    return message


def test_commands_without_fields() -> None:
    assert decoded(command_line(HelloCommand())) == {"cmd": "hello"}
    assert decoded(command_line(StopPush())) == {"cmd": "stop"}
    assert decoded(command_line(QuitEngine())) == {"cmd": "quit"}


def test_a_start_leaves_defaults_to_the_engine() -> None:
    start = StartPush(("test:",), (PushTarget("rtmp", "rtmp://127.0.0.1/x", "k"),))
    assert decoded(command_line(start)) == {
        "cmd": "start",
        "sources": ["test:"],
        "targets": [{"kind": "rtmp", "url": "rtmp://127.0.0.1/x", "key": "k"}],
        "loop": False,
        "transcode": False,
        "no_audio": False,
        "no_video": False,
        "preview": True,
        "stamp_clock": False,
    }


def test_every_start_field_reaches_the_engines_options() -> None:
    start = StartPush(
        sources=("intro.mp4", "talk.mkv"),
        targets=(
            PushTarget("rtmp", "rtmp://127.0.0.1/x", "key-of-the-commands-test"),
            PushTarget("whip", "http://127.0.0.1:8080/w", "token-of-the-commands-test", label="sandbox"),
        ),
        audio="mic:",
        profile="1080p30",
        video_bitrate=2500,
        audio_profile="mono-64k",
        loop=True,
        start=1.5,
        duration=30,
        transcode=True,
        no_audio=False,
        no_video=False,
        preview=False,
        reconnect_tries=3,
        reconnect_delay=0.5,
        stamp_clock=True,
    )
    options = options_from_command(decoded(command_line(start)))
    assert [spec.describe() for spec in options.playlist] == ["intro.mp4", "talk.mkv"]
    assert options.audio_source is not None and options.audio_source.describe() == "mic:"
    assert [(t.kind, t.url, t.key, t.name) for t in options.targets] == [
        (TargetKind.RTMP, "rtmp://127.0.0.1/x", "key-of-the-commands-test", "rtmp://127.0.0.1/x"),
        (TargetKind.WHIP, "http://127.0.0.1:8080/w", "token-of-the-commands-test", "sandbox"),
    ]
    assert options.video_profile.bitrate == 2_500_000 and options.video_profile.height == 1080
    assert options.audio_profile.name == "mono-64k"
    assert options.loop and options.start_s == 1.5 and options.duration_s == 30
    assert not options.allow_remux and options.stamp_clock
    assert options.reconnect.max_attempts == 3 and options.reconnect.first_delay_s == 0.5


def test_a_switch() -> None:
    assert decoded(command_line(SwitchSource(("b.mp4",), audio=None, loop=True))) == {
        "cmd": "switch_source",
        "sources": ["b.mp4"],
        "loop": True,
    }


def test_a_targets_key_stays_out_of_its_repr() -> None:
    assert "secret-key" not in repr(StartPush(("test:",), (PushTarget("rtmp", "rtmp://h/x", "secret-key"),)))
