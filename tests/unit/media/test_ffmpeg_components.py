"""The self-test's look at PyAV's FFmpeg: every component the engine needs is found here, and a missing
one (or a protocol that says something else) is named with what it is for."""

from __future__ import annotations

import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
from ingress_studio.media.ffmpeg_components import (
    RTMP_VERSION_BYTE,
    TLS_HANDSHAKE_RECORD,
    Component,
    check_components,
    find_encoder,
    find_muxer,
    try_protocol,
)


def test_this_pyav_has_everything_the_engine_needs() -> None:
    findings = check_components()
    assert [(f.component.kind, f.component.name) for f in findings] == [
        ("encoder", "libx264"),
        ("encoder", "aac"),
        ("encoder", "libopus"),
        ("muxer", "flv"),
        ("muxer", "whip"),
        ("protocol", "rtmp"),
        ("protocol", "rtmps"),
        ("protocol", "https"),
    ]
    assert [f.detail for f in findings if not f.present] == []
    by_name = {f.component.name: f.detail for f in findings}
    assert by_name["rtmp"] == "sent an RTMP handshake to a local server"
    assert by_name["https"] == "sent a TLS handshake to a local server"


def test_missing_components_say_what_they_are_for() -> None:
    encoder = find_encoder(Component("encoder", "libnothing", "imaginary video"))
    assert (encoder.present, encoder.detail) == (False, "this FFmpeg has no libnothing encoder (imaginary video)")
    muxer = find_muxer(Component("muxer", "nothingmux", "imaginary streams"))
    assert (muxer.present, muxer.detail) == (False, "this FFmpeg has no nothingmux muxer (imaginary streams)")
    protocol = try_protocol(Component("protocol", "nothingp", "imaginary servers"), RTMP_VERSION_BYTE)
    assert (protocol.present, protocol.detail) == (False, "this FFmpeg has no nothingp protocol (imaginary servers)")


def test_a_protocol_that_sends_something_else_is_not_taken_for_the_one_wanted() -> None:
    # plain RTMP where TLS was expected: an rtmps that fell back to clear text would look like this
    finding = try_protocol(Component("protocol", "rtmp", "RTMPS"), TLS_HANDSHAKE_RECORD)
    assert (finding.present, finding.detail) == (False, "rtmp sent an unexpected first byte (0x03)")
