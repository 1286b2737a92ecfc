"""The probe's command line: the ingress's kind, base URL and profile, never its stream key."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.children.program import ingress_studio_command
from ingress_studio.domain.ingress_profile import expected_profile


def test_a_request_for_a_whip_bypass_ingress_carries_no_key() -> None:
    info = ingress_pb.IngressInfo(
        ingress_id="IN_w", input_type=ingress_pb.WHIP_INPUT, url="http://h:8080/w", stream_key="SECRETKEY123"
    )
    request = ProbeRequest.for_ingress(("intro.mp4", "-odd name.mp4"), expected_profile(info), audio="-mic", loop=True)
    command = request.command()
    assert "SECRETKEY123" not in " ".join(command)
    assert command[: len(ingress_studio_command())] == ingress_studio_command()
    rest = command[len(ingress_studio_command()) :]
    assert rest == [
        "probe", "--json", "--whip=http://h:8080/w", "--audio=-mic", "--profile", "720p30",
        "--audio-profile", "stereo", "--loop", "--bypass-transcoding", "--", "intro.mp4", "-odd name.mp4",
    ]  # fmt: skip


def test_a_plain_rtmp_request_leaves_the_defaults_to_the_probe() -> None:
    command = ProbeRequest(("test:",), "rtmp", "rtmp://h/x", transcode=True, open_timeout=2.5).command()
    assert command[len(ingress_studio_command()) :] == [
        "probe", "--json", "--rtmp=rtmp://h/x", "--open-timeout", "2.5", "--transcode", "--", "test:",
    ]  # fmt: skip


def test_the_advanced_settings_go_on_the_command_line() -> None:
    request = ProbeRequest(
        ("test:",), "rtmp", "rtmp://h/x", video_bitrate=800, keyframe_interval=4.0, x264_preset="fast"
    )
    command = request.command()
    tail = command[command.index("--video-bitrate") : command.index("--")]
    assert tail == ["--video-bitrate", "800", "--keyframe-interval", "4", "--x264-preset", "fast"]
