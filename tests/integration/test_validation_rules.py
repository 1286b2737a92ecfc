"""Each validation rule: the sandbox refuses with the server's message, and the client says the same before sending."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf import json_format
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.domain.validation import IngressValidationError, validate_create_request
from support.sandbox_process import SandboxServer
from support.twirp_raw import post_json, token

BASE = {"room_name": "rules", "participant_identity": "who"}
LAYER_LOW = {"quality": "LOW", "width": 640, "height": 360}
LAYER_HIGH = {"quality": "HIGH", "width": 1280, "height": 720}


def video_options(**options: Any) -> dict[str, Any]:
    return {"video": {"options": options}}


CASES: list[tuple[str, dict[str, Any], str]] = [
    ("bad type", {"input_type": 7, **BASE}, "invalid ingress type"),
    (
        "rtmp without transcoding",
        {"input_type": "RTMP_INPUT", **BASE, "enable_transcoding": False},
        "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
    ),
    (
        "url without transcoding",
        {"input_type": "URL_INPUT", **BASE, "url": "https://x.test/a.mp4", "enable_transcoding": False},
        "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
    ),
    (
        "deprecated bypass on rtmp",
        {"input_type": "RTMP_INPUT", **BASE, "bypass_transcoding": True},
        "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
    ),
    (
        "whip video options without transcoding",
        {"input_type": "WHIP_INPUT", **BASE, "video": {"preset": "H264_720P_30FPS_1_LAYER"}},
        "invalid transcoding bypass configuration: video encoding options must be empty if transcoding is disabled",
    ),
    (
        "whip audio options without transcoding",
        {"input_type": "WHIP_INPUT", **BASE, "enable_transcoding": False, "audio": {"preset": "OPUS_MONO_64KBS"}},
        "invalid transcoding bypass configuration: audio encoding options must be empty if transcoding is disabled",
    ),
    (
        "whip bypass with options",
        {"input_type": "WHIP_INPUT", **BASE, "bypass_transcoding": True, "audio": {"preset": "OPUS_MONO_64KBS"}},
        "invalid transcoding bypass configuration: audio encoding options must be empty if transcoding bypass "
        "is selected",
    ),
    ("no identity", {"input_type": "RTMP_INPUT", "room_name": "r"}, "invalid ingress: no participant identity"),
    ("url missing", {"input_type": "URL_INPUT", **BASE}, "invalid ingress: missing URL parameter"),
    (
        "url scheme",
        {"input_type": "URL_INPUT", **BASE, "url": "ftp://x.test/a.mp4"},
        "invalid ingress: invalid url scheme ftp",
    ),
    (
        "url without room",
        {"input_type": "URL_INPUT", "participant_identity": "w", "url": "https://x.test/a.mp4"},
        "invalid ingress: no room name",
    ),
    (
        "disabled url",
        {"input_type": "URL_INPUT", **BASE, "url": "srt://x.test:7001", "enabled": False},
        "invalid ingress: disabled non reusable ingress",
    ),
    (
        "video source",
        {"input_type": "RTMP_INPUT", **BASE, "video": {"source": "MICROPHONE"}},
        "invalid video parameters: invalid track source",
    ),
    (
        "audio source",
        {"input_type": "RTMP_INPUT", **BASE, "audio": {"source": "CAMERA"}},
        "invalid audio parameters: invalid track source",
    ),
    (
        "video preset",
        {"input_type": "RTMP_INPUT", **BASE, "video": {"preset": 42}},
        "invalid video parameters: invalid preset",
    ),
    (
        "audio preset",
        {"input_type": "RTMP_INPUT", **BASE, "audio": {"preset": 9}},
        "invalid audio parameters: invalid preset",
    ),
    (
        "video codec",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(video_codec="H264_HIGH")},
        "invalid video parameters: video codec unsupported",
    ),
    (
        "negative frame rate",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(frame_rate=-1)},
        "invalid video parameters: invalid framerate",
    ),
    (
        "audio codec",
        {"input_type": "RTMP_INPUT", **BASE, "audio": {"options": {"audio_codec": "AAC"}}},
        "invalid audio parameters: audio codec unsupported",
    ),
    (
        "channels",
        {"input_type": "RTMP_INPUT", **BASE, "audio": {"options": {"channels": 3}}},
        "invalid audio parameters: invalid audio channel count",
    ),
    (
        "zero layer size",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(layers=[{"quality": "LOW", "width": 0, "height": 360}])},
        "invalid video parameters: invalid output media dimensions",
    ),
    (
        "odd width",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(layers=[{"quality": "LOW", "width": 641, "height": 360}])},
        "invalid ingress: layer width must be even",
    ),
    (
        "odd height",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(layers=[{"quality": "LOW", "width": 640, "height": 361}])},
        "invalid ingress: layer height must be even",
    ),
    (
        "duplicate quality",
        {"input_type": "RTMP_INPUT", **BASE, **video_options(layers=[LAYER_LOW, LAYER_LOW])},
        "invalid video parameters: more than one layer with the same quality level",
    ),
    (
        "shrinking height",
        {
            "input_type": "RTMP_INPUT",
            **BASE,
            **video_options(layers=[{"quality": "LOW", "width": 640, "height": 720}, LAYER_HIGH | {"height": 360}]),
        },
        "invalid video parameters: video layers do not have increasing height with increasing quality",
    ),
    (
        "shrinking width",
        {
            "input_type": "RTMP_INPUT",
            **BASE,
            **video_options(layers=[{"quality": "LOW", "width": 1280, "height": 360}, LAYER_HIGH | {"width": 640}]),
        },
        "invalid video parameters: video layers do not have increasing width with increasing quality",
    ),
]


@pytest.mark.parametrize(("body", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_rule_refused_by_sandbox_and_client_alike(
    sandbox: SandboxServer, body: dict[str, Any], message: str
) -> None:
    status, _, text = await post_json(sandbox.url, "CreateIngress", body, token())
    assert status == 400, text
    assert json.loads(text) == {"code": "invalid_argument", "msg": message}

    request = json_format.ParseDict(body, ingress_pb.CreateIngressRequest())
    with pytest.raises(IngressValidationError) as caught:
        validate_create_request(request)
    assert caught.value.message == message


async def test_valid_layers_and_options_pass(sandbox: SandboxServer) -> None:
    body = {
        "input_type": "RTMP_INPUT",
        **BASE,
        **video_options(video_codec="VP8", frame_rate=25, layers=[LAYER_LOW, LAYER_HIGH]),
        "audio": {"options": {"audio_codec": "OPUS", "channels": 2, "bitrate": 96000, "disable_dtx": True}},
    }
    status, _, text = await post_json(sandbox.url, "CreateIngress", body, token())
    assert status == 200, text


async def test_client_refuses_before_sending_with_server_words(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        with pytest.raises(ApiError) as caught:
            await client.create(ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, room_name="r"))
    assert caught.value.message == "Not sent: invalid ingress: no participant identity."


async def test_update_is_validated_against_the_stored_ingress(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        whip = await client.create(
            ingress_pb.CreateIngressRequest(input_type=ingress_pb.WHIP_INPUT, room_name="r", participant_identity="p")
        )
        # A WHIP ingress stores the deprecated bypass flag as true; a real server then refuses encoding
        # options, even in the same update that turns transcoding on. Only the server knows the stored flags.
        update = ingress_pb.UpdateIngressRequest(ingress_id=whip.ingress_id, enable_transcoding=True)
        update.video.preset = ingress_pb.H264_540P_25FPS_2_LAYERS
        with pytest.raises(ApiError) as caught:
            await client.update(update)
        assert caught.value.message == (
            "The server refused the request: invalid transcoding bypass configuration: "
            "video encoding options must be empty if transcoding bypass is selected."
        )
        [stored] = await client.list(ingress_id=whip.ingress_id)
        assert not stored.HasField("video") and not stored.enable_transcoding  # a refused update changes nothing
        # Turning transcoding on first clears the bypass flag; then the options are accepted.
        enabled = await client.update(
            ingress_pb.UpdateIngressRequest(ingress_id=whip.ingress_id, enable_transcoding=True)
        )
        assert enabled.enable_transcoding and not enabled.bypass_transcoding
        updated = await client.update(update)
        assert updated.video.preset == ingress_pb.H264_540P_25FPS_2_LAYERS
